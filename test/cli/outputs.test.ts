import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { cli, type FakeContext, fakeTest, json, settledRun, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();
const ws = ['--workspace', 'demo'];
const PASSWORD = 's3cr3t-output-7c1d';

/** Applies a configuration with three outputs, one sensitive; returns once its state is current. */
async function applyOutputs(ctx: FakeContext): Promise<void> {
  writeFileSync(
    join(ctx.dir, 'outputs.tf'),
    [
      'output "url" {\n  value = "https://example.com"\n}',
      'output "ids" {\n  value = ["a", "b"]\n}',
      `output "password" {\n  value = "${PASSWORD}"\n  sensitive = true\n}`,
    ].join('\n'),
  );
  await settledRun(ctx, { apply: 'auto' });
}

describe.concurrent('tfe outputs', () => {
  test('prints each output as name = JSON value, a sensitive one masked', async ({ ctx }) => {
    await applyOutputs(ctx);
    const r = await cli(['outputs', ...ws, '--poll-interval', '20ms'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('url = "https://example.com"\nids = [\n  "a",\n  "b"\n]\npassword = (sensitive)\n');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  test('--json leaves a sensitive value out; --show-sensitive puts it in', async ({ ctx }) => {
    await applyOutputs(ctx);
    const masked = await cli(['outputs', ...ws, '--json'], { env: ctx.env });
    expect(masked.code).toBe(0);
    expect(json(masked)).toEqual({
      workspace: { id: ctx.fake.core.workspace('demo').id, name: 'demo', organization: 'acme' },
      outputs: {
        url: { sensitive: false, type: 'string', value: 'https://example.com' },
        ids: { sensitive: false, type: 'tuple', value: ['a', 'b'] },
        password: { sensitive: true, type: 'string' },
      },
      exitCode: 0,
    });
    expect(masked.stdout + masked.stderr).not.toContain(PASSWORD);
    const shown = await cli(['outputs', ...ws, '--json', '--show-sensitive'], { env: ctx.env });
    expect(json(shown).outputs.password).toEqual({ sensitive: true, type: 'string', value: PASSWORD });
  });

  test('a workspace without state has no outputs and exits 0', async ({ ctx }) => {
    const r = await cli(['outputs', ...ws, '--json'], { env: ctx.env });
    expect(r.code).toBe(0);
    expect(json(r).outputs).toEqual({});
    expect(r.stderr).toContain('acme/demo has no state yet: no outputs.');
  });

  test('a state still being processed after --wait-timeout exits 1', async ({ ctx }) => {
    await applyOutputs(ctx);
    const sv = ctx.fake.core.store.stateVersions.get(ctx.fake.core.workspace('demo').currentStateVersionId!)!;
    sv.resourcesProcessed = false;
    const r = await cli(['outputs', ...ws, '--wait-timeout', '200ms', '--poll-interval', '20ms'], {
      env: ctx.env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`State version ${sv.id} was still being processed after 200 ms`);
  });

  test('a --wait-timeout without a unit is a usage error', async ({ ctx }) => {
    const r = await cli(['outputs', ...ws, '--wait-timeout', '30'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--wait-timeout 30 needs a unit');
  });
});
