// What a queued run waits for, said in words, and how long a CI job lets it wait.
import type { Run, TfeClient, Workspace } from '../index.js';
import { parseDuration, UsageError } from './args.js';
import type { Output } from './output.js';

/** States in which a run waits its turn: behind the workspace's current run, or for TFE capacity. */
export const QUEUED_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'queuing',
  'plan_queued',
  'queuing_apply',
  'apply_queued',
]);

/** States of a run that holds the workspace but waits for a person: a queue behind it will not move alone. */
const WAITS_FOR_A_PERSON: ReadonlySet<string> = new Set([
  'planned',
  'cost_estimated',
  'policy_checked',
  'policy_override',
  'policy_soft_failed',
  'post_plan_completed',
  'post_plan_awaiting_decision',
  'pre_plan_awaiting_decision',
  'planned_and_saved',
]);

/** In CI, the longest a run may wait in the queue by default. */
export const CI_QUEUE_TIMEOUT_MS = 10 * 60_000;
/** In CI, the longest it may wait behind something that waits for a person (a confirmation, a user's lock). */
export const CI_STUCK_QUEUE_TIMEOUT_MS = 30_000;

/** What a queued run waits for. */
export interface QueueReason {
  /** One or two sentences: what holds the workspace, and how to move on. */
  message: string;
  /** True when something concrete holds the run (a run ahead, a lock): worth saying at once. */
  concrete: boolean;
  /** The run ahead, when a run holds the workspace. */
  aheadRunId: string | null;
  aheadStatus: string | null;
  aheadRunUrl: string | null;
  /** The run's `position-in-queue` when the API gives one above 0. */
  positionInQueue: number | null;
  /** True when what it waits for waits for a person: it will not move by itself. */
  stuck: boolean;
}

/** How long the queue may hold the run: `limitMs` (undefined: no limit), or `stuckLimitMs` when stuck. */
export interface QueueLimits {
  limitMs: number | undefined;
  stuckLimitMs: number | undefined;
}

/**
 * `--queue-timeout`: a duration, or 0 for none. Without it, in CI (`CI` set, as GitHub Actions and GitLab set
 * it) a queued run gets 10 minutes, or 30 seconds when what it waits for waits for a person; elsewhere no limit.
 * `--timeout 0` also means no limit.
 */
export function queueLimits(
  values: { 'queue-timeout'?: string | undefined; timeout?: string | undefined },
  command: string,
  env: Record<string, string | undefined> = process.env,
): QueueLimits {
  const given = values['queue-timeout'];
  if (given !== undefined) {
    if (given.trim() === '0') return { limitMs: undefined, stuckLimitMs: undefined };
    try {
      const ms = parseDuration('queue-timeout', given);
      return { limitMs: ms, stuckLimitMs: ms };
    } catch (err) {
      throw err instanceof UsageError ? new UsageError(err.message, command) : err;
    }
  }
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  if (!ci || values.timeout?.trim() === '0') return { limitMs: undefined, stuckLimitMs: undefined };
  return { limitMs: CI_QUEUE_TIMEOUT_MS, stuckLimitMs: CI_STUCK_QUEUE_TIMEOUT_MS };
}

/** Reads the run's workspace and says what holds the queue, and how to move on. */
export async function explainQueue(tfe: TfeClient, run: Run, signal?: AbortSignal): Promise<QueueReason> {
  const position = run.positionInQueue ? run.positionInQueue : null;
  const where = position ? ` (position ${position} in the queue)` : '';
  const skip = `or start this one now, discarding the runs ahead: tfe run force-execute ${run.id}`;
  const base = {
    positionInQueue: position,
    aheadRunId: null,
    aheadStatus: null,
    aheadRunUrl: null,
    concrete: false,
  };
  if (run.status !== 'pending') {
    return {
      ...base,
      stuck: false,
      message: `Run ${run.id} is ${run.status}${where}: it waits for TFE to pick it up (free capacity, or an agent of the workspace's pool).`,
    };
  }
  const workspaceId = run.relationships.workspace?.id;
  const ws: Workspace | undefined = workspaceId
    ? await tfe.workspaces.readById(
        workspaceId,
        { include: ['current_run'] },
        signal ? { signal } : undefined,
      )
    : undefined;
  const name = ws ? `${ws.relationships.organization?.id ?? ''}/${ws.name}` : 'the workspace';
  const ahead = ws?.currentRun ?? undefined;
  if (ahead && ahead.id !== run.id && !isDone(ahead)) {
    const url = ws ? tfe.runUrl(ws.relationships.organization?.id ?? '', ws.name, ahead.id) : null;
    const stuck = WAITS_FOR_A_PERSON.has(ahead.status);
    const waiting = stuck ? ', which waits for someone to confirm or discard it' : '';
    const moveOn = stuck
      ? `confirm it (tfe run apply ${ahead.id}) or discard it (tfe run discard ${ahead.id}), ${skip}`
      : `wait for it, discard it (tfe run discard ${ahead.id}), ${skip}`;
    return {
      positionInQueue: position,
      aheadRunId: ahead.id,
      aheadStatus: ahead.status,
      aheadRunUrl: url,
      concrete: true,
      stuck,
      message:
        `Run ${run.id} is pending${where} behind run ${ahead.id} (${ahead.status}${waiting}) in ${name}: ${url ?? ''}\n` +
        `It starts when that run ends. To move on: ${moveOn}.`,
    };
  }
  if (ws?.locked) {
    const holder = ws.relationships.lockedBy;
    const by = holder
      ? ` by ${holder.type === 'users' ? 'user' : holder.type.replace(/s$/, '')} ${holder.id}`
      : '';
    return {
      ...base,
      concrete: true,
      stuck: holder?.type !== 'runs',
      message:
        `Run ${run.id} is pending${where}: workspace ${name} is locked${by}. It starts when the lock is released ` +
        `(tfe workspace unlock --workspace-id ${ws.id}, --force for someone else's lock), ${skip}.`,
    };
  }
  return {
    ...base,
    stuck: false,
    message: `Run ${run.id} is pending${where}: it waits its turn in ${name}. To go first: tfe run force-execute ${run.id} (discards the runs ahead of it).`,
  };
}

function isDone(run: Run): boolean {
  return !run.actions.isCancelable && !run.actions.isConfirmable && !run.actions.isDiscardable;
}

/**
 * Watches a run's status while a command waits: the first time it is queued, says what it waits for; when it
 * stays queued past the limits, aborts `signal` with the reason in `gaveUp`.
 */
export class QueueWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private explained = false;
  /** When the current stretch in the queue began; undefined while the run is not queued. */
  private queuedSince: number | undefined;
  /** What the run waited for, once known. */
  reason: QueueReason | undefined;
  /** Set when the watch gave up waiting: what to say. */
  gaveUp: string | undefined;

  constructor(
    private readonly tfe: TfeClient,
    private readonly out: Output,
    private readonly limits: QueueLimits,
  ) {}

  /** Aborted when the run waited in the queue too long. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Called with the run at each status change. */
  observe(run: Run): void {
    if (!QUEUED_STATUSES.has(run.status)) {
      this.clear();
      return;
    }
    if (this.queuedSince === undefined) {
      this.queuedSince = Date.now();
      this.arm(this.limits.limitMs);
    }
    if (!this.explained) {
      this.explained = true;
      void explainQueue(this.tfe, run, this.controller.signal).then(
        (reason) => {
          this.reason = reason;
          if (this.queuedSince === undefined) return;
          // A brief wait for nothing in particular is the normal start of every run: not worth a line.
          if (reason.concrete) this.out.note(reason.message);
          if (reason.stuck) this.arm(this.limits.stuckLimitMs);
        },
        () => {
          // The explanation is a courtesy; the wait goes on without it.
        },
      );
    }
  }

  /** Stops watching. */
  dispose(): void {
    this.clear();
  }

  private arm(limitMs: number | undefined): void {
    clearTimeout(this.timer);
    const since = this.queuedSince;
    if (limitMs === undefined || since === undefined) return;
    this.timer = setTimeout(
      () => {
        const waited = Math.round((Date.now() - since) / 1000);
        this.gaveUp =
          `the run waited in the queue for ${waited}s (limit ${Math.round(limitMs / 1000)}s; ` +
          `--queue-timeout sets it, 0 for none)${this.reason ? `.\n${this.reason.message}` : ''}`;
        this.controller.abort();
      },
      Math.max(0, since + limitMs - Date.now()),
    );
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queuedSince = undefined;
  }
}
