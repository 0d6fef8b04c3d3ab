import { MAX_TIMER_MS, onAbort } from '../core/abort.js';
import { AbortError } from '../core/errors.js';

/** One signal for a whole operation: it fires at the caller's abort or at the deadline, and tells which. */
export interface Deadline {
  /** Pass this to every request and sleep of the operation. */
  readonly signal: AbortSignal;
  /** The deadline fired and the caller had not aborted. */
  expired(): boolean;
  /** Milliseconds left (at least 1), or undefined without a deadline: for a step that takes its own. */
  remaining(): number | undefined;
  /** Stops the timer and lets go of the caller's signal. */
  clear(): void;
}

/**
 * Starts a deadline of `timeoutMs` (none when undefined or infinite) combined with the caller's `signal`.
 * Call `clear()` when the operation ends; {@link withDeadline} does it for you.
 */
export function startDeadline(signal: AbortSignal | undefined, timeoutMs: number | undefined): Deadline {
  const controller = new AbortController();
  // Through the fan-out: many waits sharing one signal must not pile listeners on it.
  const unlink = signal ? onAbort(signal, () => controller.abort()) : () => {};
  // A signal aborted before the call never fires 'abort' again.
  if (signal?.aborted) controller.abort();

  let fired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limited = timeoutMs !== undefined && Number.isFinite(timeoutMs);
  const end = limited ? Date.now() + timeoutMs : undefined;
  // Counts down in steps Node can time, so a deadline of weeks fires after weeks, not at once.
  const arm = (left: number) => {
    const step = Math.min(left, MAX_TIMER_MS);
    timer = setTimeout(() => {
      if (left > step) return arm(left - step);
      fired = true;
      controller.abort();
    }, step);
  };
  if (limited && !controller.signal.aborted) arm(Math.max(0, timeoutMs));

  return {
    signal: controller.signal,
    expired: () => fired && !signal?.aborted,
    remaining: () => (end === undefined ? undefined : Math.max(1, end - Date.now())),
    clear: () => {
      clearTimeout(timer);
      unlink();
    },
  };
}

/**
 * Runs `work` under a deadline combined with the caller's signal. When the deadline (not the caller) ended it
 * with an AbortError, throws `onExpired()` instead, so each caller keeps its own timeout error.
 */
export async function withDeadline<T>(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  work: (deadline: Deadline) => Promise<T>,
  onExpired: () => Error,
): Promise<T> {
  const deadline = startDeadline(signal, timeoutMs);
  try {
    return await work(deadline);
  } catch (err) {
    if (err instanceof AbortError && deadline.expired()) throw onExpired();
    throw err;
  } finally {
    deadline.clear();
  }
}
