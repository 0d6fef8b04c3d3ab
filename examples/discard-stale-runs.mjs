// List a workspace's pending runs and discard the stale ones: queued behind another run for longer than
// STALE_AFTER_MINUTES (default 60). DRY_RUN=1 only lists them.
//   STALE_AFTER_MINUTES=120 node examples/discard-stale-runs.mjs
// @ts-check
import { RunStatus } from 'tfe-client';
import { connect } from './connect.mjs';

const target = await connect();
const { tfe } = target;
const dryRun = Boolean(process.env.DRY_RUN);
try {
  const workspace = await tfe.workspaces.read(target.organization, target.workspace);
  let staleAfterMinutes = Number(process.env.STALE_AFTER_MINUTES ?? 60);
  if (target.fake) {
    // On the fake: one run waits for confirmation and holds the workspace; two more queue behind it.
    await tfe.configurationVersions.createAndUpload(workspace.id, target.configuration);
    const seeded = [];
    for (const message of ['holds the workspace', 'queued behind it', 'queued too']) {
      seeded.push(await tfe.runs.create({ workspaceId: workspace.id, message }));
    }
    await tfe.runs.waitFor(seeded[0]?.id ?? '', { pollIntervalMs: 50 });
    staleAfterMinutes = 0;
  }
  const cutoff = Date.now() - staleAfterMinutes * 60_000;

  // Collect first: discarding while paging would move later runs onto pages already read.
  /** @type {import('tfe-client').Run[]} */
  const stale = [];
  for await (const run of tfe.runs.list(workspace.id, { status: RunStatus.Pending })) {
    if ((run.createdAt?.getTime() ?? Date.now()) <= cutoff) stale.push(run);
  }
  for (const run of stale) {
    const age = `pending for ${Math.round((Date.now() - (run.createdAt?.getTime() ?? Date.now())) / 60_000)} min`;
    if (!run.actions.isDiscardable) console.log(`${run.id}: ${age}, not discardable`);
    else if (dryRun) console.log(`${run.id}: ${age}, would discard (${run.message})`);
    else {
      await tfe.runs.discard(run.id, {
        comment: `Discarded: pending for more than ${staleAfterMinutes} min`,
      });
      console.log(`${run.id}: ${age}, discarded (${run.message})`);
    }
  }
  console.log(`${stale.length} stale pending run(s)${dryRun ? ' (dry run: none discarded)' : ''}`);
} finally {
  await target.close();
}
