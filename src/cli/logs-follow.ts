import { AbortError, type PollInterval, type TfeClient } from '../index.js';
import { renderLogEvent } from './log-render.js';
import type { Output } from './output.js';

/** Run states in which the apply phase has started or is about to: its log is worth following from then. */
export const APPLY_PHASE_STATUSES: ReadonlySet<string> = new Set([
  'confirmed',
  'queuing_apply',
  'apply_queued',
  'pre_apply_running',
  'pre_apply_completed',
  'applying',
  'applied',
  'post_apply_running',
  'post_apply_completed',
]);

/** Streams a run's plan log, then its apply log, to stderr while a command waits (`tfe run --logs`). */
export class LogFollower {
  private readonly controller = new AbortController();
  private task: Promise<void> = Promise.resolve();
  private applyStarted = false;

  constructor(
    private readonly tfe: TfeClient,
    private readonly out: Output,
    private readonly pollIntervalMs?: number | PollInterval,
  ) {}

  /** Follows the plan's log from now on. */
  plan(planId: string): void {
    this.chain('plan', planId);
  }

  /** Follows the apply's log once the plan's is done; once per run. */
  apply(applyId: string): void {
    if (this.applyStarted) return;
    this.applyStarted = true;
    this.chain('apply', applyId);
  }

  /** Lets the logs of a settled run end by themselves, for at most `graceMs`, then stops them. */
  async finish(graceMs = 5000): Promise<void> {
    const timer = setTimeout(() => this.controller.abort(), graceMs);
    try {
      await this.task;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops at once. */
  stop(): void {
    this.controller.abort();
  }

  private chain(kind: 'plan' | 'apply', id: string): void {
    this.task = this.task.then(() => this.stream(kind, id));
  }

  private async stream(kind: 'plan' | 'apply', id: string): Promise<void> {
    const { signal } = this.controller;
    if (signal.aborted) return;
    const options = { follow: true, signal, pollIntervalMs: this.pollIntervalMs };
    const logs = kind === 'plan' ? this.tfe.plans.logs(id, options) : this.tfe.applies.logs(id, options);
    this.out.note(`──── ${kind} log (${id}) ────`);
    try {
      for await (const event of logs.events()) {
        const line = renderLogEvent(event);
        if (line !== undefined) this.out.note(line.replace(/^/gm, '  '));
      }
    } catch (err) {
      if (!(err instanceof AbortError))
        this.out.note(`  (the ${kind} log could not be read: ${(err as Error).message})`);
    }
  }
}
