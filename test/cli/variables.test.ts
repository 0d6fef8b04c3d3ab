import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { VariableRecord } from '../../src/testing/index.js';
import { type CliResult, cli, type FakeContext, fakeTest, json, sdk, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();
const ws = ['--workspace', 'demo'];

// Quotes and angle brackets: a server echoing it escapes them, and the redaction must catch those spellings too.
const SECRET = 'hunter2-"<sk>"-9f8e7d';
const leaks = (r: CliResult) => /hunter2|9f8e7d/.test(r.stdout + r.stderr);

/** The fake's variables of `demo`, by key. */
function varsOf(ctx: FakeContext): Map<string, VariableRecord> {
  const wsId = ctx.fake.core.workspace('demo').id;
  const rows = [...ctx.fake.core.store.variables.values()].filter((v) => v.workspaceId === wsId);
  return new Map(rows.map((v) => [`${v.category}:${v.key}`, v]));
}

/** Variables created in this process. */
async function seed(
  ctx: FakeContext,
  ...vars: Parameters<ReturnType<typeof sdk>['variables']['create']>[1][]
) {
  const tfe = sdk(ctx.fake);
  try {
    for (const v of vars) await tfe.variables.create(ctx.fake.core.workspace('demo').id, v);
  } finally {
    tfe.close();
  }
}

const lines = (r: CliResult) => r.stdout.trim().split('\n');

describe.concurrent('tfe variable list', () => {
  test('prints a table; a sensitive value is shown as (sensitive)', async ({ ctx }) => {
    await seed(
      ctx,
      { key: 'region', value: 'eu-west-1', category: 'terraform' },
      { key: 'ids', value: '["a", "b"]', category: 'terraform', hcl: true },
      { key: 'TOKEN', value: SECRET, category: 'env', sensitive: true },
    );
    const r = await cli(['variable', 'list', ...ws], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(lines(r)).toEqual([
      'KEY     CATEGORY   HCL  SENSITIVE  VALUE',
      'region  terraform  no   no         eu-west-1',
      'ids     terraform  yes  no         ["a", "b"]',
      'TOKEN   env        no   yes        (sensitive)',
    ]);
    expect(leaks(r)).toBe(false);
  });

  test('--json gives each variable, a sensitive value as null; --category filters', async ({ ctx }) => {
    await seed(
      ctx,
      { key: 'region', value: 'eu-west-1', category: 'terraform', description: 'where' },
      { key: 'TOKEN', value: SECRET, category: 'env', sensitive: true },
    );
    const r = await cli(['variable', 'list', ...ws, '--category', 'env', '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({
      workspace: { id: ctx.fake.core.workspace('demo').id, name: 'demo', organization: 'acme' },
      variables: [
        {
          id: expect.stringMatching(/^var-/),
          key: 'TOKEN',
          category: 'env',
          value: null,
          hcl: false,
          sensitive: true,
          description: null,
        },
      ],
      exitCode: 0,
    });
  });

  test('an empty workspace says so on stderr', async ({ ctx }) => {
    const r = await cli(['variable', 'list', ...ws], { env: ctx.env });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'No variables in acme/demo.\n' });
  });
});

describe.concurrent('tfe variable set', () => {
  test('creates the missing, updates what differs, and reports each', async ({ ctx }) => {
    await seed(
      ctx,
      { key: 'region', value: 'eu-west-1', category: 'terraform' },
      { key: 'size', value: 'small', category: 'terraform' },
    );
    const r = await cli(['variable', 'set', ...ws, 'region=eu-west-1', 'size=large', 'name=web'], {
      env: ctx.env,
    });
    expect(r.code).toBe(0);
    expect(lines(r)).toEqual([
      'created    terraform  name',
      'updated    terraform  size',
      'unchanged  terraform  region',
    ]);
    expect(r.stderr).toContain('Variables of acme/demo: 1 created, 1 updated, 1 unchanged');
    const vars = varsOf(ctx);
    expect(vars.get('terraform:size')).toMatchObject({ value: 'large', hcl: false, sensitive: false });
    expect(vars.get('terraform:name')).toMatchObject({ value: 'web', hcl: false, sensitive: false });
  });

  test('--json lists created, updated and unchanged by key; --category env --description apply to all', async ({
    ctx,
  }) => {
    const r = await cli(
      [
        'variable',
        'set',
        ...ws,
        'AWS_REGION=eu-west-1',
        '--category',
        'env',
        '--description',
        'set by CI',
        '--json',
      ],
      { env: ctx.env },
    );
    expect(r.code).toBe(0);
    expect(json(r)).toEqual({
      workspace: { id: ctx.fake.core.workspace('demo').id, name: 'demo', organization: 'acme' },
      created: [{ id: expect.stringMatching(/^var-/), key: 'AWS_REGION', category: 'env' }],
      updated: [],
      unchanged: [],
      exitCode: 0,
    });
    expect(varsOf(ctx).get('env:AWS_REGION')).toMatchObject({ value: 'eu-west-1', description: 'set by CI' });
  });

  test('--hcl sends the value as an HCL expression', async ({ ctx }) => {
    const r = await cli(['variable', 'set', ...ws, '--hcl', 'ids=["a", "b"]'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(varsOf(ctx).get('terraform:ids')).toMatchObject({ value: '["a", "b"]', hcl: true });
  });

  test('--from-file sends strings as strings and other values as HCL', async ({ ctx }) => {
    const file = join(ctx.dir, 'prod.tfvars.json');
    writeFileSync(file, JSON.stringify({ region: 'eu-west-1', replicas: 3, tags: { team: 'web' } }));
    const r = await cli(['variable', 'set', ...ws, '--from-file', file, 'extra=x'], { env: ctx.env });
    expect(r.code).toBe(0);
    const vars = varsOf(ctx);
    expect(vars.get('terraform:region')).toMatchObject({ value: 'eu-west-1', hcl: false });
    expect(vars.get('terraform:replicas')).toMatchObject({ value: '3', hcl: true });
    expect(vars.get('terraform:tags')).toMatchObject({ value: '{"team":"web"}', hcl: true });
    expect(vars.get('terraform:extra')).toMatchObject({ value: 'x', hcl: false });
  });

  test('a bare KEY takes its value from the environment', async ({ ctx }) => {
    const r = await cli(['variable', 'set', ...ws, '--category', 'env', '--sensitive', 'API_TOKEN'], {
      env: { ...ctx.env, API_TOKEN: SECRET },
    });
    expect(r.code).toBe(0);
    expect(varsOf(ctx).get('env:API_TOKEN')).toMatchObject({ value: SECRET, sensitive: true });
    expect(leaks(r)).toBe(false);
  });

  test('a bad key or an HCL env variable is a usage error naming the field', async ({ ctx }) => {
    const badKey = await cli(['variable', 'set', ...ws, '--category', 'env', 'MY-VAR=1'], { env: ctx.env });
    expect(badKey.code).toBe(3);
    expect(badKey.stderr).toContain('must be an environment variable name');
    const hclEnv = await cli(['variable', 'set', ...ws, '--category', 'env', '--hcl', 'A=1'], {
      env: ctx.env,
    });
    expect(hclEnv.code).toBe(3);
    expect(hclEnv.stderr).toContain('"variables.0.hcl" must not be true on an env variable');
    expect(ctx.fake.core.store.variables.size).toBe(0);
  });

  test('nothing to set is a usage error', async ({ ctx }) => {
    const r = await cli(['variable', 'set', ...ws], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nothing to set: pass KEY=VALUE (repeatable) or --from-file <file>.');
  });
});

describe.concurrent('a sensitive value is never printed', () => {
  test('not when the variable is created', async ({ ctx }) => {
    for (const extra of [[], ['--json']]) {
      const r = await cli(['variable', 'set', ...ws, '--sensitive', `db_password=${SECRET}`, ...extra], {
        env: ctx.env,
      });
      expect(r.code).toBe(0);
      expect(leaks(r)).toBe(false);
    }
    expect(varsOf(ctx).get('terraform:db_password')).toMatchObject({ value: SECRET, sensitive: true });
  });

  test('not when TFE refuses the create and echoes the value back', async ({ ctx }) => {
    const wsId = ctx.fake.core.workspace('demo').id;
    ctx.fake.core.injectFault({
      method: 'POST',
      path: `/workspaces/${wsId}/vars`,
      kind: 'status',
      status: 422,
      times: 3,
      errors: [
        {
          status: '422',
          title: 'invalid attribute',
          detail: `Value "${SECRET}" is not allowed`,
          source: { pointer: '/data/attributes/value' },
        },
      ],
    });
    for (const extra of [[], ['--json']]) {
      const r = await cli(['variable', 'set', ...ws, '--sensitive', `db_password=${SECRET}`, ...extra], {
        env: { ...ctx.env, TFE_DEBUG: '1' },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('422');
      expect(r.stderr).toContain('is not allowed');
      expect(leaks(r)).toBe(false);
    }
  });

  test('not when TFE refuses the update of a sensitive variable in plain errors', async ({ ctx }) => {
    await seed(ctx, { key: 'db_password', value: 'old-value', category: 'terraform', sensitive: true });
    const variable = varsOf(ctx).get('terraform:db_password')!;
    ctx.fake.core.injectFault({
      method: 'PATCH',
      path: `/workspaces/${variable.workspaceId}/vars/${variable.id}`,
      kind: 'status',
      status: 422,
      errors: [`Value ${SECRET} is too weak`],
    });
    // Without --sensitive: the variable already is, and stays so.
    const r = await cli(['variable', 'set', ...ws, `db_password=${SECRET}`, '--json'], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r).error.message).toContain('is too weak');
    expect(leaks(r)).toBe(false);
  });
});

describe.concurrent('tfe variable delete', () => {
  test('deletes the variable with that key', async ({ ctx }) => {
    await seed(ctx, { key: 'region', value: 'eu-west-1', category: 'terraform' });
    const r = await cli(['variable', 'delete', 'region', ...ws, '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ deleted: { key: 'region', category: 'terraform' }, exitCode: 0 });
    expect(varsOf(ctx).size).toBe(0);
  });

  test('a key in both categories needs --category', async ({ ctx }) => {
    await seed(
      ctx,
      { key: 'REGION', value: 'a', category: 'terraform' },
      { key: 'REGION', value: 'b', category: 'env' },
    );
    const ambiguous = await cli(['variable', 'delete', 'REGION', ...ws], { env: ctx.env });
    expect(ambiguous.code).toBe(3);
    expect(ambiguous.stderr).toContain('acme/demo has REGION in more than one category (terraform, env)');
    const r = await cli(['variable', 'delete', 'REGION', ...ws, '--category', 'env'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Deleted env variable REGION from acme/demo');
    expect([...varsOf(ctx).keys()]).toEqual(['terraform:REGION']);
  });

  test('an unknown key exits 1', async ({ ctx }) => {
    const r = await cli(['variable', 'delete', 'nope', ...ws, '--json'], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r).error).toEqual({ type: 'VariableNotFound', message: 'no variable nope in acme/demo.' });
  });
});

describe.concurrent('tfe variable usage', () => {
  test('help names every subcommand; an unknown one lists them', async ({ ctx }) => {
    const main = await cli(['--help']);
    for (const text of ['variable list', 'outputs', 'run override-policy', 'run comment']) {
      expect(main.stdout).toContain(text);
    }
    const help = await cli(['variable', 'set', '--help']);
    expect(help.stdout).toMatch(/^Usage: tfe variable set KEY=VALUE/);
    expect(help.stdout).toContain('--from-file <file>');
    const unknown = await cli(['variable', 'show', ...ws], { env: ctx.env });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('unknown variable command "show": use list, set or delete.');
  });
});
