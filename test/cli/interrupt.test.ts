import { describe, expect, it } from 'vitest';
import { cli, json, POLL, startCli, useBuiltCli, useFake } from './helpers.js';

useBuiltCli();
// Planning takes long enough for the test to act while the run plans.
const ctx = useFake({ stepMsByStatus: { planning: 20_000 } });
const run = (...args: string[]) => ['run', '--workspace', 'demo', '--dir', ctx.dir, ...POLL, ...args];

/** Resolves with the id of the first run of the fake that starts planning. */
function planning(): Promise<string> {
  return new Promise((resolve) =>
    ctx.fake.core.onRunStatus((r) => {
      if (r.status === 'planning') resolve(r.id);
    }),
  );
}

describe('stopping a waiting command', () => {
  it('SIGINT while the run plans cancels the run and exits 130', async () => {
    const started = planning();
    const { child, done } = startCli(run('--apply', 'auto', '--json'), { env: ctx.env });
    const runId = await started;
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Received SIGINT: stopping the run');
    expect(json(r)).toMatchObject({ runId, exitCode: 130, error: { type: 'Interrupted' } });
    expect(ctx.fake.core.run(runId)?.cancelRequested).toBe(true);
    await ctx.fake.core.waitForRunStatus(runId, 'canceled', 5000);
  });

  it('SIGTERM with --on-interrupt leave leaves the run as it is and exits 143', async () => {
    const started = planning();
    const { child, done } = startCli(run('--on-interrupt', 'leave'), { env: ctx.env });
    const runId = await started;
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('leaving the run as it is');
    expect(ctx.fake.core.run(runId)).toMatchObject({ status: 'planning', cancelRequested: false });
  });

  it('--timeout cancels the run and exits 1', async () => {
    const r = await cli(run('--timeout', '800ms', '--json'), { env: ctx.env });
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(doc.error.message).toMatch(/timed out after 800ms \(--timeout\); run run-\w+ was canceled/);
    expect(ctx.fake.core.run(doc.runId)?.cancelRequested).toBe(true);
  });

  it('SIGINT during tfe run wait cancels the run it waits for', async () => {
    const uploaded = await cli(['upload', '--workspace', 'demo', '--dir', ctx.dir], { env: ctx.env });
    expect(uploaded.code).toBe(0);
    const started = planning();
    const created = await cli(['run', 'create', '--workspace', 'demo', '--json'], { env: ctx.env });
    expect(created.code).toBe(0);
    const runId = json(created).runId as string;
    expect(await started).toBe(runId);
    const { child, done } = startCli(['run', 'wait', runId, ...POLL], { env: ctx.env });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`run ${runId} was canceled`);
    expect(ctx.fake.core.run(runId)?.cancelRequested).toBe(true);
  });
});
