import { newId } from './ids.js';
import { isoSeconds } from './jsonapi.js';
import type { PolicyOutcomeRow, RunRecord, Step, TaskStageRecord } from './records.js';
import type { Store } from './store.js';
import type { FakeRunTask, FakeTaskStageName, RunScenario } from './types.js';

const STAGES: readonly FakeTaskStageName[] = ['pre_plan', 'post_plan', 'pre_apply', 'post_apply'];
const stamp = (status: string) => `${status.replaceAll('_', '-')}-at`;

/** The run tasks of a scenario, with `awaitDecision` read as a failing mandatory task at its stage. */
function tasksOf(sc: RunScenario): FakeRunTask[] {
  const tasks = [...(sc.runTasks ?? [])];
  if (sc.awaitDecision) tasks.push({ name: 'fake-tfe-task', stage: sc.awaitDecision, result: 'failed' });
  return tasks;
}

/** The stages a scenario gives work to: those with run tasks, and post-plan for policy sets. */
export function taskStagesOf(sc: RunScenario): Set<FakeTaskStageName> {
  const out = new Set<FakeTaskStageName>(tasksOf(sc).map((t) => t.stage ?? 'post_plan'));
  if (sc.policySets?.length) out.add('post_plan');
  return out;
}

/** Creates a run's task stages, results, policy evaluations and outcomes, all pending. */
export function createTaskStages(store: Store, run: RunRecord): void {
  const sc = run.scenario;
  const now = new Date();
  const tasks = tasksOf(sc);
  for (const stage of STAGES) {
    const here = tasks.filter((t) => (t.stage ?? 'post_plan') === stage);
    const sets = stage === 'post_plan' ? (sc.policySets ?? []) : [];
    if (!here.length && !sets.length) continue;
    const ts: TaskStageRecord = {
      id: newId('ts'),
      runId: run.id,
      stage,
      status: 'pending',
      statusTimestamps: {},
      createdAt: now,
      updatedAt: now,
      taskResultIds: [],
      policyEvaluationIds: [],
      canOverride: sc.canOverride !== false,
      overrideComment: null,
      verdict: null,
    };
    for (const task of here) {
      const id = newId('taskrs');
      ts.taskResultIds.push(id);
      const verdict = task.result ?? 'passed';
      store.taskResults.set(id, {
        id,
        taskStageId: ts.id,
        stage,
        taskId: `task-${task.name}`,
        workspaceTaskId: `wstask-${task.name}`,
        taskName: task.name,
        enforcementLevel: task.enforcementLevel ?? 'mandatory',
        verdict,
        status: 'pending',
        statusTimestamps: {},
        message:
          task.message ??
          (verdict === 'passed' ? 'No issues found.' : `${task.name} reported a ${verdict} result.`),
        url: task.url ?? null,
        isSpeculative: run.planOnly,
        createdAt: now,
        updatedAt: now,
      });
    }
    for (const kind of ['opa', 'sentinel'] as const) {
      const ofKind = sets.filter((s) => (s.kind ?? 'opa') === kind);
      if (!ofKind.length) continue;
      const evalId = newId('poleval');
      ts.policyEvaluationIds.push(evalId);
      const outcomeIds = ofKind.map((set) => {
        const id = newId('psout');
        const outcomes: PolicyOutcomeRow[] = set.policies.map((p) => ({
          policy_name: p.name,
          enforcement_level: p.enforcementLevel ?? 'mandatory',
          status: p.result ?? 'passed',
          query: `data.terraform.${set.name}.${p.name}`,
          description: p.description ?? '',
        }));
        store.policySetOutcomes.set(id, {
          id,
          policyEvaluationId: evalId,
          name: set.name,
          overridable: set.overridable !== false,
          outcomes,
        });
        return id;
      });
      store.policyEvaluations.set(evalId, {
        id: evalId,
        taskStageId: ts.id,
        kind,
        status: 'pending',
        statusTimestamps: {},
        outcomeIds,
        createdAt: now,
        updatedAt: now,
      });
    }
    run.taskStageIds.push(ts.id);
    store.taskStages.set(ts.id, ts);
  }
}

function stageOf(store: Store, run: RunRecord, stage: string): TaskStageRecord | undefined {
  for (const id of run.taskStageIds) {
    const ts = store.taskStages.get(id);
    if (ts?.stage === stage) return ts;
  }
  return undefined;
}

function mark(
  row: { status: string; statusTimestamps: Record<string, string>; updatedAt?: Date },
  status: string,
) {
  const now = new Date();
  row.status = status;
  row.statusTimestamps[stamp(status)] = isoSeconds(now);
  if (row.updatedAt) row.updatedAt = now;
}

/** Follows the run into a state: a stage's tasks and evaluations start with `<stage>_running`. */
export function onRunStatus(store: Store, run: RunRecord, status: string): void {
  const running = /^(pre_plan|post_plan|pre_apply|post_apply)_running$/.exec(status);
  if (running) {
    const ts = stageOf(store, run, running[1]!);
    // Back in `<stage>_running` after an override: the stage is already running again, its results stand.
    if (!ts || ts.verdict !== null) return;
    mark(ts, 'running');
    for (const id of ts.taskResultIds) {
      const r = store.taskResults.get(id);
      if (r) mark(r, 'running');
    }
    for (const id of ts.policyEvaluationIds) {
      const e = store.policyEvaluations.get(id);
      if (e) mark(e, 'running');
    }
    return;
  }
  if (
    status === 'canceled' ||
    status === 'force_canceled' ||
    status === 'discarded' ||
    status === 'errored'
  ) {
    // Stages the run never reached, or left half-done, end with it.
    for (const id of run.taskStageIds) {
      const ts = store.taskStages.get(id);
      if (!ts) continue;
      if (ts.status === 'pending') mark(ts, 'unreachable');
      else if (ts.status === 'running' || ts.status === 'awaiting_override')
        mark(ts, status === 'errored' ? 'errored' : 'canceled');
    }
  }
}

/**
 * What the run does where a stage would complete: go on, wait for an override (`<stage>_awaiting_decision`), or
 * error. Decided once per stage from its tasks' and policies' verdicts; after an override it goes on.
 */
export function gateStep(store: Store, run: RunRecord, step: Step): Step {
  const done = /^(pre_plan|post_plan|pre_apply|post_apply)_completed$/.exec(step.status);
  const ts = done ? stageOf(store, run, done[1]!) : undefined;
  if (!ts) return step;
  if (ts.verdict !== null) {
    // Overridden: its results still show the failure, so the stage ends `failed` (the docs' word for that).
    if (ts.status === 'running') mark(ts, 'failed');
    return step;
  }
  let mandatoryFailed = false;
  let anyFailed = false;
  for (const id of ts.taskResultIds) {
    const r = store.taskResults.get(id);
    if (!r) continue;
    mark(r, r.verdict);
    if (r.verdict === 'passed') continue;
    anyFailed = true;
    if (r.enforcementLevel === 'mandatory') mandatoryFailed = true;
  }
  let hard = false;
  for (const id of ts.policyEvaluationIds) {
    const e = store.policyEvaluations.get(id);
    if (!e) continue;
    let failed = false;
    for (const oid of e.outcomeIds) {
      const o = store.policySetOutcomes.get(oid);
      for (const row of o?.outcomes ?? []) {
        if (row.status === 'passed') continue;
        failed = true;
        anyFailed = true;
        if (row.status === 'errored' || row.enforcement_level === 'mandatory') {
          if (o?.overridable) mandatoryFailed = true;
          else hard = true;
        }
      }
    }
    mark(e, failed ? 'failed' : 'passed');
  }
  const stage = ts.stage;
  if (hard || (mandatoryFailed && stage === 'pre_apply')) {
    ts.verdict = 'error';
    mark(ts, 'failed');
    run.pipeline = [];
    return { status: 'errored' };
  }
  if (mandatoryFailed && (stage === 'pre_plan' || stage === 'post_plan')) {
    ts.verdict = 'await';
    mark(ts, 'awaiting_override');
    run.pipeline.unshift(step);
    return { status: `${stage}_awaiting_decision`, pause: true };
  }
  ts.verdict = 'pass';
  mark(ts, anyFailed ? 'failed' : 'passed');
  return step;
}

/**
 * The override action: the stage runs again (the docs: "the run returns to the running state"), its failed
 * evaluations read `overridden`; the run goes back to `<stage>_running`, then on.
 */
export function overrideStage(
  store: Store,
  run: RunRecord,
  ts: TaskStageRecord,
  comment: string | null,
): void {
  ts.overrideComment = comment;
  mark(ts, 'running');
  run.pipeline.unshift({ status: `${ts.stage}_running` });
  for (const id of ts.policyEvaluationIds) {
    const e = store.policyEvaluations.get(id);
    if (e?.status === 'failed') mark(e, 'overridden');
  }
}
