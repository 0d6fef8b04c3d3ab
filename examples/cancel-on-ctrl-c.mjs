// Cancel on Ctrl-C: the first Ctrl-C ends the wait (an AbortSignal) and asks TFE to stop the run — cancel while
// it plans or applies, discard while it waits — then waits until the run has really ended. A second Ctrl-C
// exits at once.
//   node examples/cancel-on-ctrl-c.mjs [dir]
// Exit code: 130 after Ctrl-C, 0 or 1 by the run's outcome otherwise.
// @ts-check
import { AbortError, FAILED_OUTCOMES } from 'tfe-client';
import { connect } from './connect.mjs';

// On the fake, the plan takes a minute, which leaves time to press Ctrl-C.
const target = await connect({ stepMsByStatus: { planning: 60_000 } });
const { tfe } = target;
const controller = new AbortController();
process.once('SIGINT', () => {
  console.log('Ctrl-C: stopping the run…');
  controller.abort();
});

try {
  const workspace = await tfe.workspaces.read(target.organization, target.workspace);
  const cv = await tfe.configurationVersions.createAndUpload(
    workspace.id,
    process.argv[2] ?? target.configuration,
    {
      signal: controller.signal,
    },
  );
  const run = await tfe.runs.create({
    workspaceId: workspace.id,
    configurationVersionId: cv.id,
    message: 'Ctrl-C me',
  });
  console.log(`run ${run.id} created; press Ctrl-C to cancel it`);
  try {
    const { outcome } = await tfe.runs.waitFor(run.id, {
      signal: controller.signal,
      onChange: (r) => console.log(`  ${r.status}`),
    });
    console.log(`outcome: ${outcome}`);
    process.exitCode = FAILED_OUTCOMES.has(outcome) ? 1 : 0;
  } catch (err) {
    if (!(err instanceof AbortError)) throw err;
    // What the run allows now decides how to stop it.
    const current = await tfe.runs.read(run.id);
    const comment = 'Interrupted with Ctrl-C';
    if (current.actions.isCancelable) await tfe.runs.cancel(run.id, { comment });
    else if (current.actions.isDiscardable) await tfe.runs.discard(run.id, { comment });
    const { run: ended } = await tfe.runs.waitFor(run.id, { until: 'final', timeoutMs: 5 * 60_000 });
    console.log(`run ${ended.id} ${ended.status}`);
    process.exitCode = 130;
  }
} finally {
  await target.close();
}
