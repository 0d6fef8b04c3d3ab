// Requires the BUILT package by its own name (CommonJS) and drives it against the fake TFE over loopback.
const assert = require('node:assert/strict');
const { TfeClient, NotFoundError, InputValidationError, VERSION } = require('tfe-client');
const { startFakeTfe } = require('tfe-client/testing');

(async () => {
  const fake = await startFakeTfe({ stepMs: 5 });
  try {
    const tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
    const workspace = await tfe.workspaces.read(fake.organization, 'demo');
    const source = require('node:path').join(__dirname, '../../examples/configuration');
    const cv = await tfe.configurationVersions.createAndUpload(workspace.id, source, { speculative: true });
    const run = await tfe.runs.create({
      workspaceId: workspace.id,
      configurationVersionId: cv.id,
      message: 'smoke (cjs)',
      planOnly: true,
    });
    const { outcome } = await tfe.runs.waitFor(run.id, { pollIntervalMs: 10, timeoutMs: 10_000 });
    assert.ok(['planned_with_changes', 'planned_no_changes'].includes(outcome), outcome);
    await assert.rejects(tfe.runs.read('run-doesnotexist0000'), NotFoundError);
    await assert.rejects(tfe.runs.read('../x'), InputValidationError);
    console.log(`cjs smoke ok: tfe-client ${VERSION}, run ${run.id} → ${outcome}`);
    tfe.close();
  } finally {
    await fake.close();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
