import type { ChildProcess } from 'node:child_process';
import { describe, expect } from 'vitest';
import { printed } from '../helpers/child-output.js';
import {
  cli,
  type FakeContext,
  fakeTest,
  json,
  POLL,
  runArgs as run,
  runsOf,
  sdk,
  startCli,
  useBuiltCli,
} from './helpers.js';

useBuiltCli();
// Planning takes long enough for the test to act while the run plans.
const test = fakeTest({ stepMsByStatus: { planning: 20_000 } });

/**
 * Waits until the CLI itself has seen its run planning (so it knows the run it must stop), and returns the id.
 * The fake's own status would race the CLI's reading of the run it created.
 */
async function planning(ctx: FakeContext, child: ChildProcess): Promise<string> {
  await printed(child, /\] Run planning\n/, 'stderr');
  return runsOf(ctx.fake)[0]!.id;
}

describe.concurrent('stopping a waiting command', () => {
  test('SIGINT while the run plans cancels the run and exits 130', async ({ ctx }) => {
    const { child, done } = startCli(run(ctx, '--apply', 'auto', '--json'), { env: ctx.env });
    const runId = await planning(ctx, child);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Received SIGINT: stopping the run');
    expect(json(r)).toMatchObject({ runId, exitCode: 130, error: { type: 'Interrupted' } });
    expect(ctx.fake.core.run(runId)?.cancelRequested).toBe(true);
    await ctx.fake.core.waitForRunStatus(runId, 'canceled', 5000);
  });

  test('SIGTERM with --on-interrupt leave leaves the run as it is and exits 143', async ({ ctx }) => {
    const { child, done } = startCli(run(ctx, '--on-interrupt', 'leave'), { env: ctx.env });
    const runId = await planning(ctx, child);
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('leaving the run as it is');
    expect(ctx.fake.core.run(runId)).toMatchObject({ status: 'planning', cancelRequested: false });
  });

  test('--timeout cancels the run and exits 1', async ({ ctx }) => {
    // Long enough for the upload and the run to be created on a busy machine; planning takes 20 s.
    const r = await cli(run(ctx, '--timeout', '3s', '--json'), { env: ctx.env });
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(doc.error.message).toMatch(/timed out after 3s \(--timeout\); run run-\w+ was canceled/);
    expect(ctx.fake.core.run(doc.runId)?.cancelRequested).toBe(true);
  });

  test('SIGINT during tfe run wait --on-interrupt cancel cancels the run it waits for', async ({ ctx }) => {
    const tfe = sdk(ctx.fake);
    const workspaceId = ctx.fake.core.workspace('demo').id;
    const cv = await tfe.configurationVersions.createAndUpload(workspaceId, ctx.dir, { pollIntervalMs: 10 });
    const runId = (await tfe.runs.create({ workspaceId, configurationVersionId: cv.id })).id;
    tfe.close();
    const { child, done } = startCli(['run', 'wait', runId, '--on-interrupt', 'cancel', ...POLL], {
      env: ctx.env,
    });
    await printed(child, /\] Run planning\n/, 'stderr');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`run ${runId} was canceled`);
    expect(ctx.fake.core.run(runId)?.cancelRequested).toBe(true);
  });
});

// Processing the upload takes long enough for the test to act while the CLI waits for it.
const slowUpload = fakeTest({ uploadProcessingMs: 20_000 });

describe.concurrent('stopping a command that is not waiting for a run', () => {
  slowUpload(
    'SIGINT during tfe upload exits 130 with the interruption as the JSON document',
    async ({ ctx }) => {
      const { child, done } = startCli(['upload', '--workspace', 'demo', '--dir', ctx.dir, '--json'], {
        env: ctx.env,
      });
      await printed(child, /\] Uploading /, 'stderr');
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      expect(json(r)).toEqual({
        error: { type: 'Interrupted', message: 'interrupted by SIGINT' },
        exitCode: 130,
      });
    },
  );
});
