import type { Run } from '../models/run.js';
import { awaitsDecision, RunStatus } from '../models/run-status.js';

/** What a run's state means for whoever waits on it. */
export type RunOutcome =
  | 'applied'
  | 'planned_no_changes'
  | 'planned_with_changes'
  | 'needs_confirmation'
  | 'needs_policy_override'
  | 'awaiting_decision'
  | 'saved'
  | 'discarded'
  | 'canceled'
  | 'errored'
  | 'policy_soft_failed'
  | 'assessed'
  | 'in_progress'
  | 'unknown';

/** Outcomes after which nothing more will happen to the run. */
export const FINAL_OUTCOMES: ReadonlySet<RunOutcome> = new Set([
  'applied',
  'planned_no_changes',
  'planned_with_changes',
  'saved',
  'discarded',
  'canceled',
  'errored',
  'policy_soft_failed',
  'assessed',
  'unknown',
]);

/** Outcomes that count as failure for a pipeline. */
export const FAILED_OUTCOMES: ReadonlySet<RunOutcome> = new Set([
  'errored',
  'canceled',
  'discarded',
  'policy_soft_failed',
  'needs_policy_override',
]);

/**
 * Decides the outcome from what the API says the run allows (`actions`) and whether its plan changed anything,
 * not from a guessed list of names: `actions.isConfirmable` is what makes a run wait for confirmation.
 */
export function runOutcome(run: Pick<Run, 'status' | 'actions' | 'hasChanges'>): RunOutcome {
  switch (run.status) {
    case RunStatus.Applied:
      return 'applied';
    case RunStatus.PlannedAndFinished:
      return run.hasChanges ? 'planned_with_changes' : 'planned_no_changes';
    case RunStatus.PlannedAndSaved:
      return 'saved';
    case RunStatus.PolicySoftFailed:
      return 'policy_soft_failed';
    case RunStatus.Discarded:
      return 'discarded';
    case RunStatus.Canceled:
    case RunStatus.ForceCanceled:
      return 'canceled';
    case RunStatus.Errored:
      return 'errored';
    case RunStatus.Assessed:
      return 'assessed';
    case RunStatus.PolicyOverride:
    case RunStatus.TfPolicyOverride:
      return 'needs_policy_override';
  }
  if (awaitsDecision(run.status)) return 'awaiting_decision';
  if (run.actions.isConfirmable) return 'needs_confirmation';
  return 'in_progress';
}
