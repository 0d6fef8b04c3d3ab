import { declared } from './config-scan.js';
import { HttpError, isoSeconds } from './jsonapi.js';
import type { LogFormat } from './logs.js';
import { hasChanges, planDiff } from './plan-diff.js';
import type { RunRecord, WorkspaceRecord } from './records.js';
import { addPhases, closePhases, type PhaseContext, recordPhases } from './run-phases.js';
import { type NewRun, newRunRecord } from './run-record.js';
import {
  applySteps,
  isCancelable,
  isConfirmable,
  isDiscardable,
  isFinal,
  isForceCancelable,
  planStages,
  runPath,
} from './run-states.js';
import type { Store } from './store.js';
import type { Timers } from './timers.js';

export interface EngineConfig {
  stepMs: number;
  stepMsByStatus: Record<string, number>;
  forceCancelCoolOffMs: number;
  logFormat: LogFormat;
}

const conflict = (detail: string) => new HttpError(409, 'transition not allowed', detail);
const stamp = (status: string) => `${status.replaceAll('_', '-')}-at`;

/** Moves runs through their states on real timers and enforces the action rules and the workspace queue. */
export class RunEngine {
  private readonly ticks = new Map<string, NodeJS.Timeout | null>();
  private readonly phases: PhaseContext;
  private created = 0;

  constructor(
    private readonly store: Store,
    private readonly timers: Timers,
    private readonly config: EngineConfig,
    private readonly onStatus: (run: RunRecord) => void,
  ) {
    this.phases = {
      store,
      timers,
      logFormat: config.logFormat,
      stepMs: config.stepMs,
      workspaceOf: (run) => this.workspaceOf(run),
    };
  }

  create(input: NewRun): RunRecord {
    const { workspace: ws, configurationVersion: cv } = input;
    const run = newRunRecord(input, ++this.created);
    this.store.runs.set(run.id, run);
    addPhases(this.store, run);
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
    run.stages = planStages(run);
    run.pipeline = runPath({ run, stages: run.stages, changes: hasChanges(run.diff), autoApply });
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
    const prev = run.status;
    const at = isoSeconds(new Date());
    run.status = status;
    run.statusTimestamps[stamp(status)] = at;
    recordPhases(this.phases, run, prev, status, at);
    this.store.addRunEvent(run.id, status);
    this.onStatus(run);
  }

  /** A run reached a final state: unreachable phases, free the workspace, start the next run. */
  private finish(run: RunRecord): void {
    this.timers.clear(this.ticks.get(run.id));
    this.ticks.delete(run.id);
    if (run.status !== 'planned_and_saved') run.paused = false;
    closePhases(this.store, run);
    const ws = this.store.workspaces.get(run.workspaceId);
    if (!ws) return;
    if (ws.lock?.by === 'run' && ws.lock.runId === run.id) ws.lock = null;
    // A discarded pending run may have been first in line: let the next one go.
    this.pump(ws);
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
