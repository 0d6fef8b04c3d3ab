import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { cli, fakeTest, json, POLL, runArgs, settledRun, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();

const scanner = {
  name: 'scanner',
  stage: 'post_plan' as const,
  enforcementLevel: 'mandatory' as const,
  result: 'failed' as const,
  message: '2 critical findings',
  url: 'https://scanner.example/runs/1',
};

// Each test runs two or three CLI processes one after another: generous on a loaded machine.
describe.concurrent('run tasks and policies through the built CLI', { timeout: 90_000 }, () => {
  test('a failed mandatory post-plan task: tfe run reports it and exits 1; tfe run override lets the run apply', async ({
    ctx,
  }) => {
    ctx.fake.core.setScenario('demo', { runTasks: [scanner] });
    const summary = join(mkdtempSync(join(tmpdir(), 'tfe-summary-')), 'summary.md');
    const r = await cli([...runArgs(ctx, '--apply', 'auto', '--json')], {
      env: { ...ctx.env, GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(doc).toMatchObject({
      status: 'post_plan_awaiting_decision',
      outcome: 'awaiting_decision',
      exitCode: 1,
      decision: {
        kind: 'task_stage',
        stage: 'post_plan',
        canOverride: true,
        failedTasks: [
          {
            name: 'scanner',
            enforcementLevel: 'mandatory',
            status: 'failed',
            message: '2 critical findings',
            url: 'https://scanner.example/runs/1',
          },
        ],
        failedPolicies: [],
      },
    });
    const runId: string = doc.runId;
    expect(r.stderr).toContain(
      'run task scanner (mandatory) failed: 2 critical findings — https://scanner.example/runs/1',
    );
    expect(r.stderr).toContain(`tfe run override ${runId} --comment`);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| Run task | [scanner](https://scanner.example/runs/1) | mandatory | failed |');
    expect(md).toContain(`tfe run override ${runId}`);

    const o = await cli(['run', 'override', runId, '--comment', 'findings accepted: OPS-42', '--json'], {
      env: ctx.env,
    });
    expect(o.code).toBe(0);
    const stageId = doc.decision.taskStageId;
    expect(json(o)).toEqual({
      runId,
      action: 'override',
      kind: 'task_stage',
      overridden: [stageId],
      commentId: null,
      exitCode: 0,
    });
    expect(o.stderr).toContain(`Task stage ${stageId} (post_plan) overridden`);
    expect(ctx.fake.core.store.taskStages.get(stageId)?.overrideComment).toBe('findings accepted: OPS-42');

    const w = await cli(['run', 'wait', runId, ...POLL, '--json'], { env: ctx.env });
    expect(w.code).toBe(0);
    expect(json(w)).toMatchObject({ runId, status: 'applied', outcome: 'applied' });
  });

  test('the log without --json says what waits and how to override', async ({ ctx }) => {
    ctx.fake.core.nextRun({
      policySets: [{ name: 'opa-prod', policies: [{ name: 'require-tags', result: 'failed' }] }],
    });
    const r = await cli(runArgs(ctx), { env: ctx.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('waits for a decision on its post-plan task stage');
    expect(r.stdout).toContain('OPA policy opa-prod/require-tags (mandatory) failed');
    expect(r.stdout).toMatch(/To let it go on: tfe run override run-\S+ --comment "why"/);
  });

  test('a token that may not override is told so, and tfe run override exits 1', async ({ ctx }) => {
    ctx.fake.core.nextRun({ runTasks: [scanner], canOverride: false });
    const r = await cli(runArgs(ctx, '--json'), { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r).decision.canOverride).toBe(false);
    expect(r.stderr).toContain('This token may not override it');
    const o = await cli(['run', 'override', json(r).runId, '--json'], { env: ctx.env });
    expect(o.code).toBe(1);
    expect(json(o).error).toMatchObject({ type: 'NothingToOverride' });
    expect(json(o).error.message).toContain('which this token may not override now');
  });

  test('tfe run override overrides soft-failed Sentinel checks and comments why', async ({ ctx }) => {
    ctx.fake.core.nextRun({ policySoftFail: true });
    const id = await settledRun(ctx);
    const o = await cli(['run', 'override', id, '--comment', 'accepted', '--json'], { env: ctx.env });
    expect(o.code).toBe(0);
    const check = ctx.fake.core.run(id)!.policyCheckId;
    expect(json(o)).toMatchObject({
      kind: 'policy_check',
      overridden: [check],
      commentId: expect.any(String),
    });
    await ctx.fake.core.waitForRunStatus(id, 'policy_checked', 10_000);
  });

  test('tfe run override on a run that waits for nothing exits 1 saying its state', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const o = await cli(['run', 'override', id, '--json'], { env: ctx.env });
    expect(o.code).toBe(1);
    expect(json(o).error.message).toBe(`run ${id} waits for no override: it is policy_checked.`);
  });
});
