// Trigger a run from a directory and wait for it: pack and upload the configuration as a new configuration
// version, create a run on it, and follow its status until it settles.
//   node examples/run-from-directory.mjs [dir]
// Exit code: 0 when the run planned or applied, 1 when it errored or was stopped.
// @ts-check
import { FAILED_OUTCOMES } from 'tfe-client';
import { connect } from './connect.mjs';

const target = await connect();
const { tfe } = target;
const dir = process.argv[2] ?? target.configuration;
try {
  const workspace = await tfe.workspaces.read(target.organization, target.workspace);
  // Create, upload (packed on the fly, .terraformignore honoured) and wait until TFE has processed it.
  const cv = await tfe.configurationVersions.createAndUpload(workspace.id, dir);
  console.log(`configuration version ${cv.id}: ${cv.status}`);

  const run = await tfe.runs.create({
    workspaceId: workspace.id,
    configurationVersionId: cv.id,
    message: `Triggered from ${dir}`,
  });
  console.log(`run ${run.id} created: ${tfe.runUrl(target.organization, workspace.name, run.id)}`);

  const { run: settled, outcome } = await tfe.runs.waitFor(run.id, {
    onChange: (r, previous) => console.log(`  ${previous?.status ?? '(start)'} → ${r.status}`),
    timeoutMs: 30 * 60_000,
  });
  console.log(`outcome: ${outcome} (status ${settled.status})`);
  if (outcome === 'needs_confirmation') console.log('the plan waits for confirmation in the TFE UI');
  process.exitCode = FAILED_OUTCOMES.has(outcome) ? 1 : 0;
} finally {
  await target.close();
}
