// A user's CommonJS script against the installed tarball: the whole API-driven workflow in one call (plan only),
// then a run listed back by status, against the fake TFE from tfe-client/testing.
const assert = require('node:assert/strict');
const path = require('node:path');
const { TfeClient, InputValidationError, RunStatus, VERSION } = require('tfe-client');
const { startFakeTfe } = require('tfe-client/testing');

async function main() {
  const fake = await startFakeTfe({ stepMs: 5 });
  const tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  try {
    const events = [];
    const { run, outcome, summary } = await tfe.workflows.run({
      workspace: { organization: fake.organization, name: 'demo' },
      source: path.join(__dirname, 'configuration'),
      message: 'consumer (cjs)',
      planOnly: true,
      pollIntervalMs: 10,
      onEvent: (e) => events.push(e.type),
    });
    assert.equal(outcome, 'planned_with_changes');
    assert.ok(summary.plan && summary.plan.additions > 0, JSON.stringify(summary));
    assert.deepEqual(events.slice(0, 2), ['workspace_resolved', 'configuration_version_created']);
    assert.equal(events.at(-1), 'finished');

    const workspace = await tfe.workspaces.read(fake.organization, 'demo');
    // The workspace list leaves plan-only runs out unless the operation filter names them, as the service does.
    const hidden = await tfe.runs.list(workspace.id, { status: RunStatus.PlannedAndFinished });
    assert.deepEqual(hidden.items, []);
    const page = await tfe.runs.list(workspace.id, {
      status: RunStatus.PlannedAndFinished,
      operation: 'plan_only',
    });
    assert.deepEqual(
      page.items.map((r) => r.id),
      [run.id],
    );
    await assert.rejects(tfe.runs.list(workspace.id, { pageSize: 1000 }), InputValidationError);
    console.log(`consumer cjs ok: tfe-client ${VERSION}, run ${run.id} → ${outcome}`);
  } finally {
    tfe.close();
    await fake.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
