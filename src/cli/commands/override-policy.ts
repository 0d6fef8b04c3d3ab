import type { PolicyCheck } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, parse, UsageError } from '../args.js';
import { connect } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Output } from '../output.js';

/**
 * `tfe run override-policy <run-id> [--comment <text>]`: overrides every soft-failed policy check of the run
 * that may be overridden; exits 1 when there is none.
 */
export async function overridePolicy(argv: string[]): Promise<number> {
  const command = 'run override-policy';
  const { values, positionals } = parse(
    command,
    argv,
    { ...CONNECTION_FLAGS, comment: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const out = new Output(values.json ?? false);
  const runId = positionals[0];
  if (!runId) throw new UsageError(`which run? Pass its id: tfe ${command} run-…`, command);
  const tfe = connect(values, command);
  try {
    const checks: PolicyCheck[] = [];
    for await (const check of tfe.policyChecks.list(runId)) checks.push(check);
    const overridable = checks.filter((c) => c.status === 'soft_failed' && c.actions.isOverridable);
    if (overridable.length === 0) {
      const seen = checks.length
        ? `its policy checks are ${checks.map((c) => c.status).join(', ')}`
        : 'it has none';
      const err = new Error(`run ${runId} has no soft-failed policy check to override: ${seen}.`);
      err.name = 'NothingToOverride';
      throw err;
    }
    const overridden: string[] = [];
    for (const check of overridable) {
      await tfe.policyChecks.override(check.id);
      overridden.push(check.id);
      out.step(`Policy check ${check.id} overridden`);
    }
    // The override action takes no comment: the reason goes on the run's timeline as a comment.
    const commentId =
      values.comment === undefined ? null : (await tfe.comments.create(runId, values.comment)).id;
    out.document({
      runId,
      action: 'override-policy',
      policyChecks: overridden,
      commentId,
      exitCode: EXIT.ok,
    });
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command, { runId, action: 'override-policy' });
  } finally {
    tfe.close();
  }
}
