import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { TfeClient } from '../../src/index.js';
import {
  type CliResult,
  cli,
  type FakeContext,
  fakeTest,
  json,
  POLL,
  runsOf,
  sdk,
  settledRun as settled,
  useBuiltCli,
} from './helpers.js';

useBuiltCli();
const test = fakeTest();
const ws = ['--workspace', 'demo'];

/** A configuration version uploaded in this process. */
async function upload(ctx: FakeContext, options: { speculative?: boolean } = {}): Promise<string> {
  const tfe = sdk(ctx.fake);
  try {
    const workspaceId = ctx.fake.core.workspace('demo').id;
    return (
      await tfe.configurationVersions.createAndUpload(workspaceId, ctx.dir, {
        ...options,
        pollIntervalMs: 10,
      })
    ).id;
  } finally {
    tfe.close();
  }
}

/** A run created in this process on a fresh upload (not waited for). */
async function createdRun(ctx: FakeContext): Promise<string> {
  const cv = await upload(ctx);
  const tfe = sdk(ctx.fake);
  try {
    return (
      await tfe.runs.create({ workspaceId: ctx.fake.core.workspace('demo').id, configurationVersionId: cv })
    ).id;
  } finally {
    tfe.close();
  }
}

const settledRun = (ctx: FakeContext, apply?: 'auto') => settled(ctx, { apply: apply ?? 'never' });

const lines = (r: CliResult) => r.stdout.trim().split('\n');

describe.concurrent('tfe upload', () => {
  test('creates a configuration version, uploads the directory and prints its id', async ({ ctx }) => {
    const r = await cli(['upload', ...ws, '--dir', ctx.dir], { env: ctx.env });
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^cv-\w+$/);
    expect(ctx.fake.core.configurationVersion(id)).toMatchObject({
      status: 'uploaded',
      autoQueueRuns: false,
    });
    expect([...(ctx.fake.core.uploadedFiles(id)?.keys() ?? [])]).toEqual(['main.tf']);
  });

  test('--json reports the version; GitHub outputs get its id', async ({ ctx }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tfe-gh-'));
    try {
      const output = join(dir, 'output');
      const r = await cli(['upload', ...ws, '--dir', ctx.dir, '--speculative', '--json'], {
        env: { ...ctx.env, GITHUB_OUTPUT: output },
      });
      expect(r.code).toBe(0);
      const doc = json(r);
      expect(doc).toMatchObject({ status: 'uploaded', speculative: true, exitCode: 0 });
      expect(readFileSync(output, 'utf8')).toBe(
        `configuration-version-id=${doc.configurationVersionId}\nworkspace-id=${doc.workspaceId}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.concurrent('tfe run create', () => {
  test('starts a run on the uploaded version and prints its id', async ({ ctx }) => {
    const cv = await upload(ctx);
    const r = await cli(['run', 'create', ...ws, '--configuration-version', cv, '--message', 'from CI'], {
      env: ctx.env,
    });
    expect(r.code).toBe(0);
    const [record] = runsOf(ctx.fake);
    expect(r.stdout).toBe(`${record!.id}\n`);
    expect(record).toMatchObject({ configurationVersionId: cv, message: 'from CI' });
  });

  test('--no-refresh sends refresh false', async ({ ctx }) => {
    const cv = await upload(ctx);
    const r = await cli(['run', 'create', ...ws, '--configuration-version', cv, '--no-refresh'], {
      env: ctx.env,
    });
    expect(r.code).toBe(0);
    const tfe = sdk(ctx.fake);
    try {
      expect((await tfe.runs.read(r.stdout.trim())).refresh).toBe(false);
    } finally {
      tfe.close();
    }
  });

  test('--wait --auto-apply waits for the apply and exits by the outcome', async ({ ctx }) => {
    const cv = await upload(ctx);
    const r = await cli(
      ['run', 'create', ...ws, '--configuration-version', cv, '--auto-apply', '--wait', ...POLL, '--json'],
      { env: ctx.env },
    );
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ status: 'applied', outcome: 'applied', configurationVersionId: cv });
  });

  test('--plan-only --wait --detailed-exitcode exits 2 for a plan with changes', async ({ ctx }) => {
    await upload(ctx, { speculative: true });
    const r = await cli(['run', 'create', ...ws, '--plan-only', '--wait', '--detailed-exitcode', ...POLL], {
      env: ctx.env,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Run run-\w+: planned: has changes \(plan only\)/);
  });
});

describe.concurrent('tfe run show and list', () => {
  test('show --json reports the run with its counts and URL', async ({ ctx }) => {
    const id = await settledRun(ctx, 'auto');
    const r = await cli(['run', 'show', id, '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      runId: id,
      status: 'applied',
      outcome: 'applied',
      runUrl: `${ctx.fake.url}/app/acme/workspaces/demo/runs/${id}`,
      plan: { additions: 2 },
      apply: { additions: 2, status: 'finished' },
      exitCode: 0,
    });
  });

  test('show prints aligned lines for a person', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const r = await cli(['run', 'show', id], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(lines(r)).toEqual([
      `Run ${id}: planned: waits for confirmation`,
      '  Workspace  acme/demo',
      '  Status     policy_checked',
      '  Message    Triggered by tfe (tfe-client CLI)',
      '  Plan       2 to add, 0 to change, 0 to destroy (finished)',
      `  URL        ${ctx.fake.url}/app/acme/workspaces/demo/runs/${id}`,
    ]);
  });

  test('show of an unknown run exits 1', async ({ ctx }) => {
    const r = await cli(['run', 'show', 'run-doesnotexist'], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('404');
  });

  test('list --json gives the newest runs first, filtered by status and limited', async ({ ctx }) => {
    const first = await settledRun(ctx);
    const tfe = sdk(ctx.fake);
    await tfe.runs.discard(first);
    tfe.close();
    await ctx.fake.core.waitForRunStatus(first, 'discarded', 5000);
    const second = await settledRun(ctx);
    const all = json(await cli(['run', 'list', ...ws, '--json'], { env: ctx.env }));
    expect(all.runs.map((r: { runId: string }) => r.runId)).toEqual([second, first]);
    expect(all.exitCode).toBe(0);
    expect(all.runs[0]).toMatchObject({ status: 'policy_checked', runUrl: expect.stringContaining(second) });
    const discarded = json(
      await cli(['run', 'list', ...ws, '--status', 'discarded', '--json'], { env: ctx.env }),
    );
    expect(discarded.runs.map((r: { runId: string }) => r.runId)).toEqual([first]);
    const limited = json(await cli(['run', 'list', ...ws, '--limit', '1', '--json'], { env: ctx.env }));
    expect(limited.runs).toHaveLength(1);
  });

  test('list prints a table', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const r = await cli(['run', 'list', ...ws], { env: ctx.env });
    expect(lines(r)[0]).toMatch(/^RUN\s+STATUS\s+CREATED\s+MESSAGE$/);
    expect(lines(r)[1]).toMatch(
      new RegExp(`^${id}\\s+policy_checked\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+Triggered by tfe`),
    );
  });
});

describe.concurrent('tfe run wait and the run actions', () => {
  test('wait exits 0 for a run waiting for confirmation, then apply --wait applies it', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const waited = await cli(['run', 'wait', id, ...POLL, '--json'], { env: ctx.env });
    expect(waited.code).toBe(0);
    expect(json(waited)).toMatchObject({ runId: id, outcome: 'needs_confirmation' });
    const applied = await cli(['run', 'apply', id, '--comment', 'LGTM', '--wait', ...POLL, '--json'], {
      env: ctx.env,
    });
    expect(applied.code).toBe(0);
    expect(json(applied)).toMatchObject({ runId: id, status: 'applied', outcome: 'applied' });
    expect(ctx.fake.core.run(id)?.comments.map((c) => c.body)).toContain('LGTM');
  });

  test('wait exits 1 for an errored run', async ({ ctx }) => {
    ctx.fake.core.nextRun({ errorDuring: 'plan' });
    const r = await cli(['run', 'wait', await createdRun(ctx), ...POLL, '--json'], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ status: 'errored', outcome: 'errored', exitCode: 1 });
  });

  test('discard ends a run waiting for confirmation', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const r = await cli(['run', 'discard', id, '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({ runId: id, action: 'discard', exitCode: 0 });
    await ctx.fake.core.waitForRunStatus(id, 'discarded', 5000);
  });

  test('an action the run does not allow now exits 1 saying why', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const tfe = sdk(ctx.fake);
    await tfe.runs.discard(id);
    tfe.close();
    await ctx.fake.core.waitForRunStatus(id, 'discarded', 5000);
    const r = await cli(['run', 'apply', id], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`run ${id} is discarded: it cannot be applied now (409 Conflict).`);
  });

  test('cancel stops a working run, with the comment on its timeline', async ({ ctx }) => {
    ctx.fake.core.nextRun({ queueMs: 60_000 });
    const id = await createdRun(ctx);
    await ctx.fake.core.waitForRunStatus(id, 'plan_queued', 5000);
    const r = await cli(['run', 'cancel', id, '--comment', 'stop', '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({ runId: id, action: 'cancel', exitCode: 0 });
    expect(ctx.fake.core.run(id)?.comments.map((c) => c.body)).toEqual(['stop']);
    await ctx.fake.core.waitForRunStatus(id, 'canceled', 5000);
  });

  test('force-execute discards the run holding the workspace and starts this one; it takes no --comment', async ({
    ctx,
  }) => {
    const holder = await settledRun(ctx);
    const id = await createdRun(ctx);
    expect(ctx.fake.core.run(id)?.status).toBe('pending');
    const badFlag = await cli(['run', 'force-execute', id, '--comment', 'x'], { env: ctx.env });
    expect(badFlag.code).toBe(3);
    expect(badFlag.stderr).toContain('unknown flag --comment');
    const r = await cli(['run', 'force-execute', id, '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({ runId: id, action: 'force-execute', exitCode: 0 });
    await ctx.fake.core.waitForRunStatus(holder, 'discarded', 5000);
    await ctx.fake.core.waitForRunStatus(id, 'policy_checked', 5000);
  });

  test('a missing run id is a usage error', async ({ ctx }) => {
    const r = await cli(['run', 'wait'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('which run? Pass its id: tfe run wait run-…');
  });
});

describe.concurrent('tfe run logs', () => {
  test('prints the plan log as Terraform’s messages', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const r = await cli(['run', 'logs', id], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(lines(r)).toEqual([
      'Terraform 1.9.4',
      'null_resource.a: Plan to create',
      'null_resource.b: Plan to create',
      'Plan: 2 to add, 0 to change, 0 to destroy.',
    ]);
  });

  test('--phase apply --raw prints the apply log as stored', async ({ ctx }) => {
    const id = await settledRun(ctx, 'auto');
    const r = await cli(['run', 'logs', id, '--phase', 'apply', '--raw'], { env: ctx.env });
    expect(r.code).toBe(0);
    const last = JSON.parse(lines(r).at(-1)!);
    expect(last).toMatchObject({ type: 'change_summary', changes: { add: 2, operation: 'apply' } });
  });

  test('--follow prints the log until the plan finishes', async ({ ctx }) => {
    const r = await cli(['run', 'logs', await createdRun(ctx), '--follow', ...POLL], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(lines(r).at(-1)).toBe('Plan: 2 to add, 0 to change, 0 to destroy.');
  });

  test('takes a plan id directly', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const planId = ctx.fake.core.run(id)!.planId;
    const r = await cli(['run', 'logs', planId], { env: ctx.env });
    expect(lines(r).at(-1)).toBe('Plan: 2 to add, 0 to change, 0 to destroy.');
  });

  test('an apply id alone prints the apply log: the id names its phase', async ({ ctx }) => {
    const id = await settledRun(ctx, 'auto');
    const applyId = ctx.fake.core.run(id)!.applyId;
    const r = await cli(['run', 'logs', applyId, '--raw'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(lines(r).at(-1)!)).toMatchObject({ changes: { operation: 'apply' } });
  });

  test('a plan id with --phase apply is a usage error saying what to pass, and prints no log', async ({
    ctx,
  }) => {
    const id = await settledRun(ctx, 'auto');
    const planId = ctx.fake.core.run(id)!.planId;
    const r = await cli(['run', 'logs', planId, '--phase', 'apply'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${planId} is a plan id, so it has no apply log: pass the run id (run-…) with --phase apply`,
    );
  });

  test('an apply id with --phase plan is a usage error', async ({ ctx }) => {
    const id = await settledRun(ctx, 'auto');
    const applyId = ctx.fake.core.run(id)!.applyId;
    const r = await cli(['run', 'logs', applyId, '--phase', 'plan'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${applyId} is an apply id, so it has no plan log`);
  });
});

describe.concurrent('tfe workspace', () => {
  test('show --json describes the workspace', async ({ ctx }) => {
    const r = await cli(['workspace', 'show', ...ws, '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({
      workspaceId: ctx.fake.core.workspace('demo').id,
      name: 'demo',
      organization: 'acme',
      locked: false,
      url: `${ctx.fake.url}/app/acme/workspaces/demo`,
    });
  });

  test('lock with a reason, then unlock', async ({ ctx }) => {
    const locked = await cli(['workspace', 'lock', ...ws, '--reason', 'maintenance', '--json'], {
      env: ctx.env,
    });
    expect(locked.code).toBe(0);
    expect(json(locked)).toMatchObject({ locked: true, lockedReason: 'maintenance' });
    expect(ctx.fake.core.workspace('demo').lock).toBeTruthy();
    const unlocked = await cli(['workspace', 'unlock', ...ws, '--json'], { env: ctx.env });
    expect(unlocked.code).toBe(0);
    expect(json(unlocked)).toMatchObject({ locked: false });
  });

  test('unlocking someone else’s lock exits 1 naming the holder; --force releases it', async ({ ctx }) => {
    const alice = new TfeClient({
      token: ctx.fake.core.createToken('alice'),
      address: ctx.fake.url,
      env: {},
    });
    await alice.workspaces.lock(ctx.fake.core.workspace('demo').id);
    alice.close();
    const r = await cli(['workspace', 'unlock', ...ws], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('locked by user alice');
    const forced = await cli(['workspace', 'unlock', ...ws, '--force'], { env: ctx.env });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('unlocked (forced)');
  });

  test('an unknown workspace command lists the known ones', async ({ ctx }) => {
    const r = await cli(['workspace', 'delete', ...ws], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown workspace command "delete": use show, lock or unlock.');
  });
});
