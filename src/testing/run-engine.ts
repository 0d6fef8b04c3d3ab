import { declared } from './config-scan.js';
import { newId, opaqueToken } from './ids.js';
import { HttpError, isoSeconds } from './jsonapi.js';
import { applyLines, errorLines, type LogFormat, planEndLines, planStartLines } from './logs.js';
import { hasChanges, planDiff } from './plan-diff.js';
import type { ConfigurationVersionRecord, RunRecord, UserRecord, WorkspaceRecord } from './records.js';
import {
  applySteps,
  isCancelable,
  isConfirmable,
  isDiscardable,
  isFinal,
  isForceCancelable,
  planSteps,
} from './run-states.js';
import { recordStateVersion } from './state-versions.js';
import type { Store } from './store.js';
import type { Timers } from './timers.js';
import type { RunScenario } from './types.js';

export interface EngineConfig {
  stepMs: number;
  stepMsByStatus: Record<string, number>;
  forceCancelCoolOffMs: number;
  logFormat: LogFormat;
}

export interface NewRun {
  workspace: WorkspaceRecord;
  configurationVersion: ConfigurationVersionRecord;
  createdBy: UserRecord;
  isDestroy: boolean;
  message: string;
  refresh: boolean;
  refreshOnly: boolean;
  replaceAddrs: string[] | null;
  targetAddrs: string[] | null;
  planOnly: boolean;
  autoApply: boolean | null;
  allowEmptyApply: boolean;
  terraformVersion: string | null;
  savePlan: boolean;
  debuggingMode: boolean;
  variables: { key: string; value: string }[];
  source: string;
  scenario: RunScenario;
}

/** Sets a phase's status and its `<status>-at` timestamp. */
function mark(
  row: { status: string; statusTimestamps: Record<string, string> },
  status: string,
  at: string,
): void {
  row.status = status;
  row.statusTimestamps[`${status.replaceAll('_', '-')}-at`] = at;
}

const conflict = (detail: string) => new HttpError(409, 'transition not allowed', detail);
const stamp = (status: string) => `${status.replaceAll('_', '-')}-at`;

/** Moves runs through their states on real timers and enforces the action rules and the workspace queue. */
export class RunEngine {
  private readonly ticks = new Map<string, NodeJS.Timeout | null>();
  private created = 0;

  constructor(
    private readonly store: Store,
    private readonly timers: Timers,
    private readonly config: EngineConfig,
    private readonly onStatus: (run: RunRecord) => void,
  ) {}

  create(input: NewRun): RunRecord {
    const { workspace: ws, configurationVersion: cv } = input;
    const now = new Date();
    const run: RunRecord = {
      id: newId('run'),
      seq: ++this.created,
      workspaceId: ws.id,
      configurationVersionId: cv.id,
      createdById: input.createdBy.id,
      createdAt: now,
      status: 'pending',
      statusTimestamps: { 'plan-queueable-at': isoSeconds(now) },
      isDestroy: input.isDestroy,
      message: input.message,
      refresh: input.refresh,
      refreshOnly: input.refreshOnly,
      replaceAddrs: input.replaceAddrs,
      targetAddrs: input.targetAddrs,
      planOnly: input.planOnly,
      autoApply: input.autoApply,
      allowEmptyApply: input.allowEmptyApply,
      terraformVersion: input.terraformVersion ?? ws.terraformVersion,
      savePlan: input.savePlan,
      debuggingMode: input.debuggingMode,
      variables: input.variables,
      source: input.source,
      triggerReason: 'manual',
      hasChanges: false,
      planId: newId('plan'),
      applyId: newId('apply'),
      costEstimateId: newId('ce'),
      policyCheckId: newId('polchk'),
      taskStageIds: [],
      canceledAt: null,
      cancelRequested: false,
      forceCancelAvailableAt: null,
      comments: [],
      scenario: input.scenario,
      pipeline: [],
      paused: false,
      queueable: false,
      diff: null,
    };
    this.store.runs.set(run.id, run);
    this.addPhases(run);
    this.store.addRunEvent(run.id, 'queued', { actorId: input.createdBy.id });
    ws.latestRunId = run.id;
    ws.latestConfigurationVersionId = cv.id;
    this.onStatus(run);
    this.ticks.set(
      run.id,
      this.timers.after(this.delay('pending'), () => {
        this.ticks.delete(run.id);
        run.queueable = true;
        if (run.planOnly) this.start(run);
        else this.pump(ws);
      }),
    );
    return run;
  }

  private addPhases(run: RunRecord): void {
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
    const apply = blank(run.applyId);
    this.store.plans.set(plan.id, plan);
    this.store.applies.set(apply.id, apply);
    this.store.objects.set(plan.logKey, { kind: 'plan-log', id: plan.id });
    this.store.objects.set(apply.logKey, { kind: 'apply-log', id: apply.id });
    this.store.costEstimates.set(run.costEstimateId, {
      id: run.costEstimateId,
      runId: run.id,
      status: 'pending',
      statusTimestamps: {},
      resourcesCount: 0,
    });
    this.store.policyChecks.set(run.policyCheckId, {
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
      this.store.taskStages.set(id, { id, runId: run.id, stage, status: 'pending', statusTimestamps: {} });
    }
  }

  private delay(status: string, run?: RunRecord): number {
    const base = this.config.stepMsByStatus[status] ?? this.config.stepMs;
    return status === 'plan_queued' ? base + (run?.scenario.queueMs ?? 0) : base;
  }

  /** Starts the oldest queueable pending run when nothing holds the workspace. */
  pump(ws: WorkspaceRecord): void {
    if (ws.lock !== null || !this.store.workspaces.has(ws.id)) return;
    const next = [...this.store.runs.values()]
      .filter((r) => r.workspaceId === ws.id && r.status === 'pending' && !r.planOnly)
      .sort((a, b) => a.seq - b.seq)[0];
    if (next?.queueable) this.start(next);
  }

  private start(run: RunRecord): void {
    const ws = this.workspaceOf(run);
    if (!run.planOnly) {
      ws.lock = { by: 'run', runId: run.id };
      ws.currentRunId = run.id;
    }
    const cv = this.store.configurationVersions.get(run.configurationVersionId);
    run.diff = planDiff({
      config: declared(cv?.files ?? null, ws.workingDirectory),
      state: ws.state,
      isDestroy: run.isDestroy,
      refreshOnly: run.refreshOnly,
      targetAddrs: run.targetAddrs,
      replaceAddrs: run.replaceAddrs,
      scenario: run.scenario,
    });
    const autoApply = run.autoApply ?? ws.autoApply;
    run.pipeline = planSteps({ run, changes: hasChanges(run.diff), autoApply });
    this.advance(run);
  }

  private schedule(run: RunRecord, ms: number): void {
    this.timers.clear(this.ticks.get(run.id));
    this.ticks.set(
      run.id,
      this.timers.after(ms, () => {
        this.ticks.delete(run.id);
        this.advance(run);
      }),
    );
  }

  private advance(run: RunRecord): void {
    const step = run.pipeline.shift();
    if (!step || !this.store.runs.has(run.id)) return;
    this.enter(run, step.status);
    if (step.pause) run.paused = true;
    if (isFinal(run)) this.finish(run);
    else if (!step.pause) this.schedule(run, this.delay(step.status, run));
  }

  private enter(run: RunRecord, status: string): void {
    const now = new Date();
    const at = isoSeconds(now);
    const prev = run.status;
    run.status = status;
    run.statusTimestamps[stamp(status)] = at;
    const plan = this.store.plans.get(run.planId);
    const apply = this.store.applies.get(run.applyId);
    const ce = this.store.costEstimates.get(run.costEstimateId);
    const pc = this.store.policyChecks.get(run.policyCheckId);
    const diff = run.diff;
    const format = this.config.logFormat;
    if (plan && prev === 'planning' && status !== 'planning') {
      if (status === 'errored' || status === 'canceled' || status === 'force_canceled') {
        plan.status = status === 'errored' ? 'errored' : 'canceled';
        if (status === 'errored') plan.log.push(...errorLines(format, 'plan', this.firstTfFile(run)));
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
        const ws = this.workspaceOf(run);
        ws.state = diff.nextState;
        ws.currentConfigurationVersionId = run.configurationVersionId;
        recordStateVersion(this.store, this.timers, run, ws, this.config.stepMs);
      }
      if (status === 'errored') apply.log.push(...errorLines(format, 'apply', this.firstTfFile(run)));
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
    this.updateTaskStages(run, status, at);
    this.store.addRunEvent(run.id, status);
    this.onStatus(run);
  }

  private updateTaskStages(run: RunRecord, status: string, at: string): void {
    for (const id of run.taskStageIds) {
      const ts = this.store.taskStages.get(id);
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

  /** A run reached a final state: unreachable phases, free the workspace, start the next run. */
  private finish(run: RunRecord): void {
    this.timers.clear(this.ticks.get(run.id));
    this.ticks.delete(run.id);
    const at = isoSeconds(new Date());
    if (run.status !== 'planned_and_saved') {
      run.paused = false;
      const apply = this.store.applies.get(run.applyId);
      if (apply?.status === 'pending') mark(apply, 'unreachable', at);
    }
    const plan = this.store.plans.get(run.planId);
    if (plan && (plan.status === 'pending' || plan.status === 'queued')) plan.status = 'unreachable';
    const ws = this.store.workspaces.get(run.workspaceId);
    if (!ws) return;
    if (ws.lock?.by === 'run' && ws.lock.runId === run.id) ws.lock = null;
    // A discarded pending run may have been first in line: let the next one go.
    this.pump(ws);
  }

  /** The file a failure's diagnostic points at: the upload's first `.tf` file (paths as Terraform shows them). */
  private firstTfFile(run: RunRecord): string {
    const files = this.store.configurationVersions.get(run.configurationVersionId)?.files;
    const dir = (this.workspaceOf(run).workingDirectory ?? '').replace(/^\.?\/+|\/+$/g, '');
    const names = [...(files?.keys() ?? [])].filter((n) => n.endsWith('.tf')).sort();
    const inDir = names.find((n) => (dir ? n.startsWith(`${dir}/`) : !n.includes('/')));
    return (inDir ?? names[0] ?? 'main.tf').slice(dir && inDir ? dir.length + 1 : 0);
  }

  private workspaceOf(run: RunRecord): WorkspaceRecord {
    const ws = this.store.workspaces.get(run.workspaceId);
    if (!ws) throw new HttpError(404, 'not found');
    return ws;
  }

  apply(run: RunRecord): void {
    if (!isConfirmable(run)) throw conflict('Run is not paused for confirmation; apply not allowed.');
    const ws = this.workspaceOf(run);
    if (run.status === 'planned_and_saved') {
      if (ws.lock !== null) throw conflict(`Workspace ${ws.name} is locked; apply not allowed.`);
      ws.lock = { by: 'run', runId: run.id };
      ws.currentRunId = run.id;
    }
    run.paused = false;
    run.pipeline = applySteps(run);
    this.advance(run);
  }

  discard(run: RunRecord): void {
    if (!isDiscardable(run))
      throw conflict('Run was not paused for confirmation or priority; discard not allowed.');
    this.end(run, 'discarded');
  }

  cancel(run: RunRecord): void {
    if (!isCancelable(run)) throw conflict('Run was not planning or applying; cancel not allowed.');
    const now = new Date();
    run.canceledAt = now;
    if (run.status === 'pending' || run.status.endsWith('_queued')) {
      this.end(run, 'canceled');
      return;
    }
    run.cancelRequested = true;
    run.forceCancelAvailableAt = new Date(now.getTime() + this.config.forceCancelCoolOffMs);
    run.pipeline = [{ status: 'canceled' }];
    if (run.scenario.cancelHangs) {
      this.timers.clear(this.ticks.get(run.id));
      this.ticks.delete(run.id);
    } else {
      this.schedule(run, this.delay('canceling'));
    }
  }

  forceCancel(run: RunRecord): void {
    if (!isForceCancelable(run)) {
      throw conflict('Run has not been canceled non-forcefully, or the cool-off period has not yet passed.');
    }
    this.end(run, 'force_canceled');
  }

  forceExecute(run: RunRecord): void {
    const ws = this.store.workspaces.get(run.workspaceId);
    const forbidden = (detail: string) => new HttpError(403, 'forbidden', detail);
    if (run.status !== 'pending') throw forbidden('Run is not pending.');
    if (!ws) throw forbidden('Workspace association not found.');
    const holder = ws.lock?.by === 'run' ? this.store.runs.get(ws.lock.runId) : undefined;
    if (!holder || holder.id === run.id) throw forbidden('Workspace is not locked by another run.');
    if (!isDiscardable(holder))
      throw conflict('The run locking the workspace is not in a discardable state.');
    this.end(holder, 'discarded');
    for (const earlier of this.store.runs.values()) {
      const ahead = earlier.seq < run.seq;
      if (earlier.workspaceId === ws.id && earlier.status === 'pending' && ahead && !earlier.planOnly) {
        this.end(earlier, 'discarded');
      }
    }
    if (ws.lock === null && run.status === 'pending') {
      this.timers.clear(this.ticks.get(run.id));
      this.ticks.delete(run.id);
      run.queueable = true;
      this.start(run);
    }
  }

  /** Sentinel override or run-task override: the paused run goes on. */
  resume(run: RunRecord, pausedIn: string[]): void {
    if (!run.paused || !pausedIn.includes(run.status))
      throw conflict(`Run is not in ${pausedIn.join(' or ')}.`);
    run.paused = false;
    this.advance(run);
  }

  private end(run: RunRecord, status: string): void {
    this.timers.clear(this.ticks.get(run.id));
    this.ticks.delete(run.id);
    run.pipeline = [];
    this.enter(run, status);
    this.finish(run);
  }

  /** Stops every timer of a workspace's runs (the workspace is being deleted). */
  forget(ws: WorkspaceRecord): void {
    for (const run of this.store.runs.values()) {
      if (run.workspaceId !== ws.id) continue;
      this.timers.clear(this.ticks.get(run.id));
      this.ticks.delete(run.id);
    }
  }
}
