// The same package seen from a CommonJS TypeScript module (`require` conditions → .d.cts), type-checked only.
import type { Run } from 'tfe-client';

import sdk = require('tfe-client');
import testing = require('tfe-client/testing');

async function cancelWhenSlow(): Promise<Run> {
  const fake = await testing.startFakeTfe();
  const tfe = new sdk.TfeClient({ token: fake.token, address: fake.url });
  try {
    const workspace = await tfe.workspaces.read(fake.organization, 'demo');
    const run = await tfe.runs.create({ workspaceId: workspace.id });
    try {
      return (await tfe.runs.waitFor(run.id, { until: 'final', timeoutMs: 1000 })).run;
    } catch (err) {
      if (!(err instanceof sdk.WaitTimeoutError) || !err.run?.actions.isCancelable) throw err;
      await tfe.runs.cancel(run.id);
      return (await tfe.runs.waitFor(run.id, { until: [sdk.RunStatus.Canceled] })).run;
    }
  } finally {
    tfe.close();
    await fake.close();
  }
}

export = { cancelWhenSlow };
