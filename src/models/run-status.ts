/** Every run state the API documents today. The API adds states over time: see {@link OpenRunStatus}. */
export const RunStatus = {
  Pending: 'pending',
  Fetching: 'fetching',
  FetchingCompleted: 'fetching_completed',
  PrePlanRunning: 'pre_plan_running',
  PrePlanCompleted: 'pre_plan_completed',
  PrePlanAwaitingDecision: 'pre_plan_awaiting_decision',
  Queuing: 'queuing',
  PlanQueued: 'plan_queued',
  Planning: 'planning',
  Planned: 'planned',
  PlannedAndFinished: 'planned_and_finished',
  PlannedAndSaved: 'planned_and_saved',
  CostEstimating: 'cost_estimating',
  CostEstimated: 'cost_estimated',
  PolicyChecking: 'policy_checking',
  PolicyOverride: 'policy_override',
  PolicySoftFailed: 'policy_soft_failed',
  PolicyChecked: 'policy_checked',
  TfPolicyChecked: 'tf_policy_checked',
  TfPolicyOverride: 'tf_policy_override',
  PostPlanRunning: 'post_plan_running',
  PostPlanCompleted: 'post_plan_completed',
  PostPlanAwaitingDecision: 'post_plan_awaiting_decision',
  Confirmed: 'confirmed',
  QueuingApply: 'queuing_apply',
  ApplyQueued: 'apply_queued',
  PreApplyRunning: 'pre_apply_running',
  PreApplyCompleted: 'pre_apply_completed',
  Applying: 'applying',
  Applied: 'applied',
  PostApplyRunning: 'post_apply_running',
  PostApplyCompleted: 'post_apply_completed',
  Discarded: 'discarded',
  Errored: 'errored',
  Canceled: 'canceled',
  ForceCanceled: 'force_canceled',
  Assessing: 'assessing',
  Assessed: 'assessed',
} as const;

/** A run state the SDK knows. */
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
/** A run state as the API may send it: a known one, or one added after this release. */
export type OpenRunStatus = RunStatus | (string & {});

/** Every run state this SDK knows: the values of `RunStatus`. */
export const KNOWN_RUN_STATUSES: readonly RunStatus[] = Object.values(RunStatus);

const FINAL = new Set<string>([
  RunStatus.Applied,
  RunStatus.PlannedAndFinished,
  RunStatus.PlannedAndSaved,
  RunStatus.PolicySoftFailed,
  RunStatus.Discarded,
  RunStatus.Errored,
  RunStatus.Canceled,
  RunStatus.ForceCanceled,
  RunStatus.Assessed,
]);

// Where a run may stop for a person to confirm the plan; `actions.isConfirmable` says whether it has.
const CONFIRMATION = new Set<string>([
  RunStatus.Planned,
  RunStatus.CostEstimated,
  RunStatus.PolicyChecked,
  RunStatus.TfPolicyChecked,
  RunStatus.PostPlanCompleted,
]);

// Where a run waits for a decision other than confirmation: a policy override or a run task's verdict.
const DECISION = new Set<string>([
  RunStatus.PolicyOverride,
  RunStatus.TfPolicyOverride,
  RunStatus.PrePlanAwaitingDecision,
  RunStatus.PostPlanAwaitingDecision,
]);

const DISCARDABLE = new Set<string>([
  RunStatus.Pending,
  RunStatus.PlannedAndSaved,
  ...CONFIRMATION,
  ...DECISION,
]);

/** True for a known state the run never leaves. Unknown states are not final: keep waiting, bounded by a deadline. */
export function isFinal(status: OpenRunStatus): boolean {
  return FINAL.has(status);
}

/** True where a run may be paused for plan confirmation; confirm with `run.actions.isConfirmable`. */
export function needsConfirmation(status: OpenRunStatus): boolean {
  return CONFIRMATION.has(status);
}

/** True where a run waits for a policy override or a run task decision. */
export function awaitsDecision(status: OpenRunStatus): boolean {
  return DECISION.has(status);
}

/** True where the API may accept a discard; `run.actions.isDiscardable` is the authority. */
export function isDiscardable(status: OpenRunStatus): boolean {
  return DISCARDABLE.has(status);
}

/** True for a known state in which the run is queued or working, needing no one. */
export function isInProgress(status: OpenRunStatus): boolean {
  return isKnownRunStatus(status) && !FINAL.has(status) && !CONFIRMATION.has(status) && !DECISION.has(status);
}

/** Whether `status` is one of the run states this SDK knows (an unknown one may be newer than it). */
export function isKnownRunStatus(status: string): status is RunStatus {
  return KNOWN.has(status);
}

const KNOWN = new Set<string>(KNOWN_RUN_STATUSES);
