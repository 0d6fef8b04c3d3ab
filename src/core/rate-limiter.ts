import { onAbort, sleep } from './abort.js';
import { AbortError } from './errors.js';

/**
 * Added to every window: requests sent at exactly the limit arrive bunched by network and event-loop jitter,
 * and the server counts arrivals. 250 ms is above the worst spread measured on a loaded 2-core machine
 * (180 ms, BENCHMARKS.md "Rate-limit margin").
 */
export const ARRIVAL_MARGIN_MS = 250;

/** A limit of `limit` requests in any `windowMs` (a sliding window, as the server may count). */
export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

/** Starts within one sliding window, and how long the server asked this window to hold. */
class SlidingWindow {
  private readonly starts: number[] = [];
  private head = 0;
  pausedUntil = 0;

  constructor(
    readonly limit: number,
    private readonly spanMs: number,
  ) {}

  /** Whether this window limits anything: 0 or Infinity turns it off, server pauses included. */
  get active(): boolean {
    return Number.isFinite(this.limit) && this.limit > 0;
  }

  /** The earliest time a start may be taken. */
  readyAt(): number {
    if (this.starts.length - this.head < this.limit) return this.pausedUntil;
    return Math.max(this.pausedUntil, (this.starts[this.head] ?? 0) + this.spanMs);
  }

  take(now: number): void {
    this.starts.push(now);
    while (this.starts.length - this.head > this.limit) this.head++;
    if (this.head > 1024) {
      this.starts.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Admits request starts so that no window of the API's limits holds more than its limit: the general window
 * (`perSecond` in any second) shared by everything one client does, and named classes of endpoints with their
 * own, lower limit (e.g. run lists: 30 a minute). A request of a class takes a start in its class's window and
 * in the general one, at the same instant; a server pause holds one class only.
 */
export class RateLimiter {
  private readonly general: SlidingWindow;
  private readonly classes = new Map<string, SlidingWindow>();
  private readonly chains = new Map<string | undefined, Promise<void>>();

  constructor(
    readonly perSecond: number,
    classes: Record<string, RateLimitWindow> = {},
    private readonly now: () => number = Date.now,
    marginMs = ARRIVAL_MARGIN_MS,
  ) {
    this.general = new SlidingWindow(perSecond, 1000 + marginMs);
    for (const [name, { limit, windowMs }] of Object.entries(classes))
      this.classes.set(name, new SlidingWindow(limit, windowMs + marginMs));
  }

  /**
   * Resolves when a request may start; calls of one class are admitted in order. A class the limiter was not
   * given counts in the general window only.
   */
  acquire(signal?: AbortSignal, rateLimitClass?: string): Promise<void> {
    const own = rateLimitClass === undefined ? undefined : this.classes.get(rateLimitClass);
    const limited = own?.active ? own : undefined;
    if (!this.general.active && !limited) return Promise.resolve();
    const turn = limited
      ? this.enqueue(rateLimitClass, () => this.waitForClass(limited, signal))
      : this.enqueue(undefined, () => this.waitForGeneral(signal));
    return signal ? untilAborted(turn, signal) : turn;
  }

  /** Holds the requests of one class (the general one when none is named) until `until` (epoch ms). */
  pause(until: number, rateLimitClass?: string): void {
    const window = (rateLimitClass === undefined ? undefined : this.classes.get(rateLimitClass)) ?? this.general;
    if (until > window.pausedUntil) window.pausedUntil = until;
  }

  private async waitForGeneral(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new AbortError();
      const now = this.now();
      const readyAt = this.general.active ? this.general.readyAt() : 0;
      if (readyAt <= now) {
        if (this.general.active) this.general.take(now);
        return;
      }
      await sleep(readyAt - now, signal);
    }
  }

  private async waitForClass(own: SlidingWindow, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new AbortError();
      const readyAt = own.readyAt();
      if (readyAt > this.now()) {
        await sleep(readyAt - this.now(), signal);
        continue;
      }
      // The general window's queue is the only wait left; both starts are then recorded at the same instant.
      await this.enqueue(undefined, () => this.waitForGeneral(signal));
      const now = this.now();
      // A pause that came in while this request waited for the general window: that start is spent, try again.
      if (own.readyAt() > now) continue;
      own.take(now);
      return;
    }
  }

  /** Runs `wait` after the waits queued before it on the same key: callers are admitted in order. */
  private enqueue(key: string | undefined, wait: () => Promise<void>): Promise<void> {
    const turn = (this.chains.get(key) ?? Promise.resolve()).then(wait);
    // A caller's abort must not break the queue for the others.
    this.chains.set(
      key,
      turn.catch(() => {}),
    );
    return turn;
  }
}

/**
 * Settles with `turn`, or rejects at once when the signal fires: a caller queued behind others (say, behind a
 * 60 s server pause) must not wait for its turn to learn it was aborted. Its turn, when reached, takes no slot.
 */
function untilAborted(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortError());
    const unsubscribe = onAbort(signal, () => reject(new AbortError()));
    turn.then(
      () => {
        unsubscribe();
        resolve();
      },
      (err: unknown) => {
        unsubscribe();
        reject(err);
      },
    );
  });
}
