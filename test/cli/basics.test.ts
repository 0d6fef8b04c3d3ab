import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printed } from '../helpers/child-output.js';
import { closedPortAddress } from '../helpers/ports.js';
import { cli, fakeTest, json, root, startCli, useBuiltCli } from './helpers.js';

useBuiltCli();

describe.concurrent('help and version', () => {
  it('--help lists the commands, the environment and the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const text of ['run create', 'run logs', 'workspace show', 'upload', 'fake-server', 'TFE_TOKEN']) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+Success/);
    expect(r.stdout).toMatch(/\n\s+3\s+Usage or configuration error/);
  });

  it('<command> --help prints that command’s flags', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tfe run \[flags\]/);
    for (const flag of [
      '--apply <mode>',
      '--no-refresh',
      '--detailed-exitcode',
      '--on-interrupt',
      '--var <key=value>',
      '--dotenv',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect((await cli(['run', 'create', '--help'])).stdout).toMatch(/^Usage: tfe run create/);
    expect((await cli(['help', 'run', 'logs'])).stdout).toMatch(/^Usage: tfe run logs/);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('no command prints the help on stderr and exits 3', async () => {
    const r = await cli([]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Usage: tfe <command>');
  });

  it('a command group without its subcommand prints its help on stderr and exits 3', async () => {
    for (const group of ['workspace', 'variable']) {
      const r = await cli([group]);
      expect(r).toMatchObject({ code: 3, stdout: '' });
      expect(r.stderr).toContain(`Usage: tfe ${group} <`);
    }
  });
});

describe.concurrent('tfe fake-server', () => {
  it('serves a fake TFE the CLI can use, prints where as one JSON line, and stops on SIGINT', async () => {
    const { child, done } = startCli(['fake-server', '--workspace', 'prod', '--step-ms', '5']);
    const line = await printed(child, /^.*\n/);
    const info = JSON.parse(line) as {
      url: string;
      token: string;
      organization: string;
      workspaces: string[];
    };
    expect(info).toMatchObject({ organization: 'acme', workspaces: ['prod'] });
    const env = { TFE_ADDRESS: info.url, TFE_TOKEN: info.token, TFE_ORGANIZATION: info.organization };
    const shown = await cli(['workspace', 'show', '--workspace', 'prod', '--json'], { env });
    expect(json(shown)).toMatchObject({ name: 'prod', organization: 'acme' });
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('a bad flag exits 3 like any other command', async () => {
    const r = await cli(['fake-server', '--port', 'abc']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--port');
  });

  it('--archivist-re-put conflict answers 409 to a second PUT of the same bytes', async () => {
    const { child, done } = startCli(['fake-server', '--archivist-re-put', 'conflict']);
    const info = JSON.parse(await printed(child, /^.*\n/)) as { apiUrl: string; token: string };
    const headers = { authorization: `Bearer ${info.token}`, 'content-type': 'application/vnd.api+json' };
    const ws = (await (
      await fetch(`${info.apiUrl}/organizations/acme/workspaces/demo`, { headers })
    ).json()) as {
      data: { id: string };
    };
    const created = await fetch(`${info.apiUrl}/workspaces/${ws.data.id}/configuration-versions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false } },
      }),
    });
    const uploadUrl = ((await created.json()) as { data: { attributes: { 'upload-url': string } } }).data
      .attributes['upload-url'];
    const put = () => fetch(uploadUrl, { method: 'PUT', body: Buffer.from('same bytes') });
    expect([(await put()).status, (await put()).status]).toEqual([200, 409]);
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('an unknown --archivist-re-put exits 3 naming the choices', async () => {
    const r = await cli(['fake-server', '--archivist-re-put', 'maybe']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--archivist-re-put must be accept-identical or conflict, not "maybe"');
  });
});

describe.concurrent('usage errors exit 3 with a message saying what to fix', () => {
  it('an unknown command suggests the nearest one', async () => {
    const r = await cli(['uplaod']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown command "uplaod"; did you mean tfe upload?');
  });

  it('an unknown run command suggests the nearest one', async () => {
    const r = await cli(['run', 'shwo', 'run-1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('did you mean tfe run show?');
  });

  it('an unknown flag suggests the nearest flag and points at the help', async () => {
    const r = await cli(['run', '--workspace', 'demo', '--aply', 'auto']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown flag --aply; did you mean --apply?');
    expect(r.stderr).toContain('See tfe run --help.');
  });

  it('a flag without its value names the flag', async () => {
    const r = await cli(['run', '--workspace']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--workspace needs a value');
  });

  it('a bad --apply lists the allowed modes', async () => {
    const r = await cli(['run', '--apply', 'yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--apply must be one of auto, confirm, never; got "yes"');
  });

  it('a --timeout without a unit asks for one', async () => {
    const r = await cli(['run', '--timeout', '30']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--timeout 30 needs a unit, e.g. 30s or 30m');
  });

  it('--plan-only with --apply auto is refused before anything is uploaded', async () => {
    const r = await cli(['run', '--plan-only', '--apply', 'auto']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('a --plan-only run is never applied');
  });

  it('--no-refresh with --refresh-only is refused before anything is uploaded', async () => {
    for (const command of [['run'], ['run', 'create']]) {
      const r = await cli([...command, '--workspace', 'demo', '--no-refresh', '--refresh-only']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('--no-refresh and --refresh-only contradict each other');
      expect(r.stderr).toContain(`See tfe ${command.join(' ')} --help.`);
    }
  });

  it('a --var without "=" shows the expected form', async () => {
    const r = await cli(['run', '--var', 'region']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--var takes key=value, got "region"');
  });

  it('a missing --dir is named', async () => {
    const r = await cli(['run', '--dir', 'no/such/dir']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--dir no/such/dir: no such directory');
  });

  it('a missing token names the variables to set', async () => {
    const r = await cli(['run', 'show', 'run-1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no API token: set TFE_TOKEN (or TF_API_TOKEN, or TF_TOKEN_app_terraform_io)');
  });

  it('a missing workspace and a missing organization are named', async () => {
    const env = { TFE_TOKEN: 't' };
    const noWorkspace = await cli(['run'], { env });
    expect(noWorkspace.code).toBe(3);
    expect(noWorkspace.stderr).toContain(
      'no workspace: pass --workspace <name> (or set TFE_WORKSPACE or TF_WORKSPACE)',
    );
    const noOrganization = await cli(['run', '--workspace', 'demo'], { env });
    expect(noOrganization.code).toBe(3);
    expect(noOrganization.stderr).toContain(
      'no organization for workspace "demo": pass --organization <name>',
    );
  });

  it('with --json, a usage error is the one JSON document', async () => {
    const r = await cli(['run', '--json', '--aply', 'auto']);
    expect(r.code).toBe(3);
    expect(json(r)).toEqual({
      error: { type: 'UsageError', message: expect.stringContaining('unknown flag --aply') },
      exitCode: 3,
    });
  });

  it('--json given as a flag value does not turn a usage error into a JSON document', async () => {
    const r = await cli(['run', 'create', '--workspace', 'demo', '--message', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--message needs a value');
    expect(r.stdout).toBe('');
  });

  it('with --json, a usage error found after the flags parsed is the one JSON document', async () => {
    const r = await cli(['run', '--json', '--apply', 'sometimes']);
    expect(r.code).toBe(3);
    expect(json(r).error.message).toContain('--apply must be one of auto, confirm, never');
  });
});

const test = fakeTest();

describe.concurrent('configuration against TFE', () => {
  test('a token TFE refuses exits 3, and the token is never printed', async ({ ctx }) => {
    const token = 'wrong-token-abcdef.atlasv1.SECRET';
    const r = await cli(['run', 'show', 'run-1', '--json'], { env: { ...ctx.env, TFE_TOKEN: token } });
    expect(r.code).toBe(3);
    expect(json(r).error.message).toContain('TFE refused the token (401 Unauthorized)');
    expect(r.stdout + r.stderr).not.toContain(token);
  });

  test('reads the token from TF_TOKEN_<host>, as Terraform does', async ({ ctx }) => {
    const host = new URL(ctx.fake.url).hostname.replace(/\./g, '_');
    const env = { TFE_ADDRESS: ctx.fake.url, [`TF_TOKEN_${host}`]: ctx.fake.token, TFE_ORGANIZATION: 'acme' };
    const r = await cli(['workspace', 'show', '--workspace', 'demo', '--json'], { env });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ name: 'demo', organization: 'acme' });
  });

  test('a workspace TFE cannot find exits 3 naming the flags to check', async ({ ctx }) => {
    const r = await cli(['run', '--workspace', 'nope', '--dir', ctx.dir], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('workspace acme/nope was not found, or the token cannot read it');
    expect(ctx.fake.core.store.configurationVersions.size).toBe(0);
  });

  test('an unreachable address exits 1 saying where it tried', async ({ ctx }) => {
    const r = await cli(['run', 'show', 'run-1'], {
      env: { ...ctx.env, TFE_ADDRESS: await closedPortAddress() },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not reach the server.*Check --address/s);
  });
});
