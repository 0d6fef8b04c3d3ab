import { AbortError } from './errors.js';

/**
 * Admits at most `perSecond` request starts in any sliding window of a bit over a second, shared by everything one client does,
 * so many parallel waits stay under the API's limit instead of collecting 429s.
 */
export class RateLimiter {
  private readonly starts: number[] = [];
  private head = 0;
  private pausedUntil = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    // A little over a second: requests arrive with jitter, and the server counts arrivals, not our sends.
    private readonly windowMs = 1100,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when a request may start; calls are admitted in order. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) return Promise.resolve();
    const turn = this.chain.then(() => this.waitForSlot(signal));
    // A caller's abort must not break the queue for the others.
    this.chain = turn.catch(() => {});
    return signal ? untilAborted(turn, signal) : turn;
  }

  /** Holds every request until `until` (epoch ms): the server said the window is spent. */
  pause(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new AbortError();
      const now = this.now();
      const window = this.starts.length - this.head;
      let readyAt = this.pausedUntil;
      if (window >= this.perSecond)
        readyAt = Math.max(readyAt, (this.starts[this.head] ?? 0) + this.windowMs);
      if (readyAt <= now) {
        this.starts.push(now);
        while (this.starts.length - this.head > this.perSecond) this.head++;
        if (this.head > 1024) {
          this.starts.splice(0, this.head);
          this.head = 0;
        }
        return;
      }
      await sleep(readyAt - now, signal);
    }
  }
}

/**
 * Settles with `turn`, or rejects at once when the signal fires: a caller queued behind others (say, behind a
 * 60 s server pause) must not wait for its turn to learn it was aborted. Its turn, when reached, takes no slot.
 */
function untilAborted(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortError());
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    turn.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Node fires a timer set past 2^31-1 ms (about 24.8 days) after 1 ms: longer waits are timed in steps of this. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Sleeps, ending early with an AbortError when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    let left = Math.max(0, ms);
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const step = Math.min(left, MAX_TIMER_MS);
      left -= step;
      timer = setTimeout(left > 0 ? arm : done, step);
    };
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new AbortError());
    }
    arm();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
