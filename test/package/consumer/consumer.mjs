// A user's ESM script against the installed tarball: a configuration version from a directory, a run, a wait,
// an apply, and the typed errors, all against the fake TFE from tfe-client/testing.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ConflictError, NotFoundError, RunStatus, TfeClient, TfeError, VERSION } from 'tfe-client';
import { startFakeTfe } from 'tfe-client/testing';

const fake = await startFakeTfe({ stepMs: 5 });
const tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
try {
  const workspace = await tfe.workspaces.read(fake.organization, 'demo');
  const source = fileURLToPath(new URL('./configuration', import.meta.url));
  const cv = await tfe.configurationVersions.createAndUpload(workspace.id, source);
  assert.equal(cv.status, 'uploaded');

  const created = await tfe.runs.create({
    workspaceId: workspace.id,
    configurationVersionId: cv.id,
    message: 'consumer (esm)',
  });
  const planned = await tfe.runs.waitFor(created.id, { pollIntervalMs: 10, timeoutMs: 10_000 });
  assert.equal(planned.outcome, 'needs_confirmation');
  assert.equal(planned.run.actions.isConfirmable, true);

  await tfe.runs.apply(created.id, { comment: 'consumer check' });
  const applied = await tfe.runs.waitFor(created.id, { pollIntervalMs: 10, timeoutMs: 10_000 });
  assert.equal(applied.outcome, 'applied');
  assert.equal(applied.run.status, RunStatus.Applied);

  const err = await tfe.runs.apply(created.id).catch((e) => e);
  assert.ok(err instanceof ConflictError && err instanceof TfeError, String(err));
  await assert.rejects(tfe.runs.read('run-doesnotexist0000'), NotFoundError);

  console.log(`consumer esm ok: tfe-client ${VERSION}, run ${created.id} → ${applied.outcome}`);
} finally {
  tfe.close();
  await fake.close();
}
