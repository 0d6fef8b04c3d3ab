import type { RunRecord, Step } from './records.js';

/** States after which nothing more happens to a run. */
export const FINAL_STATES: ReadonlySet<string> = new Set([
  'applied',
  'planned_and_finished',
  'planned_and_saved',
  'policy_soft_failed',
  'errored',
  'discarded',
  'canceled',
  'force_canceled',
]);

/** Paused states in which a discard skips the rest of the run (see "Discard a Run"). */
const DISCARDABLE_PAUSES: ReadonlySet<string> = new Set([
  'planned',
  'planned_and_saved',
  'cost_estimated',
  'policy_checked',
  'policy_override',
  'post_plan_completed',
  'pre_plan_awaiting_decision',
  'post_plan_awaiting_decision',
]);

const CONFIRMABLE_PAUSES: ReadonlySet<string> = new Set([
  'planned',
  'planned_and_saved',
  'cost_estimated',
  'policy_checked',
  'post_plan_completed',
]);

/** `planned_and_saved` is final for the queue yet can still be applied. */
export const isFinal = (run: RunRecord): boolean => FINAL_STATES.has(run.status);

export const isConfirmable = (run: RunRecord): boolean => run.paused && CONFIRMABLE_PAUSES.has(run.status);

export const isDiscardable = (run: RunRecord): boolean =>
  run.status === 'pending' || (run.paused && DISCARDABLE_PAUSES.has(run.status));

export const isCancelable = (run: RunRecord): boolean => !isFinal(run) && !run.paused && !run.cancelRequested;

export const isForceCancelable = (run: RunRecord, now = Date.now()): boolean =>
  run.cancelRequested &&
  !isFinal(run) &&
  run.forceCancelAvailableAt !== null &&
  now >= run.forceCancelAvailableAt.getTime();

/** The `status_group` filter of the list endpoints. */
export function inStatusGroup(run: RunRecord, group: string): boolean {
  if (group === 'final') return isFinal(run);
  if (group === 'non_final') return !isFinal(run);
  if (group === 'discardable') return isDiscardable(run);
  return false;
}

/** The `operation` filter: what kind of run this is. */
export function operationOf(run: RunRecord): string {
  if (run.planOnly) return 'plan_only';
  if (run.savePlan) return 'save_plan';
  if (run.refreshOnly) return 'refresh_only';
  if (run.isDestroy) return 'destroy';
  if (run.allowEmptyApply && !run.hasChanges && run.diff !== null) return 'empty_apply';
  return 'plan_and_apply';
}

export interface PipelineInput {
  run: RunRecord;
  changes: boolean;
  autoApply: boolean;
}

export const applySteps = (run: RunRecord): Step[] => [
  { status: 'confirmed' },
  { status: 'apply_queued' },
  { status: 'applying' },
  { status: run.scenario.errorDuring === 'apply' ? 'errored' : 'applied' },
];

/** The path of a run from `pending` on, decided by its attributes and scenario (see DESIGN, run states). */
export function planSteps({ run, changes, autoApply }: PipelineInput): Step[] {
  const sc = run.scenario;
  const steps: Step[] = [];
  if (sc.awaitDecision === 'pre_plan') {
    steps.push({ status: 'pre_plan_running' }, { status: 'pre_plan_awaiting_decision', pause: true });
    steps.push({ status: 'pre_plan_completed' });
  }
  steps.push({ status: 'plan_queued' }, { status: 'planning' });
  if (sc.errorDuring === 'plan') return [...steps, { status: 'errored' }];
  if (sc.costEstimation !== false) steps.push({ status: 'cost_estimating' }, { status: 'cost_estimated' });
  if (sc.policyCheck !== false) {
    steps.push({ status: 'policy_checking' });
    if (sc.policySoftFail) {
      if (run.planOnly) return [...steps, { status: 'policy_soft_failed' }];
      steps.push({ status: 'policy_override', pause: true });
    }
    steps.push({ status: 'policy_checked' });
  }
  if (sc.postPlanTasks !== false) {
    steps.push({ status: 'post_plan_running' });
    if (sc.awaitDecision === 'post_plan') steps.push({ status: 'post_plan_awaiting_decision', pause: true });
    steps.push({ status: 'post_plan_completed' });
  }
  if (run.planOnly || (!changes && !run.allowEmptyApply))
    return [...steps, { status: 'planned_and_finished' }];
  if (run.savePlan) return [...steps, { status: 'planned_and_saved', pause: true }];
  if (autoApply) return [...steps, { status: 'planned' }, ...applySteps(run)];
  return [...steps, { status: 'planned', pause: true }];
}
