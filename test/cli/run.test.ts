import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect } from 'vitest';
import { cli, fakeTest, json, POLL, runArgs as run, runsOf, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();

describe.concurrent('tfe run: the workflow in one step', () => {
  test('--apply auto uploads, plans, applies and reports the run as one JSON document', async ({ ctx }) => {
    const r = await cli(run(ctx, '--apply', 'auto', '--json', '--message', 'ship it'), { env: ctx.env });
    expect(r.code).toBe(0);
    const doc = json(r);
    const [record] = runsOf(ctx.fake);
    expect(doc).toEqual({
      runId: record!.id,
      status: 'applied',
      outcome: 'applied',
      hasChanges: true,
      runUrl: `${ctx.fake.url}/app/acme/workspaces/demo/runs/${record!.id}`,
      message: 'ship it',
      workspace: { id: record!.workspaceId, name: 'demo', organization: 'acme' },
      configurationVersionId: record!.configurationVersionId,
      planId: record!.planId,
      plan: { status: 'finished', additions: 2, changes: 0, destructions: 0, imports: 0 },
      apply: { status: 'finished', additions: 2, changes: 0, destructions: 0, imports: 0 },
      costEstimate: {
        id: record!.costEstimateId,
        status: 'finished',
        proposedMonthlyCost: '0.0',
        priorMonthlyCost: '0.0',
        deltaMonthlyCost: '0.0',
      },
      exitCode: 0,
      // With --json, the resource-level summary of the JSON plan.
      planSummary: expect.objectContaining({ totals: { add: 2, change: 0, destroy: 0, import: 0 } }),
    });
    expect(record).toMatchObject({ status: 'applied', autoApply: true, message: 'ship it' });
    expect([...(ctx.fake.core.uploadedFiles(record!.configurationVersionId)?.keys() ?? [])]).toEqual([
      'main.tf',
    ]);
  });

  test('prints each step and status change with the elapsed time on stderr, the result on stdout', async ({
    ctx,
  }) => {
    const r = await cli(run(ctx, '--apply', 'auto'), { env: ctx.env });
    expect(r.code).toBe(0);
    const steps = r.stderr.split('\n').filter((l) => /^\[\s*\d+\.\ds\] /.test(l));
    expect(steps.map((l) => l.replace(/^\[[^\]]+\] /, '')).slice(0, 4)).toEqual([
      expect.stringMatching(/^Workspace acme\/demo \(ws-/),
      expect.stringMatching(/^Configuration version cv-\w+ created$/),
      `Uploading ${ctx.dir}`,
      expect.stringMatching(/^Configuration version cv-\w+ uploaded$/),
    ]);
    expect(r.stderr).toMatch(/Run run-\w+ created: http/);
    // Which states a poll catches depends on the machine's speed; that a status line is printed does not.
    expect(r.stderr).toMatch(/\] Run [a-z_]+\n/);
    expect(r.stderr).toMatch(/\] Run applied — plan: 2 to add, 0 to change, 0 to destroy\n/);
    expect(r.stdout).toMatch(/^Run run-\w+: applied\n {2}Workspace {2}acme\/demo\n/);
  });

  test('--apply confirm applies the run once its plan is confirmable', async ({ ctx }) => {
    const r = await cli(run(ctx, '--apply', 'confirm', '--json'), { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ status: 'applied', outcome: 'applied' });
    expect(ctx.fake.core.requests.filter((q) => q.path.endsWith('/actions/apply'))).toHaveLength(1);
    expect(r.stderr).toContain('Plan confirmed: applying');
  });

  test('--apply never (the default) leaves a run with changes waiting for confirmation, and exits 0', async ({
    ctx,
  }) => {
    const r = await cli(run(ctx, '--json'), { env: ctx.env });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ outcome: 'needs_confirmation', hasChanges: true, apply: null });
    expect(ctx.fake.core.run(doc.runId)?.paused).toBe(true);
    expect(r.stderr).toContain(`The run waits for confirmation: tfe run apply ${doc.runId}`);
    // And where to see what it would change before confirming it.
    expect(r.stderr).toContain(`tfe plan show ${doc.runId}`);
  });

  test('--detailed-exitcode exits 2 when the plan has changes', async ({ ctx }) => {
    const r = await cli(run(ctx, '--plan-only', '--detailed-exitcode', '--json'), { env: ctx.env });
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({
      status: 'planned_and_finished',
      outcome: 'planned_with_changes',
      exitCode: 2,
    });
    expect(runsOf(ctx.fake)[0]).toMatchObject({ planOnly: true });
    expect(ctx.fake.core.configurationVersion(runsOf(ctx.fake)[0]!.configurationVersionId)?.speculative).toBe(
      true,
    );
  });

  test('--detailed-exitcode exits 0 when the plan has no changes', async ({ ctx }) => {
    ctx.fake.core.nextRun({ noChanges: true });
    const r = await cli(run(ctx, '--plan-only', '--detailed-exitcode', '--json'), { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ outcome: 'planned_no_changes', hasChanges: false });
  });

  test('an errored plan exits 1 with the run in the JSON document', async ({ ctx }) => {
    ctx.fake.core.nextRun({ errorDuring: 'plan' });
    const r = await cli(run(ctx, '--apply', 'auto', '--json'), { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ status: 'errored', outcome: 'errored', exitCode: 1 });
    expect(r.stdout).toMatch(/^\{/);
  });

  test('a failed policy check exits 1', async ({ ctx }) => {
    ctx.fake.core.nextRun({ policySoftFail: true });
    const r = await cli(run(ctx, '--apply', 'confirm', '--json'), { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ status: 'policy_override', outcome: 'needs_policy_override' });
  });

  test('sends the run attributes: destroy, targets, replacements and variables', async ({ ctx }) => {
    const r = await cli(
      run(
        ctx,
        '--destroy',
        '--target',
        'null_resource.a',
        '--target',
        'null_resource.b',
        '--replace',
        'null_resource.a',
        '--var',
        'region=eu-west-1',
        '--var',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL template sequence, sent literally
        'greeting=hi ${name} 100%{x}',
        '--var-hcl',
        'ids=["a","b"]',
      ),
      { env: ctx.env },
    );
    expect(r.code).toBe(0);
    expect(runsOf(ctx.fake)[0]).toMatchObject({
      isDestroy: true,
      targetAddrs: ['null_resource.a', 'null_resource.b'],
      replaceAddrs: ['null_resource.a'],
      variables: [
        { key: 'region', value: '"eu-west-1"' },
        { key: 'greeting', value: '"hi $${name} 100%%{x}"' },
        { key: 'ids', value: '["a","b"]' },
      ],
    });
  });

  test('--no-refresh creates a run with refresh false; without it the run refreshes', async ({ ctx }) => {
    expect((await cli(run(ctx, '--plan-only', '--no-refresh'), { env: ctx.env })).code).toBe(0);
    expect((await cli(run(ctx, '--plan-only'), { env: ctx.env })).code).toBe(0);
    expect(runsOf(ctx.fake).map((r) => [r.refresh, r.refreshOnly])).toEqual([
      [false, false],
      [true, false],
    ]);
  });

  test('names the CI job in the default message', async ({ ctx }) => {
    const env = {
      ...ctx.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_SHA: '0123456789abcdef',
      GITHUB_WORKFLOW: 'deploy',
      GITHUB_RUN_NUMBER: '42',
    };
    expect((await cli(run(ctx), { env })).code).toBe(0);
    expect(runsOf(ctx.fake)[0]?.message).toBe(
      'Triggered by tfe from GitHub Actions: acme/infra@0123456 (deploy #42)',
    );
  });

  test('uploads a --tarball as it is', async ({ ctx }) => {
    const tarball = join(ctx.dir, '..', `${ctx.dir.split('/').pop()}.tar.gz`);
    await create({ gzip: true, file: tarball, cwd: ctx.dir }, ['main.tf']);
    try {
      const r = await cli(['run', '--workspace', 'demo', '--tarball', tarball, ...POLL, '--json'], {
        env: ctx.env,
      });
      expect(r.code).toBe(0);
      const cv = runsOf(ctx.fake)[0]!.configurationVersionId;
      expect(ctx.fake.core.configurationVersion(cv)?.archive).toEqual(readFileSync(tarball));
    } finally {
      rmSync(tarball, { force: true });
    }
  });

  test('--logs streams the plan and apply logs to stderr as Terraform’s messages', async ({ ctx }) => {
    const r = await cli(run(ctx, '--apply', 'auto', '--logs'), { env: ctx.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/──── plan log \(plan-\w+\) ────/);
    expect(r.stderr).toContain('  null_resource.a: Plan to create\n');
    expect(r.stderr).toContain('  Plan: 2 to add, 0 to change, 0 to destroy.\n');
    expect(r.stderr).toContain('  Apply complete! Resources: 2 added, 0 changed, 0 destroyed.\n');
    expect(r.stderr).not.toContain('"@message"');
  });
});

/** A directory for CI files, outside the uploaded configuration. */
function ciFiles(onTestFinished: (fn: () => void) => void): string {
  const files = mkdtempSync(join(tmpdir(), 'tfe-ci-'));
  onTestFinished(() => rmSync(files, { recursive: true, force: true }));
  return files;
}

describe.concurrent('CI outputs', () => {
  test('writes the GitHub step outputs and a Markdown summary', async ({ ctx, onTestFinished }) => {
    const files = ciFiles(onTestFinished);
    const output = join(files, 'output');
    const summary = join(files, 'summary.md');
    writeFileSync(output, 'earlier=kept\n');
    const r = await cli(run(ctx, '--apply', 'auto'), {
      env: { ...ctx.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(0);
    const record = runsOf(ctx.fake)[0]!;
    const url = `${ctx.fake.url}/app/acme/workspaces/demo/runs/${record.id}`;
    expect(readFileSync(output, 'utf8')).toBe(
      [
        'earlier=kept',
        `run-id=${record.id}`,
        'status=applied',
        'outcome=applied',
        `run-url=${url}`,
        'has-changes=true',
        'additions=2',
        'changes=0',
        'destructions=0',
        `workspace-id=${record.workspaceId}`,
        `configuration-version-id=${record.configurationVersionId}`,
        `plan-id=${record.planId}`,
        `cost-estimate-id=${record.costEstimateId}`,
        'cost-estimate-status=finished',
        'proposed-monthly-cost=0.0',
        'delta-monthly-cost=0.0',
        '',
      ].join('\n'),
    );
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### ✅ Terraform run applied');
    expect(md).toContain(`| Run | [${record.id}](${url}) |`);
    expect(md).toContain('| Plan | 2 to add, 0 to change, 0 to destroy (`+2 ~0 -0`) |');
    expect(md).toContain('| Apply | 2 added, 0 changed, 0 destroyed |');
    expect(md).toContain('| Cost | 0.0 a month (+0.0) |');
  });

  test('--dotenv writes a GitLab dotenv report', async ({ ctx, onTestFinished }) => {
    const files = ciFiles(onTestFinished);
    const file = join(files, 'tfe.env');
    const r = await cli(run(ctx, '--plan-only', '--dotenv', file), { env: ctx.env });
    expect(r.code).toBe(0);
    const record = runsOf(ctx.fake)[0]!;
    expect(readFileSync(file, 'utf8')).toBe(
      [
        `TFE_RUN_ID=${record.id}`,
        'TFE_RUN_STATUS=planned_and_finished',
        'TFE_RUN_OUTCOME=planned_with_changes',
        `TFE_RUN_URL=${ctx.fake.url}/app/acme/workspaces/demo/runs/${record.id}`,
        'TFE_HAS_CHANGES=true',
        'TFE_ADDITIONS=2',
        'TFE_CHANGES=0',
        'TFE_DESTRUCTIONS=0',
        `TFE_WORKSPACE_ID=${record.workspaceId}`,
        `TFE_CONFIGURATION_VERSION_ID=${record.configurationVersionId}`,
        `TFE_PLAN_ID=${record.planId}`,
        `TFE_COST_ESTIMATE_ID=${record.costEstimateId}`,
        'TFE_COST_ESTIMATE_STATUS=finished',
        'TFE_PROPOSED_MONTHLY_COST=0.0',
        'TFE_DELTA_MONTHLY_COST=0.0',
        '',
      ].join('\n'),
    );
  });

  test('a --dotenv file that cannot be written exits 3 before any run, and the JSON document says so', async ({
    ctx,
    onTestFinished,
  }) => {
    const file = join(ciFiles(onTestFinished), 'no-such-dir', 'tfe.env');
    const r = await cli(run(ctx, '--plan-only', '--json', '--dotenv', file), { env: ctx.env });
    expect(r.code).toBe(3);
    expect(json(r)).toMatchObject({
      error: { type: 'UsageError', message: expect.stringContaining(`--dotenv ${file}: its directory`) },
      exitCode: 3,
    });
    expect(runsOf(ctx.fake)).toEqual([]);
  });
});
