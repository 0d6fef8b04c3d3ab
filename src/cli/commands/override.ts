import { readDecision } from '../../index.js';
import { EXIT } from '../args.js';
import { policyLine, taskLine, waitsOn } from '../decision.js';
import { reportFailure } from '../failure.js';
import { startReview } from '../review-args.js';

function refused(message: string): Error {
  const err = new Error(message);
  err.name = 'NothingToOverride';
  return err;
}

/**
 * `tfe run override <run-id> [--comment <text>]`: overrides what the run waits on — its task stage awaiting an
 * override (failed mandatory run tasks, overridable policies) or its soft-failed Sentinel policy checks.
 */
export async function overrideCommand(argv: string[]): Promise<number> {
  const command = 'run override';
  const start = startReview(command, argv);
  if (!start) return EXIT.ok;
  const { runId, comment, out, tfe } = start;
  try {
    const run = await tfe.runs.read(runId);
    const decision = await readDecision(tfe, run);
    if (!decision) throw refused(`run ${runId} waits for no override: it is ${run.status}.`);
    for (const t of decision.failedTasks) out.step(taskLine(t));
    for (const p of decision.failedPolicies) out.step(policyLine(p));
    if (!decision.canOverride) {
      throw refused(
        `run ${runId} waits on ${waitsOn(decision)}, which this token may not override now (its actions or permissions say no).`,
      );
    }
    const overridden: string[] = [];
    let commentId: string | null = null;
    if (decision.kind === 'task_stage' && decision.taskStageId) {
      const params = comment === undefined ? {} : { comment: comment };
      await tfe.taskStages.override(decision.taskStageId, params);
      overridden.push(decision.taskStageId);
      out.step(`Task stage ${decision.taskStageId} (${decision.stage}) overridden: the run goes on`);
    } else {
      for (const id of decision.policyCheckIds) {
        await tfe.policyChecks.override(id);
        overridden.push(id);
        out.step(`Policy check ${id} overridden`);
      }
      // The policy check override takes no comment: the reason goes on the run's timeline.
      if (comment !== undefined) commentId = (await tfe.comments.create(runId, comment)).id;
    }
    out.document({
      runId,
      action: 'override',
      kind: decision.kind,
      overridden,
      commentId,
      exitCode: EXIT.ok,
    });
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command, { runId, action: 'override' });
  } finally {
    tfe.close();
  }
}
