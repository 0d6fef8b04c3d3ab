import { describe, expect } from 'vitest';
import { cli, fakeTest, json, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();

// The variables of Terraform (TF_CLOUD_*, TF_WORKSPACE, TF_TOKEN_<host>) and of tfci (TF_HOSTNAME, TF_API_TOKEN),
// as a pipeline moved from either sets them.
describe('the environment conventions of Terraform and tfci', () => {
  test('TF_HOSTNAME, TF_API_TOKEN, TF_CLOUD_ORGANIZATION and TF_WORKSPACE alone reach the named host', async ({
    ctx,
  }) => {
    const r = await cli(['workspace', 'show', '--json'], {
      env: {
        TF_HOSTNAME: ctx.fake.url,
        TF_API_TOKEN: ctx.fake.token,
        TF_CLOUD_ORGANIZATION: ctx.fake.organization,
        TF_WORKSPACE: 'demo',
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r).name).toBe('demo');
    expect(ctx.fake.core.requests.length).toBeGreaterThan(0);
  });

  test('TF_TOKEN_<host> is read for the host the configuration names', async ({ ctx }) => {
    const r = await cli(['workspace', 'show', '--workspace', 'demo', '--json'], {
      env: {
        TF_HOSTNAME: ctx.fake.url,
        TF_TOKEN_127_0_0_1: ctx.fake.token,
        TF_CLOUD_ORGANIZATION: ctx.fake.organization,
      },
    });
    expect(r.code).toBe(0);
    expect(json(r).name).toBe('demo');
  });

  test('variables that name different hosts are refused, naming both, before any request', async ({
    ctx,
  }) => {
    const r = await cli(['workspace', 'show', '--workspace', 'demo'], {
      env: { ...ctx.env, TF_CLOUD_HOSTNAME: 'app.terraform.io' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `TFE_ADDRESS names ${ctx.fake.url} but TF_CLOUD_HOSTNAME names https://app.terraform.io`,
    );
    expect(r.stderr).not.toContain(ctx.fake.token);
    expect(ctx.fake.core.requests).toHaveLength(0);
  });

  test('--address wins over variables that disagree with it', async ({ ctx }) => {
    const r = await cli(['workspace', 'show', '--workspace', 'demo', '--address', ctx.fake.url, '--json'], {
      env: { ...ctx.env, TFE_ADDRESS: 'https://elsewhere.invalid' },
    });
    expect(r.code).toBe(0);
    expect(json(r).name).toBe('demo');
  });

  test('an address copied with the API path works', async ({ ctx }) => {
    const r = await cli(['workspace', 'show', '--workspace', 'demo', '--json'], {
      env: { ...ctx.env, TFE_ADDRESS: `${ctx.fake.url}/api/v2/` },
    });
    expect(r.code).toBe(0);
    expect(json(r).name).toBe('demo');
  });

  test('an address with another path exits 3 naming the variable', async ({ ctx }) => {
    const r = await cli(['workspace', 'show', '--workspace', 'demo'], {
      env: { ...ctx.env, TFE_ADDRESS: `${ctx.fake.url}/app/acme/workspaces` },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('TFE_ADDRESS has the path /app/acme/workspaces');
    expect(ctx.fake.core.requests).toHaveLength(0);
  });
});
