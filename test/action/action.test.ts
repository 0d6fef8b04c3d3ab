import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES } from '../../src/action/inputs.js';
import { startFakeGithub } from '../cli/fake-code-hosts.js';
import { printed } from '../helpers/child-output.js';
import { actionTest, root, startStep, step } from './helpers.js';

const test = actionTest();

describe.concurrent('the GitHub Action, run from its committed bundle', () => {
  test('plan-only: plans, groups the phases, writes every output and the step summary, exits 0', async ({
    ctx,
  }) => {
    const r = await step(ctx, { workspace: 'demo', 'plan-only': 'true', token: ctx.fake.token });
    expect(r.code, r.stderr).toBe(0);
    const run = [...ctx.fake.core.store.runs.values()][0]!;
    expect(run).toMatchObject({ planOnly: true });
    expect(r.outputs).toMatchObject({
      'run-id': run.id,
      status: 'planned_and_finished',
      outcome: 'planned_with_changes',
      'run-url': `${ctx.fake.url}/app/acme/workspaces/demo/runs/${run.id}`,
      'has-changes': 'true',
      additions: '2',
      changes: '0',
      destructions: '0',
      'workspace-id': run.workspaceId,
      'configuration-version-id': run.configurationVersionId,
      'plan-id': run.planId,
      'cost-estimate-id': run.costEstimateId,
      'cost-estimate-status': 'finished',
    });
    // The directory uploaded is the step's working directory, the checked-out repository.
    expect([...(ctx.fake.core.uploadedFiles(run.configurationVersionId)?.keys() ?? [])]).toEqual(['main.tf']);
    expect(r.summary).toContain('### 📝 Terraform run planned: has changes (plan only)');
    const groups = [...r.stderr.matchAll(/^::(group::.*|endgroup::)$/gm)].map((m) => m[1]);
    expect(groups).toEqual(['group::Upload the configuration', 'endgroup::', 'group::Plan', 'endgroup::']);
    // The result is printed after the last group closes, in the open log.
    expect(r.stderr.lastIndexOf('::endgroup::')).toBeLessThan(r.stderr.indexOf('] Run planned: has changes'));
    expect(r.stdout).toContain(`Run ${run.id}: planned: has changes (plan only)`);
  });

  test('apply auto: applies, with an Apply group, and reports applied', async ({ ctx }) => {
    const r = await step(
      ctx,
      { workspace: 'demo', apply: 'auto', message: 'ship it' },
      { TFE_TOKEN: ctx.fake.token },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'applied', outcome: 'applied' });
    expect([...ctx.fake.core.store.runs.values()][0]).toMatchObject({ autoApply: true, message: 'ship it' });
    expect(r.stderr).toMatch(/^::group::Apply$/m);
    expect(r.summary).toContain('### ✅ Terraform run applied');
  });

  test('multi-line inputs become repeated flags: targets, replacements and variables', async ({ ctx }) => {
    const r = await step(ctx, {
      workspace: 'demo',
      'plan-only': 'true',
      target: 'null_resource.a\nnull_resource.b\n',
      replace: 'null_resource.a',
      variables: 'region=eu-west-1\n\ngreeting=hi there',
      token: ctx.fake.token,
    });
    expect(r.code, r.stderr).toBe(0);
    expect([...ctx.fake.core.store.runs.values()][0]).toMatchObject({
      targetAddrs: ['null_resource.a', 'null_resource.b'],
      replaceAddrs: ['null_resource.a'],
      variables: [
        { key: 'region', value: '"eu-west-1"' },
        { key: 'greeting', value: '"hi there"' },
      ],
    });
  });

  test('var-file reads an HCL .tfvars file with the parser shipped beside the bundle, nothing installed', async ({
    ctx,
  }) => {
    // The committed action/ alone, where no node_modules can be found: as the runner checks it out.
    const checkout = mkdtempSync(join(tmpdir(), 'tfe-action-checkout-'));
    try {
      cpSync(join(root, 'action'), join(checkout, 'action'), { recursive: true });
      writeFileSync(
        join(ctx.repo, 'prod.tfvars'),
        'region = "eu-west-1"\nreplicas = 12345678901234567890\ntags = {\n  team = "ops"\n}\n',
      );
      writeFileSync(join(ctx.repo, 'extra.tfvars.json'), '{"zones": ["a", "b"]}');
      const r = await step(
        ctx,
        {
          workspace: 'demo',
          'plan-only': 'true',
          'var-file': 'prod.tfvars\nextra.tfvars.json',
          variables: 'region=us-east-1',
          token: ctx.fake.token,
        },
        {},
        join(checkout, 'action/dist/index.cjs'),
      );
      expect(r.code, r.stderr).toBe(0);
      expect([...ctx.fake.core.store.runs.values()][0]!.variables).toEqual([
        { key: 'replicas', value: '12345678901234567890' },
        { key: 'tags', value: '{"team" = "ops"}' },
        { key: 'zones', value: '["a", "b"]' },
        { key: 'region', value: '"us-east-1"' },
      ]);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  test('a var-file Terraform would refuse exits 3 with an annotation naming its line', async ({ ctx }) => {
    writeFileSync(join(ctx.repo, 'bad.tfvars'), 'locals {\n  a = 1\n}\n');
    const r = await step(ctx, { workspace: 'demo', 'var-file': 'bad.tfvars', token: ctx.fake.token });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      '::error title=tfe-client action%3A check the inputs::--var-file bad.tfvars:1: "locals" is a block',
    );
    expect(ctx.fake.core.store.configurationVersions.size).toBe(0);
  });

  test('a failed run exits 1 with an ::error:: annotation that says what to do', async ({ ctx }) => {
    ctx.fake.core.nextRun({ errorDuring: 'plan' });
    const r = await step(ctx, { workspace: 'demo', apply: 'auto', token: ctx.fake.token });
    expect(r.code).toBe(1);
    const runId = r.outputs['run-id'];
    expect(r.outputs.outcome).toBe('errored');
    expect(r.stderr).toContain(
      `::error title=Terraform run errored::Run ${runId} errored: read the plan log at ${ctx.fake.url}/app/acme/workspaces/demo/runs/${runId} (or tfe run logs ${runId} --phase plan), fix the configuration and push again.`,
    );
    expect(r.summary).toContain('### ❌ Terraform run errored');
  });

  test('a missing input exits 3 with an annotation naming it', async ({ ctx }) => {
    const r = await step(ctx, { token: ctx.fake.token });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      '::error title=tfe-client action%3A check the inputs::no workspace: pass --workspace',
    );
    expect(ctx.fake.core.store.configurationVersions.size).toBe(0);
  });

  test('a boolean input that is not true or false exits 3', async ({ ctx }) => {
    const r = await step(ctx, { workspace: 'demo', 'plan-only': 'yes', token: ctx.fake.token });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('input plan-only must be true or false, got \\"yes\\"'.replace(/\\"/g, '"'));
  });

  test('the token is masked before anything is printed, and printed nowhere else', async ({ ctx }) => {
    ctx.fake.core.nextRun({ errorDuring: 'plan' });
    const r = await step(ctx, { workspace: 'demo', token: ctx.fake.token, logs: 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith(`::add-mask::${ctx.fake.token}\n`)).toBe(true);
    expect(r.stdout.split(ctx.fake.token)).toHaveLength(2);
    expect(r.stderr).not.toContain(ctx.fake.token);
    expect(readFileSync(ctx.outputFile, 'utf8')).not.toContain(ctx.fake.token);
    expect(r.summary).not.toContain(ctx.fake.token);
  });

  test('a token from TFE_TOKEN (no token input) is masked too', async ({ ctx }) => {
    const r = await step(ctx, { workspace: 'demo', 'plan-only': 'true' }, { TFE_TOKEN: ctx.fake.token });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith(`::add-mask::${ctx.fake.token}\n`)).toBe(true);
  });
});

describe.concurrent('pr-comment', () => {
  test('on a pull request, writes one plan comment with the job’s token, and updates it on the next run', async ({
    ctx,
  }) => {
    // It answers only the job's token: a comment written with any other fails the assertions below.
    const github = await startFakeGithub({ token: 'ghs_jobtoken', repo: 'acme/infra', pr: 7 });
    try {
      const event = join(ctx.repo, '..', 'event.json');
      writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
      const env = {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_API_URL: github.url,
      };
      const inputs = {
        workspace: 'demo',
        'plan-only': 'true',
        'pr-comment': 'true',
        'github-token': 'ghs_jobtoken',
        token: ctx.fake.token,
      };
      const first = await step(ctx, inputs, env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('::add-mask::ghs_jobtoken\n');
      expect(github.comments).toHaveLength(1);
      expect(github.comments[0]!.body).toContain('tfe-client:plan-review workspace=acme/demo');
      expect(github.requests.every((q) => q.headers.authorization === 'Bearer ghs_jobtoken')).toBe(true);
      const second = await step(ctx, inputs, env);
      expect(second.code, second.stderr).toBe(0);
      expect(github.comments).toHaveLength(1);
      expect(github.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    } finally {
      await github.close();
    }
  }, 60_000);
});

// Planning takes long enough for the test to cancel the job while the run plans.
const slow = actionTest({ stepMsByStatus: { planning: 20_000 } });

describe.concurrent('canceling the job', () => {
  slow('SIGINT (the runner canceling the job) cancels the run in TFE and exits 130', async ({ ctx }) => {
    const { child, done } = startStep(ctx, { workspace: 'demo', apply: 'auto', token: ctx.fake.token });
    await printed(child, /\] Run planning\n/, 'stderr');
    const runId = [...ctx.fake.core.store.runs.values()][0]!.id;
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Received SIGINT: stopping the run');
    expect(ctx.fake.core.run(runId)?.cancelRequested).toBe(true);
    expect(r.outputs['run-id']).toBe(runId);
    await ctx.fake.core.waitForRunStatus(runId, 'canceled', 5000);
  });
});

describe('action.yml', () => {
  const meta = parse(readFileSync(join(root, 'action.yml'), 'utf8'));

  test('runs the committed bundle on a Node runtime the runners support', () => {
    expect(meta.runs).toEqual({ using: 'node24', main: 'action/dist/index.cjs' });
  });

  test('declares every input the action reads, and no other', () => {
    expect(Object.keys(meta.inputs).sort()).toEqual([...INPUT_NAMES].sort());
  });

  test('declares every output the step writes, in the order it writes them', async () => {
    const { outputs } = await import('../../src/cli/report.js');
    const written = outputs({
      runId: 'r',
      status: 's',
      outcome: 'applied',
      hasChanges: false,
      runUrl: null,
      message: null,
      workspace: { id: 'w', name: null, organization: null },
      configurationVersionId: null,
      planId: null,
      plan: null,
      apply: null,
      costEstimate: null,
      exitCode: 0,
    }).map(([name]) => name);
    expect(Object.keys(meta.outputs)).toEqual(written);
  });
});
