// The flags that match tfci (HashiCorp's CI CLI): saved plans, provisional uploads, empty applies, variables
// from files and the environment, and run lists across an organization. Through the built CLI, on the fake TFE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { cli, fakeTest, json, POLL, runArgs as run, runsOf, settledRun, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest({ workspaces: ['demo', 'web', 'db'] });
const files = mkdtempSync(join(tmpdir(), 'tfe-varfiles-'));
afterAll(() => rmSync(files, { recursive: true, force: true }));

describe.concurrent('tfe run --save-plan', () => {
  test('plans on a provisional configuration version, ends saved (exit 0), and applies later with tfe run apply', async ({
    ctx,
  }) => {
    const r = await cli(run(ctx, '--save-plan', '--json'), { env: ctx.env });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ status: 'planned_and_saved', outcome: 'saved', exitCode: 0 });
    const [record] = runsOf(ctx.fake);
    expect(record).toMatchObject({ savePlan: true });
    expect(ctx.fake.core.configurationVersion(record!.configurationVersionId)?.provisional).toBe(true);
    const applied = await cli(['run', 'apply', doc.runId, '--wait', ...POLL, '--json'], { env: ctx.env });
    expect(applied.code).toBe(0);
    expect(json(applied)).toMatchObject({ runId: doc.runId, status: 'applied', outcome: 'applied' });
  }, 60_000);

  test('is refused with --apply auto and with --plan-only (exit 3)', async ({ ctx }) => {
    const auto = await cli(run(ctx, '--save-plan', '--apply', 'auto'), { env: ctx.env });
    expect(auto.code).toBe(3);
    expect(auto.stderr).toContain('a --save-plan run is applied later, with tfe run apply <run-id>');
    const planOnly = await cli(run(ctx, '--save-plan', '--plan-only'), { env: ctx.env });
    expect(planOnly.code).toBe(3);
    expect(planOnly.stderr).toContain('--save-plan and --plan-only exclude each other');
    expect(runsOf(ctx.fake)).toHaveLength(0);
  }, 60_000);
});

describe.concurrent('tfe upload --provisional', () => {
  test('creates a provisional configuration version', async ({ ctx }) => {
    const r = await cli(['upload', '--workspace', 'demo', '--dir', ctx.dir, '--provisional', '--json'], {
      env: ctx.env,
    });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ provisional: true, speculative: false, exitCode: 0 });
    expect(ctx.fake.core.configurationVersion(doc.configurationVersionId)?.provisional).toBe(true);
  });
});

describe.concurrent('run variables and attributes', () => {
  test('--var-file (.tfvars.json), --env-vars and --var are sent as HCL literals, the later source winning', async ({
    ctx,
  }) => {
    const file = join(files, `${Math.random().toString(36).slice(2)}.tfvars.json`);
    writeFileSync(
      file,
      JSON.stringify({
        region: 'eu-west-1',
        replicas: 3,
        enabled: true,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ that must stay literal in HCL
        tags: { team: 'ops', 'cost-center': '${x}' },
        zones: ['a', 'b'],
        nothing: null,
        overridden: 'from the file',
      }),
    );
    const r = await cli(
      run(ctx, '--plan-only', '--var-file', file, '--env-vars', '--var', 'overridden=from --var', '--json'),
      {
        env: {
          ...ctx.env,
          TF_VAR_from_env: 'plain',
          TF_VAR_list_env: '["x", "y"]',
          TF_VAR_region: 'ignored: the file comes later',
        },
      },
    );
    expect(r.code).toBe(0);
    const sent = new Map(runsOf(ctx.fake)[0]!.variables.map((v) => [v.key, v.value]));
    expect(Object.fromEntries(sent)).toEqual({
      from_env: '"plain"',
      list_env: '["x", "y"]',
      region: '"eu-west-1"',
      replicas: '3',
      enabled: 'true',
      tags: '{"team" = "ops", "cost-center" = "$${x}"}',
      zones: '["a", "b"]',
      nothing: 'null',
      overridden: '"from --var"',
    });
  });

  test('TF_VAR_* variables are sent only with --env-vars', async ({ ctx }) => {
    const r = await cli(run(ctx, '--plan-only', '--json'), { env: { ...ctx.env, TF_VAR_region: 'x' } });
    expect(r.code).toBe(0);
    expect(runsOf(ctx.fake)[0]!.variables).toEqual([]);
  });

  test('a .tfvars (HCL) file is sent as HCL literals, before a later .tfvars.json file and --var-hcl', async ({
    ctx,
  }) => {
    const hcl = join(files, 'prod.tfvars');
    writeFileSync(
      hcl,
      [
        '# production',
        'region   = "eu-west-1"',
        'replicas = 3',
        'ratio    = 12345678901234567890.5',
        'enabled  = true',
        'nothing  = null',
        'banner   = "$${not a template} \\\\o/"',
        'motd = <<-EOT',
        '  hello',
        '  EOT',
        'tags = {',
        '  team          = "ops"',
        '  "cost-center" = 42',
        '}',
        'zones = ["a", "b"]',
        'later = "from prod.tfvars"',
        'last  = "from prod.tfvars"',
        '',
      ].join('\n'),
    );
    const json = join(files, 'later.tfvars.json');
    writeFileSync(json, JSON.stringify({ later: 'from later.tfvars.json' }));
    const r = await cli(
      run(
        ctx,
        '--plan-only',
        '--var-file',
        hcl,
        '--var-file',
        json,
        '--var-hcl',
        'last=["from --var-hcl"]',
        '--json',
      ),
      { env: ctx.env },
    );
    expect(r.code).toBe(0);
    expect(Object.fromEntries(runsOf(ctx.fake)[0]!.variables.map((v) => [v.key, v.value]))).toEqual({
      region: '"eu-west-1"',
      replicas: '3',
      ratio: '12345678901234567890.5',
      enabled: 'true',
      nothing: 'null',
      banner: '"$${not a template} \\\\o/"',
      motd: '"hello\\n"',
      tags: '{"team" = "ops", "cost-center" = 42}',
      zones: '["a", "b"]',
      later: '"from later.tfvars.json"',
      last: '["from --var-hcl"]',
    });
  });

  test('a .tfvars file with a reference is refused with file:line, before anything is created (exit 3)', async ({
    ctx,
  }) => {
    const file = join(files, 'refers.tfvars');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL interpolation, refused
    writeFileSync(file, 'password = "hunter2"\nname = "app-${var.env}"\n');
    const r = await cli(run(ctx, '--var-file', file), { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`--var-file ${file}:2: name refers to var.env`);
    expect(r.stderr).not.toContain('hunter2');
    expect(ctx.fake.core.store.configurationVersions.size).toBe(0);
  });

  test('a .tfvars.json file that is not one JSON object is refused (exit 3)', async ({ ctx }) => {
    const file = join(files, 'list.tfvars.json');
    writeFileSync(file, '["a"]');
    const r = await cli(run(ctx, '--var-file', file), { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('must hold one JSON object of variable names and values');
  });

  test('--allow-empty-apply is sent as allow-empty-apply', async ({ ctx }) => {
    const r = await cli(run(ctx, '--allow-empty-apply', '--json'), { env: ctx.env });
    expect(r.code).toBe(0);
    expect(runsOf(ctx.fake)[0]).toMatchObject({ allowEmptyApply: true });
  });
});

describe.concurrent('tfe run list', () => {
  test('--operation asks the service for those operations (plan-only runs are left out by default)', async ({
    ctx,
  }) => {
    await settledRun(ctx, { planOnly: true });
    const r = await cli(
      ['run', 'list', '--workspace', 'demo', '--operation', 'plan_only,plan_and_apply', '--json'],
      {
        env: ctx.env,
      },
    );
    expect(r.code).toBe(0);
    expect(json(r).runs).toHaveLength(1);
    const query = ctx.fake.core.requests.find((q) => q.path.endsWith('/runs') && q.method === 'GET')?.query;
    expect(query?.['filter[operation]']).toBe('plan_only,plan_and_apply');
  });

  test('--organization alone lists the organization’s runs, each with its workspace', async ({ ctx }) => {
    await settledRun(ctx, { workspace: 'web' });
    await settledRun(ctx, { workspace: 'db' });
    const r = await cli(['run', 'list', '--organization', 'acme', '--json'], {
      env: { ...ctx.env, TFE_ORGANIZATION: '' },
    });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.organization).toBe('acme');
    expect(doc.runs.map((x: { workspace: string }) => x.workspace).sort()).toEqual(['db', 'web']);
    expect(doc.runs[0].runUrl).toMatch(/\/app\/acme\/workspaces\/(web|db)\/runs\/run-/);
    expect(ctx.fake.core.requests.some((q) => q.path === '/api/v2/organizations/acme/runs')).toBe(true);
  });

  test('--workspace-names narrows the organization’s runs to those workspaces', async ({ ctx }) => {
    await settledRun(ctx, { workspace: 'web' });
    await settledRun(ctx, { workspace: 'db' });
    const r = await cli(
      ['run', 'list', '--organization', 'acme', '--workspace-names', 'web,demo', '--json'],
      {
        env: ctx.env,
      },
    );
    expect(r.code).toBe(0);
    expect(json(r).runs.map((x: { workspace: string }) => x.workspace)).toEqual(['web']);
    const query = ctx.fake.core.requests.find((q) => q.path === '/api/v2/organizations/acme/runs')?.query;
    expect(query?.['filter[workspace_names]']).toBe('web,demo');
  });

  test('--workspace-names with --workspace is refused (exit 3)', async ({ ctx }) => {
    const r = await cli(['run', 'list', '--workspace', 'demo', '--workspace-names', 'web'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--workspace-names lists runs across an organization');
  });
});
