// Imports the BUILT package by its own name (ESM) and drives it against the fake TFE over loopback.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { NotFoundError, RunStatus, TfeClient, VERSION } from 'tfe-client';
import { startFakeTfe } from 'tfe-client/testing';

const fake = await startFakeTfe({ stepMs: 5 });
try {
  const tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  const workspace = await tfe.workspaces.read(fake.organization, 'demo');
  const source = fileURLToPath(new URL('../../examples/configuration', import.meta.url));
  const cv = await tfe.configurationVersions.createAndUpload(workspace.id, source, { speculative: true });
  const run = await tfe.runs.create({
    workspaceId: workspace.id,
    configurationVersionId: cv.id,
    message: 'smoke (esm)',
    planOnly: true,
  });
  assert.equal(typeof run.id, 'string');
  const { outcome } = await tfe.runs.waitFor(run.id, { pollIntervalMs: 10, timeoutMs: 10_000 });
  assert.ok(['planned_with_changes', 'planned_no_changes'].includes(outcome), outcome);
  await assert.rejects(tfe.runs.read('run-doesnotexist0000'), NotFoundError);
  assert.equal(RunStatus.Applied, 'applied');
  console.log(`esm smoke ok: tfe-client ${VERSION}, run ${run.id} → ${outcome}`);
  tfe.close();
} finally {
  await fake.close();
}
