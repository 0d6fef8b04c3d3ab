import { AbortError } from '../core/errors.js';
import type { RequestOptions } from '../core/transport.js';
import type { PolicyCheck } from '../models/policy-check.js';
import type { PolicyEvaluation } from '../models/policy-evaluation.js';
import type { Run } from '../models/run.js';
import { RunStatus } from '../models/run-status.js';
import type { TaskResult } from '../models/task-result.js';
import type { OpenTaskStageName, TaskStage } from '../models/task-stage.js';
import type { PolicyChecks } from '../resources/policy-checks.js';
import type { PolicyEvaluations, PolicySetOutcomes } from '../resources/policy-evaluations.js';
import type { TaskResults } from '../resources/task-results.js';
import type { TaskStages } from '../resources/task-stages.js';

/** A run task that did not pass, as a pipeline reports it. */
export interface FailedTask {
  taskResultId: string;
  name: string | null;
  /** `mandatory` holds the run; `advisory` only warns. */
  enforcementLevel: string | null;
  /** `failed`, `errored`, `unreachable`… */
  status: string;
  message: string | null;
  /** The service's page for this result, when it gave one. */
  url: string | null;
}

/** A policy that did not pass, from an OPA/Sentinel policy set outcome or a Sentinel policy check. */
export interface FailedPolicy {
  kind: 'opa' | 'sentinel' | (string & {}) | null;
  policySetName: string | null;
  /** Null for a Sentinel policy check, whose API gives counts, not names (its output has them). */
  policyName: string | null;
  enforcementLevel: string | null;
  /** `failed` or `errored` for an outcome; `soft_failed` / `hard_failed` for a policy check. */
  status: string;
  description: string | null;
  /** Whether the failure may be overridden (a soft failure); null when the API does not say. */
  overridable: boolean | null;
  /** Where it came from: a policy set outcome or a policy check. */
  sourceId: string;
}

/** What a run waiting for a decision waits on, and whether this token may let it go on. */
export interface RunDecision {
  /** `task_stage`: a run task stage (`<stage>_awaiting_decision`); `policy_check`: Sentinel (`policy_override`). */
  kind: 'task_stage' | 'policy_check';
  /** The stage (`pre_plan`, `post_plan`, `pre_apply`, `post_apply`) for a task stage; null otherwise. */
  stage: OpenTaskStageName | null;
  /** The stage to pass to `taskStages.override`. */
  taskStageId: string | null;
  /** The soft-failed checks to pass to `policyChecks.override`. */
  policyCheckIds: string[];
  failedTasks: FailedTask[];
  failedPolicies: FailedPolicy[];
  /** True when the API says the stage or check is overridable now and the token has the permission. */
  canOverride: boolean;
}

/** The resource methods a decision is read with (narrow, so lib/ depends on what it uses). */
export interface DecisionReaders {
  taskStages: Pick<TaskStages, 'list'>;
  taskResults: Pick<TaskResults, 'read'>;
  policyEvaluations: Pick<PolicyEvaluations, 'list'>;
  policySetOutcomes: Pick<PolicySetOutcomes, 'list'>;
  policyChecks: Pick<PolicyChecks, 'list'>;
}

const STAGE_OF: Record<string, OpenTaskStageName> = {
  [RunStatus.PrePlanAwaitingDecision]: 'pre_plan',
  [RunStatus.PostPlanAwaitingDecision]: 'post_plan',
};

/**
 * Reads what a run waiting for a decision waits on: the task stage's failed tasks and policies, or the soft-failed
 * Sentinel checks. Undefined for a run that waits on nothing this SDK can read (e.g. `tf_policy_override`).
 */
export async function readDecision(
  readers: DecisionReaders,
  run: Pick<Run, 'id' | 'status'>,
  options?: RequestOptions,
): Promise<RunDecision | undefined> {
  if (run.status === RunStatus.PolicyOverride) return policyCheckDecision(readers, run.id, options);
  const stage = STAGE_OF[run.status] ?? /^(.+)_awaiting_decision$/.exec(run.status)?.[1];
  if (stage === undefined) return undefined;
  return taskStageDecision(readers, run.id, stage, options);
}

async function taskStageDecision(
  readers: DecisionReaders,
  runId: string,
  stageName: string,
  options?: RequestOptions,
): Promise<RunDecision | undefined> {
  let found: TaskStage | undefined;
  const include: ['task_results', 'policy_evaluations'] = ['task_results', 'policy_evaluations'];
  for await (const stage of readers.taskStages.list(runId, { include }, options)) {
    if (stage.stage !== stageName) continue;
    found = stage;
    // A run may have run a stage twice; the one awaiting an override is the one that holds it.
    if (stage.status === 'awaiting_override') break;
  }
  if (!found) return undefined;
  const results = found.taskResults ?? (await readTaskResults(readers, found, options));
  const failedTasks = results.filter((r) => r.status !== 'passed').map(failedTask);
  const evaluations =
    found.policyEvaluations ?? (await collect(readers.policyEvaluations.list(found.id, {}, options)));
  const failedPolicies: FailedPolicy[] = [];
  for (const evaluation of evaluations) {
    if (!hasFailures(evaluation)) continue;
    failedPolicies.push(...(await failedOutcomes(readers, evaluation, options)));
  }
  const p = found.permissions;
  const allowed =
    p?.canOverride !== false &&
    (failedTasks.length === 0 || p?.canOverrideTasks !== false) &&
    (failedPolicies.length === 0 || p?.canOverridePolicy !== false);
  return {
    kind: 'task_stage',
    stage: found.stage,
    taskStageId: found.id,
    policyCheckIds: [],
    failedTasks,
    failedPolicies,
    canOverride: found.actions.isOverridable && allowed,
  };
}

async function policyCheckDecision(
  readers: DecisionReaders,
  runId: string,
  options?: RequestOptions,
): Promise<RunDecision> {
  const checks = await collect(readers.policyChecks.list(runId, {}, options));
  const failed = checks.filter((c) => c.status === 'soft_failed' || c.status === 'hard_failed');
  const overridable = failed.filter((c) => c.actions.isOverridable && c.permissions?.canOverride !== false);
  return {
    kind: 'policy_check',
    stage: null,
    taskStageId: null,
    policyCheckIds: overridable.map((c) => c.id),
    failedTasks: [],
    failedPolicies: failed.map(checkFailure),
    canOverride: overridable.length > 0,
  };
}

function failedTask(r: TaskResult): FailedTask {
  return {
    taskResultId: r.id,
    name: r.taskName ?? null,
    enforcementLevel: r.workspaceTaskEnforcementLevel ?? null,
    status: r.status,
    message: r.message ?? null,
    url: r.url ?? null,
  };
}

function checkFailure(c: PolicyCheck): FailedPolicy {
  return {
    kind: 'sentinel',
    policySetName: null,
    policyName: null,
    enforcementLevel: c.status === 'hard_failed' ? 'hard-mandatory' : 'soft-mandatory',
    status: c.status,
    description: c.result
      ? `${c.result.softFailed ?? 0} soft-failed, ${c.result.hardFailed ?? 0} hard-failed, ${c.result.advisoryFailed ?? 0} advisory-failed`
      : null,
    overridable: c.actions.isOverridable,
    sourceId: c.id,
  };
}

function hasFailures(e: PolicyEvaluation): boolean {
  const n = e.resultCount;
  if (!n) return e.status === 'failed' || e.status === 'errored';
  return (n.mandatoryFailed ?? 0) + (n.advisoryFailed ?? 0) + (n.errored ?? 0) > 0;
}

async function failedOutcomes(
  readers: DecisionReaders,
  evaluation: PolicyEvaluation,
  options?: RequestOptions,
): Promise<FailedPolicy[]> {
  const sets = readers.policySetOutcomes.list(
    evaluation.id,
    { filters: [{ status: 'failed' }, { status: 'errored' }] },
    options,
  );
  const out: FailedPolicy[] = [];
  for await (const set of sets) {
    // The filter picks sets with a failure but returns all their outcomes: keep the ones that did not pass.
    for (const o of set.outcomes ?? []) {
      if (o.status === 'passed') continue;
      out.push({
        kind: evaluation.policyKind ?? null,
        policySetName: set.policySetName ?? null,
        policyName: o.policyName ?? null,
        enforcementLevel: o.enforcementLevel ?? null,
        status: o.status ?? 'failed',
        description: o.description || null,
        overridable: set.overridable ?? null,
        sourceId: set.id,
      });
    }
    if (set.error && !(set.outcomes ?? []).length) {
      out.push({
        kind: evaluation.policyKind ?? null,
        policySetName: set.policySetName ?? null,
        policyName: null,
        enforcementLevel: null,
        status: 'errored',
        description: set.error,
        overridable: set.overridable ?? null,
        sourceId: set.id,
      });
    }
  }
  return out;
}

async function readTaskResults(
  readers: DecisionReaders,
  stage: TaskStage,
  options?: RequestOptions,
): Promise<TaskResult[]> {
  const refs = stage.relationships.taskResults ?? [];
  return Promise.all(refs.map((ref) => readers.taskResults.read(ref.id, options)));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A decision read as a courtesy: an abort still ends the wait, any other failure leaves it unread. */
export async function tryReadDecision(
  readers: DecisionReaders,
  run: Pick<Run, 'id' | 'status'>,
  options?: RequestOptions,
): Promise<RunDecision | undefined> {
  try {
    return await readDecision(readers, run, options);
  } catch (err) {
    if (err instanceof AbortError) throw err;
    return undefined;
  }
}
