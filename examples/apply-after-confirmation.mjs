// Plan, show what would change, and apply only after a person confirms: anything but "yes" discards the run,
// and so does no answer at all (stdin closed or at its end, as in CI).
//   node examples/apply-after-confirmation.mjs [dir]
// Exit code: 0 when applied (or nothing to apply), 1 when discarded or failed.
// @ts-check
import { createInterface } from 'node:readline/promises';
import { FAILED_OUTCOMES } from 'tfe-client';
import { connect } from './connect.mjs';

const target = await connect();
const { tfe } = target;
try {
  const workspace = await tfe.workspaces.read(target.organization, target.workspace);
  const cv = await tfe.configurationVersions.createAndUpload(
    workspace.id,
    process.argv[2] ?? target.configuration,
  );
  const created = await tfe.runs.create({
    workspaceId: workspace.id,
    configurationVersionId: cv.id,
    message: 'Applied after confirmation',
  });
  console.log(`run ${created.id}: ${tfe.runUrl(target.organization, workspace.name, created.id)}`);
  const planned = await tfe.runs.waitFor(created.id, {
    onChange: (r) => console.log(`  ${r.status}`),
  });

  // Decided by what the run allows now, not by its status name.
  if (planned.outcome !== 'needs_confirmation' || !planned.run.actions.isConfirmable) {
    console.log(`nothing to confirm: ${planned.outcome}`);
    process.exitCode = FAILED_OUTCOMES.has(planned.outcome) ? 1 : 0;
  } else {
    const { plan } = await tfe.runs.read(created.id, { include: ['plan'] });
    console.log(
      `plan: ${plan?.resourceAdditions ?? 0} to add, ${plan?.resourceChanges ?? 0} to change, ` +
        `${plan?.resourceDestructions ?? 0} to destroy`,
    );
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    // No terminal, or stdin at its end (`< /dev/null`, a CI job): no answer, which is not "yes".
    const answer = await new Promise((resolve) => {
      prompt.once('close', () => resolve(''));
      prompt.question('Apply these changes? Only "yes" will apply: ').then(resolve, () => resolve(''));
    });
    prompt.close();

    if (answer.trim() === 'yes') {
      await tfe.runs.apply(created.id, { comment: 'Confirmed at the terminal' });
      const applied = await tfe.runs.waitFor(created.id, {
        until: 'final',
        onChange: (r) => console.log(`  ${r.status}`),
      });
      console.log(`outcome: ${applied.outcome}`);
      process.exitCode = applied.outcome === 'applied' ? 0 : 1;
    } else {
      await tfe.runs.discard(created.id, { comment: 'Not confirmed at the terminal' });
      const discarded = await tfe.runs.waitFor(created.id, { until: 'final' });
      console.log(`not confirmed: run ${discarded.run.status}`);
      process.exitCode = 1;
    }
  }
} finally {
  await target.close();
}
