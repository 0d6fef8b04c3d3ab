import { z } from 'zod';
import { sleep } from '../core/abort.js';
import {
  AbortError,
  ApiError,
  ConnectionError,
  ResponseValidationError,
  TimeoutError,
} from '../core/errors.js';
import type { RequestOptions } from '../core/transport.js';
import { RequestOptionsSchema, signalSchema, validateInput } from '../core/validate.js';
import type { Run } from '../models/run.js';
import { isKnownRunStatus, type OpenRunStatus } from '../models/run-status.js';
import type { Runs } from '../resources/runs.js';
import { withDeadline } from './deadline.js';
import { FINAL_OUTCOMES, type RunOutcome, runOutcome } from './outcome.js';

/** When a wait ends: `settled` (default), `final`, a list of states, or a predicate on the run. */
export type WaitUntil = 'settled' | 'final' | readonly OpenRunStatus[] | ((run: Run) => boolean);

/** A polling interval that grows from `initialMs` to `maxMs`, jittered. */
export interface PollInterval {
  /** First interval, ms (default 1000). */
  initialMs?: number;
  /** Longest interval, ms (default 3000). */
  maxMs?: number;
}

/** How `runs.waitFor` waits: until when, how often, how long, and who hears about each change. */
export interface WaitForRunOptions {
  until?: WaitUntil;
  /** Called once per status change, with the run and the previous run (undefined on the first poll). */
  onChange?: (run: Run, previous: Run | undefined) => void;
  signal?: AbortSignal;
  /** Deadline for the whole wait, ms. Default: none. */
  timeoutMs?: number;
  /** A fixed interval in ms, or a growing one. Default grows from about 1 s to 3 s, jittered. */
  pollIntervalMs?: number | PollInterval;
  /** Failed polls in a row tolerated (connection errors, 5xx, 429 after retries) before giving up. Default 5. */
  maxConsecutiveErrors?: number;
  /** Per-request options for each poll. */
  requestOptions?: Omit<RequestOptions, 'signal'>;
}

/** Where a wait ended: the run as last read, and what its state means. */
export interface WaitForRunResult {
  run: Run;
  outcome: RunOutcome;
}

/** The wait ran past its deadline; `run` is the last state seen. */
export class WaitTimeoutError extends TimeoutError {
  override readonly name: string = 'WaitTimeoutError';
  constructor(
    timeoutMs: number,
    readonly run: Run | undefined,
    /** Names the run when the deadline came before any poll answered. */
    runId: string | undefined = run?.id,
  ) {
    super(
      `Run ${runId ?? '(unread)'} did not settle within ${timeoutMs} ms` +
        `${run ? ` (last status: ${run.status})` : ''}.`,
      timeoutMs,
    );
  }
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'expected a function');
const ms = z.number().positive();
// Checked before the first poll: a misspelled `timeoutMs` would wait forever, a string interval would spin.
const WaitForRunSchema = z.strictObject({
  until: z.union([z.enum(['settled', 'final']), z.array(z.string()), fn]).optional(),
  onChange: fn.optional(),
  signal: signalSchema.optional(),
  timeoutMs: ms.optional(),
  pollIntervalMs: z
    .union([ms, z.strictObject({ initialMs: ms.optional(), maxMs: ms.optional() })])
    .optional(),
  maxConsecutiveErrors: z.number().int().min(0).optional(),
  // The wait's own signal governs every poll: a signal in here would be ignored, so it is refused.
  requestOptions: RequestOptionsSchema.extend({
    signal: z
      .custom<undefined>((v) => v === undefined, "pass the signal as waitFor's own `signal` option")
      .optional(),
  }).optional(),
});

// An unknown state with no action on offer, seen this many polls in a row, is treated as where the run ended.
const UNKNOWN_SETTLE_POLLS = 2;

/** Polls `GET /runs/:id` until the run settles, reporting each status change. Built on the public `runs.read`. */
export async function waitForRun(
  runs: Runs,
  runId: string,
  options: WaitForRunOptions = {},
): Promise<WaitForRunResult> {
  validateInput(WaitForRunSchema, options, 'runs.waitFor');
  const { signal, timeoutMs, onChange } = options;
  const until = options.until ?? 'settled';
  const maxErrors = options.maxConsecutiveErrors ?? 5;
  let last: Run | undefined;
  let errorsInARow = 0;
  let unknownIdle = 0;
  // The deadline must fire even in the middle of a request or a sleep.
  return withDeadline(
    signal,
    timeoutMs,
    async ({ signal: deadline }) => {
      for (let poll = 0; ; poll++) {
        let run: Run;
        try {
          run = await runs.read(runId, {}, { ...options.requestOptions, signal: deadline });
          errorsInARow = 0;
        } catch (err) {
          if (err instanceof AbortError) throw err;
          if (!isTransient(err) || ++errorsInARow > maxErrors) throw err;
          await sleep(interval(poll, options.pollIntervalMs), deadline);
          continue;
        }
        if (!last || last.status !== run.status) onChange?.(run, last);
        last = run;

        const outcome = runOutcome(run);
        const idleUnknown =
          !isKnownRunStatus(run.status) &&
          !run.actions.isCancelable &&
          !run.actions.isConfirmable &&
          !run.actions.isDiscardable;
        unknownIdle = idleUnknown ? unknownIdle + 1 : 0;
        if (done(run, outcome, until, unknownIdle >= UNKNOWN_SETTLE_POLLS)) {
          return { run, outcome: outcome === 'in_progress' && unknownIdle ? 'unknown' : outcome };
        }
        await sleep(interval(poll, options.pollIntervalMs), deadline);
      }
    },
    () => new WaitTimeoutError(timeoutMs!, last, runId),
  );
}

function done(run: Run, outcome: RunOutcome, until: WaitUntil, unknownSettled: boolean): boolean {
  if (typeof until === 'function') return until(run);
  if (Array.isArray(until)) return until.includes(run.status);
  if (until === 'final') return FINAL_OUTCOMES.has(outcome) || unknownSettled;
  return outcome !== 'in_progress' || unknownSettled;
}

function isTransient(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  // A truncated or foreign body (a proxy's page) on one poll says nothing about the run: poll again.
  if (err instanceof ResponseValidationError) return true;
  if (err instanceof TimeoutError) return true;
  return err instanceof ApiError && (err.status === 429 || err.status >= 500);
}

function interval(poll: number, setting: number | PollInterval | undefined): number {
  if (typeof setting === 'number') return setting;
  const initial = setting?.initialMs ?? 1000;
  const max = setting?.maxMs ?? 3000;
  const base = Math.min(max, initial * 1.5 ** poll);
  // ±10% so many waits started together spread out instead of polling in lockstep.
  return Math.round(base * (0.9 + Math.random() * 0.2));
}
