// Messages that point at the fix (issue #19), through the built CLI on a fake TFE over loopback: the command's
// own help, the flag or variable the user actually set, conflicts, a phase that never ran, an error body said
// once, and a fake that refuses an empty token.
import { describe, expect } from 'vitest';
import { cli, fakeTest, json, settledRun, startCli, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();

describe.concurrent('messages name what the user set and where the help is', () => {
  test('a bad value points at the help of the command given', async ({ ctx }) => {
    const r = await cli(['run', '--workspace', 'demo', '--timeout', '5'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--timeout 5 needs a unit');
    expect(r.stderr).toContain('See tfe run --help.');
  });

  test('a refused --token is named as --token', async ({ ctx }) => {
    const env = { TFE_ADDRESS: ctx.env.TFE_ADDRESS! };
    const r = await cli(['run', 'list', '--workspace', 'demo', '--organization', 'acme', '--token', 'nope'], {
      env,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'TFE refused the token (401 Unauthorized): check --token, and that TFE_ADDRESS',
    );
  });

  test('a refused TF_API_TOKEN is named as TF_API_TOKEN', async ({ ctx }) => {
    const env = { TFE_ADDRESS: ctx.env.TFE_ADDRESS!, TF_API_TOKEN: 'nope', TFE_ORGANIZATION: 'acme' };
    const r = await cli(['run', 'list', '--workspace', 'demo'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('check TF_API_TOKEN,');
  });

  test('an unknown workspace names the variables that chose it', async ({ ctx }) => {
    const env = { ...ctx.env, TFE_WORKSPACE: 'nope' };
    const r = await cli(['run', 'list'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('check TFE_ORGANIZATION and TFE_WORKSPACE');
  });

  test('--workspace-id with --workspace is a conflict', async ({ ctx }) => {
    const id = ctx.fake.core.workspace('demo').id;
    const r = await cli(['run', 'list', '--workspace-id', id, '--workspace', 'other'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--workspace-id and --workspace both name the workspace: pass one.');
    expect(ctx.fake.core.requests).toEqual([]);
  });

  test('fake-server flags get the did-you-mean of every other command', async () => {
    const r = await cli(['fake-server', '--prot', '8080']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown flag --prot; did you mean --port?');
    expect(r.stderr).toContain('See tfe fake-server --help.');
  });

  test('fake-server --token "" refuses to start rather than accept requests without a token', async () => {
    const { child, done } = startCli(['fake-server', '--token', '']);
    // A server that started would run until stopped: stop it so the test fails instead of hanging.
    const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
    const r = await done;
    clearTimeout(timer);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--token must not be empty');
  });

  test('run logs --phase apply on a run that never applied says so', async ({ ctx }) => {
    const runId = await settledRun(ctx, { planOnly: true });
    const r = await cli(['run', 'logs', runId, '--phase', 'apply'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `run ${runId} was never applied (planned_and_finished), so it has no apply log.`,
    );
    expect(r.stderr).toContain(`tfe run logs ${runId} --phase plan`);
  });

  test("a proxy's HTML error page is summarised once, not repeated", async ({ ctx }) => {
    const runId = await settledRun(ctx);
    ctx.fake.core.injectFault({ kind: 'html-502', method: 'POST', path: `/runs/${runId}/actions/discard` });
    const r = await cli(['run', 'discard', runId, '--json'], { env: ctx.env });
    expect(r.code).toBe(1);
    const message: string = json(r).error.message;
    expect(message).toMatch(/^502 Bad Gateway on POST \/api\/v2\/runs\/run-\w+\/actions\/discard/);
    expect(message.match(/502 Bad Gateway/g)).toHaveLength(1);
  });
});
