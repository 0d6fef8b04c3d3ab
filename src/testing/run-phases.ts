import { newId, opaqueToken } from './ids.js';
import { isoSeconds } from './jsonapi.js';
import { applyLines, errorLines, type LogFormat, planEndLines, planStartLines } from './logs.js';
import { hasChanges } from './plan-diff.js';
import type { RunRecord, WorkspaceRecord } from './records.js';
import { recordStateVersion } from './state-versions.js';
import type { Store } from './store.js';
import type { Timers } from './timers.js';

/** What the phase bookkeeping needs beyond the store. */
export interface PhaseContext {
  store: Store;
  timers: Timers;
  logFormat: LogFormat;
  stepMs: number;
  workspaceOf: (run: RunRecord) => WorkspaceRecord;
}

/** Sets a phase's status and its `<status>-at` timestamp. */
export function mark(
  row: { status: string; statusTimestamps: Record<string, string> },
  status: string,
  at: string,
): void {
  row.status = status;
  row.statusTimestamps[`${status.replaceAll('_', '-')}-at`] = at;
}

/** Creates a new run's plan, apply, cost estimate, policy check and task stages, all `pending`. */
export function addPhases(store: Store, run: RunRecord): void {
  const blank = (id: string) => ({
    id,
    runId: run.id,
    status: 'pending',
    statusTimestamps: {},
    resourceAdditions: 0,
    resourceChanges: 0,
    resourceDestructions: 0,
    resourceImports: 0,
    logKey: opaqueToken(),
    log: [] as string[],
  });
  const plan = { ...blank(run.planId), hasChanges: false };
  const apply = { ...blank(run.applyId), stateVersionIds: [] as string[] };
  store.plans.set(plan.id, plan);
  store.applies.set(apply.id, apply);
  store.objects.set(plan.logKey, { kind: 'plan-log', id: plan.id });
  store.objects.set(apply.logKey, { kind: 'apply-log', id: apply.id });
  store.costEstimates.set(run.costEstimateId, {
    id: run.costEstimateId,
    runId: run.id,
    status: 'pending',
    statusTimestamps: {},
    resourcesCount: 0,
  });
  store.policyChecks.set(run.policyCheckId, {
    id: run.policyCheckId,
    runId: run.id,
    status: 'pending',
    statusTimestamps: {},
    softFailed: 0,
  });
  const stages = run.scenario.awaitDecision ? [run.scenario.awaitDecision] : [];
  for (const stage of stages) {
    const id = newId('ts');
    run.taskStageIds.push(id);
    store.taskStages.set(id, { id, runId: run.id, stage, status: 'pending', statusTimestamps: {} });
  }
}

/** Brings the run's plan, apply, cost estimate, policy check and task stages along as the run enters `status`. */
export function recordPhases(
  ctx: PhaseContext,
  run: RunRecord,
  prev: string,
  status: string,
  at: string,
): void {
  const { store } = ctx;
  const plan = store.plans.get(run.planId);
  const apply = store.applies.get(run.applyId);
  const ce = store.costEstimates.get(run.costEstimateId);
  const pc = store.policyChecks.get(run.policyCheckId);
  const diff = run.diff;
  const format = ctx.logFormat;
  if (plan && prev === 'planning' && status !== 'planning') {
    if (status === 'errored' || status === 'canceled' || status === 'force_canceled') {
      plan.status = status === 'errored' ? 'errored' : 'canceled';
      if (status === 'errored') plan.log.push(...errorLines(format, 'plan'));
    } else if (diff) {
      plan.status = 'finished';
      plan.resourceAdditions = diff.additions;
      plan.resourceChanges = diff.changes;
      plan.resourceDestructions = diff.destructions;
      plan.hasChanges = hasChanges(diff);
      run.hasChanges = plan.hasChanges;
      plan.log.push(...planEndLines(format, diff));
    }
    plan.statusTimestamps[`${plan.status}-at`] = at;
  }
  if (apply && prev === 'applying' && status !== 'applying') {
    const ok = status === 'applied';
    apply.status = ok ? 'finished' : status === 'errored' ? 'errored' : 'canceled';
    apply.statusTimestamps[`${apply.status}-at`] = at;
    if (ok && diff) {
      apply.resourceAdditions = diff.additions;
      apply.resourceChanges = diff.changes;
      apply.resourceDestructions = diff.destructions;
      apply.log.push(...applyLines(format, diff));
      const ws = ctx.workspaceOf(run);
      ws.state = diff.nextState;
      ws.currentConfigurationVersionId = run.configurationVersionId;
      const sv = recordStateVersion(store, ctx.timers, run, ws, ctx.stepMs);
      apply.stateVersionIds.push(sv.id);
    }
    if (status === 'errored') apply.log.push(...errorLines(format, 'apply'));
  }
  switch (status) {
    case 'plan_queued':
      if (plan) mark(plan, 'queued', at);
      break;
    case 'planning':
      if (plan) {
        plan.status = 'running';
        plan.statusTimestamps['started-at'] = at;
        plan.log.push(...planStartLines(format, run.terraformVersion));
      }
      break;
    case 'cost_estimating':
      if (ce) mark(ce, 'queued', at);
      break;
    case 'cost_estimated':
      if (ce) {
        ce.status = 'finished';
        ce.resourcesCount = diff?.nextState.resources.length ?? 0;
        ce.statusTimestamps['finished-at'] = at;
      }
      break;
    case 'policy_checking':
      if (pc) mark(pc, 'queued', at);
      break;
    case 'policy_override':
    case 'policy_soft_failed':
      if (pc) {
        mark(pc, 'soft_failed', at);
        pc.softFailed = 1;
      }
      break;
    case 'policy_checked':
      if (pc && pc.status !== 'overridden') mark(pc, 'passed', at);
      break;
    case 'apply_queued':
      if (apply) mark(apply, 'queued', at);
      break;
    case 'applying':
      if (apply) {
        apply.status = 'running';
        apply.statusTimestamps['started-at'] = at;
      }
      break;
  }
  updateTaskStages(store, run, status, at);
}

function updateTaskStages(store: Store, run: RunRecord, status: string, at: string): void {
  for (const id of run.taskStageIds) {
    const ts = store.taskStages.get(id);
    if (!ts || !status.startsWith(ts.stage)) continue;
    const next = status.endsWith('_running')
      ? 'running'
      : status.endsWith('_awaiting_decision')
        ? 'awaiting_override'
        : ts.status === 'overridden'
          ? 'overridden'
          : 'passed';
    ts.status = next;
    ts.statusTimestamps[`${next.replaceAll('_', '-')}-at`] = at;
  }
}

/** A run reached a final state: its phases that will never run become `unreachable`. */
export function closePhases(store: Store, run: RunRecord): void {
  const at = isoSeconds(new Date());
  if (run.status !== 'planned_and_saved') {
    const apply = store.applies.get(run.applyId);
    if (apply?.status === 'pending') mark(apply, 'unreachable', at);
  }
  const plan = store.plans.get(run.planId);
  if (plan && (plan.status === 'pending' || plan.status === 'queued')) plan.status = 'unreachable';
}
