import type { PolicyCheck } from '../../index.js';
import { EXIT } from '../args.js';
import { reportFailure } from '../failure.js';
import { startReview } from '../review-args.js';

/**
 * `tfe run override-policy <run-id> [--comment <text>]`: overrides every soft-failed policy check of the run
 * that may be overridden; exits 1 when there is none.
 */
export async function overridePolicy(argv: string[]): Promise<number> {
  const command = 'run override-policy';
  const start = startReview(command, argv);
  if (!start) return EXIT.ok;
  const { runId, comment, out, tfe } = start;
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
    const commentId = comment === undefined ? null : (await tfe.comments.create(runId, comment)).id;
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
