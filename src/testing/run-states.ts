import { type RunRecord, STAGE_ORDER, type Stage, type StageName, type Step } from './records.js';

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

/** The `discardable` status group, as run.mdx's "Run Status Groups" lists it. */
const DISCARDABLE_GROUP: ReadonlySet<string> = new Set([
  'planned',
  'planned_and_saved',
  'cost_estimated',
  'policy_checked',
  'policy_override',
  'post_plan_running',
  'post_plan_completed',
]);

/** The `status_group` filter of the list endpoints. */
export function inStatusGroup(run: RunRecord, group: string): boolean {
  if (group === 'final') return isFinal(run);
  if (group === 'non_final') return !isFinal(run);
  if (group === 'discardable') return DISCARDABLE_GROUP.has(run.status);
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

/** Puts `stage` into `stages` at its place in {@link STAGE_ORDER} (for scenarios that add a stage). */
export function insertStage(stages: Stage[], stage: Stage): Stage[] {
  const rank = (name: StageName) => STAGE_ORDER.indexOf(name);
  const at = stages.findIndex((s) => rank(s.name) > rank(stage.name));
  if (at === -1) stages.push(stage);
  else stages.splice(at, 0, stage);
  return stages;
}

/** A run-task stage: running, perhaps awaiting a decision (a pause), completed. */
function taskStage(name: 'pre_plan' | 'post_plan', awaitDecision: boolean): Stage {
  const steps: Step[] = [{ status: `${name}_running` }];
  if (awaitDecision) steps.push({ status: `${name}_awaiting_decision`, pause: true });
  steps.push({ status: `${name}_completed` });
  return { name, steps };
}

/** The stages before confirmation that the run's workspace setup (its scenario) turns on. */
export function planStages(run: RunRecord): Stage[] {
  const sc = run.scenario;
  const stages: Stage[] = [];
  if (sc.awaitDecision === 'pre_plan') stages.push(taskStage('pre_plan', true));
  const planEnd = sc.errorDuring === 'plan' ? 'errored' : 'planned';
  stages.push({
    name: 'plan',
    steps: [{ status: 'plan_queued' }, { status: 'planning' }, { status: planEnd }],
  });
  if (sc.postPlanTasks !== false) stages.push(taskStage('post_plan', sc.awaitDecision === 'post_plan'));
  if (sc.costEstimation !== false) {
    stages.push({
      name: 'cost_estimation',
      steps: [{ status: 'cost_estimating' }, { status: 'cost_estimated' }],
    });
  }
  if (sc.policyCheck !== false) {
    const steps: Step[] = [{ status: 'policy_checking' }];
    // A plan-only run cannot be overridden: a soft failure ends it.
    if (sc.policySoftFail && run.planOnly) steps.push({ status: 'policy_soft_failed' });
    else if (sc.policySoftFail) steps.push({ status: 'policy_override', pause: true });
    steps.push({ status: 'policy_checked' });
    stages.push({ name: 'policy_check', steps });
  }
  return stages;
}

/** The stages of an apply, after confirmation. */
export function applyStages(run: RunRecord): Stage[] {
  const end = run.scenario.errorDuring === 'apply' ? 'errored' : 'applied';
  const steps: Step[] = [
    { status: 'confirmed' },
    { status: 'apply_queued' },
    { status: 'applying' },
    { status: end },
  ];
  return [{ name: 'apply', steps }];
}

export const applySteps = (run: RunRecord): Step[] => pathOf(applyStages(run));

/** The stages' steps in order, cut at the first final state (an errored plan goes no further). */
function pathOf(stages: Stage[]): Step[] {
  const steps = stages.flatMap((s) => s.steps.map((step) => ({ ...step })));
  const end = steps.findIndex((step) => FINAL_STATES.has(step.status));
  return end === -1 ? steps : steps.slice(0, end + 1);
}

export interface PipelineInput {
  run: RunRecord;
  stages: Stage[];
  changes: boolean;
  autoApply: boolean;
}

/**
 * The path of a run from `pending` on: its stages, then where it ends. A run that needs confirmation pauses in
 * the completed state of its last stage; auto-apply goes straight on to the apply.
 */
export function runPath({ run, stages, changes, autoApply }: PipelineInput): Step[] {
  const steps = pathOf(stages);
  const last = steps.at(-1);
  if (!last || FINAL_STATES.has(last.status)) return steps;
  if (run.planOnly || (!changes && !run.allowEmptyApply)) {
    // A plan that ends the run finishes as `planned_and_finished` instead of `planned`.
    if (last.status === 'planned') steps.pop();
    return [...steps, { status: 'planned_and_finished' }];
  }
  if (run.savePlan) return [...steps, { status: 'planned_and_saved', pause: true }];
  if (autoApply) return [...steps, ...applySteps(run)];
  last.pause = true;
  return steps;
}
