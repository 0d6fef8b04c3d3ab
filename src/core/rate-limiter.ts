import { onAbort, sleep } from './abort.js';
import { AbortError } from './errors.js';

/**
 * Added to every window, ms. Counting a start from its answer, and holding a place for every unanswered request,
 * already keeps arrivals apart; this backstop covers a server that counts at a point we cannot see. 350 is 1.5×
 * the worst bunching measured with two load tests at once on a loaded 2-core machine while starts were counted
 * from the send (225 ms; BENCHMARKS.md, "Rate-limit margin").
 */
export const ARRIVAL_MARGIN_MS = 350;

/**
 * The share of the general window one class's burst may fill (20 of 30): a run listing that pages ahead leaves
 * the rest to the reads, waits and actions made meanwhile, which then never queue behind it.
 */
export const CLASS_SHARE = 2 / 3;

/** How often a window full of unanswered requests is looked at again, ms. */
const UNANSWERED_RECHECK_MS = 50;

/** A limit of `limit` requests in any `windowMs` (a sliding window, as the server may count). */
export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

/**
 * Call when the request a start was taken for has its answer (or was given up on): from then on the start counts
 * from that moment, which is after the server counted its arrival however late it was sent or counted.
 */
export type Settle = () => void;

interface Start {
  at: number;
  settled: boolean;
}

/** Starts within one sliding window, and how long the server asked this window to hold. */
class SlidingWindow {
  private starts: Start[] = [];
  pausedUntil = 0;

  constructor(
    readonly limit: number,
    private readonly spanMs: number,
  ) {}

  /** Whether this window limits anything: 0 or Infinity turns it off, server pauses included. */
  get active(): boolean {
    return Number.isFinite(this.limit) && this.limit > 0;
  }

  /** The earliest time a start may be taken while holding fewer than `limit` starts in the window. */
  readyAt(now: number, limit = this.limit): number {
    this.starts = this.starts.filter((s) => !s.settled || s.at + this.spanMs > now);
    // Room now (the common case): no need to order the ends.
    if (this.starts.length < limit) return this.pausedUntil;
    // A request still unanswered holds its place however old (a stalled server counts it when it wakes): looked
    // at again shortly, and from its answer on it counts like the others.
    const ends = this.starts
      .map((s) =>
        s.settled ? s.at + this.spanMs : Math.max(s.at + this.spanMs, now + UNANSWERED_RECHECK_MS),
      )
      .sort((a, b) => a - b);
    // Room comes when all but `limit - 1` of them have left the window.
    return Math.max(this.pausedUntil, ends[ends.length - limit]!);
  }

  take(now: number): Start {
    const start = { at: now, settled: false };
    this.starts.push(start);
    return start;
  }
}

const settleAt = (starts: Start[], now: () => number): Settle => {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const at = now();
    for (const s of starts) {
      s.at = Math.max(s.at, at);
      s.settled = true;
    }
  };
};

/**
 * Admits request starts so that no window of the API's limits holds more than its limit: the general window
 * (`perSecond` in any second) shared by everything one client does, and named classes of endpoints with their
 * own, lower limit (e.g. run lists: 30 a minute). A request of a class takes a start in its class's window and
 * in the general one, at the same instant; a server pause holds one class only.
 */
export class RateLimiter {
  private readonly general: SlidingWindow;
  private readonly classShare: number;
  private readonly classes = new Map<string, SlidingWindow>();
  private readonly chains = new Map<string | undefined, Promise<unknown>>();

  constructor(
    readonly perSecond: number,
    classes: Record<string, RateLimitWindow> = {},
    private readonly now: () => number = Date.now,
    marginMs = ARRIVAL_MARGIN_MS,
  ) {
    this.general = new SlidingWindow(perSecond, 1000 + marginMs);
    this.classShare = Math.max(1, Math.floor(perSecond * CLASS_SHARE));
    for (const [name, { limit, windowMs }] of Object.entries(classes))
      this.classes.set(name, new SlidingWindow(limit, windowMs + marginMs));
  }

  /**
   * Resolves when a request may start, with the function to call once it is answered; calls of one class are
   * admitted in order. A class the limiter was not given counts in the general window only.
   */
  acquire(signal?: AbortSignal, rateLimitClass?: string): Promise<Settle> {
    const own = rateLimitClass === undefined ? undefined : this.classes.get(rateLimitClass);
    const limited = own?.active ? own : undefined;
    if (!this.general.active && !limited) return Promise.resolve(() => {});
    const turn = limited
      ? this.enqueue(rateLimitClass, () => this.waitForClass(limited, signal))
      : this.enqueue(undefined, () => this.waitForGeneral(signal));
    return signal ? untilAborted(turn, signal) : turn;
  }

  /** Holds the requests of one class (the general one when none is named) until `until` (epoch ms). */
  pause(until: number, rateLimitClass?: string): void {
    const window =
      (rateLimitClass === undefined ? undefined : this.classes.get(rateLimitClass)) ?? this.general;
    if (until > window.pausedUntil) window.pausedUntil = until;
  }

  private async waitForGeneral(signal?: AbortSignal): Promise<Settle> {
    return settleAt(await this.takeGeneral(signal), this.now);
  }

  private async takeGeneral(signal?: AbortSignal): Promise<Start[]> {
    for (;;) {
      if (signal?.aborted) throw new AbortError();
      const now = this.now();
      if (!this.general.active) return [];
      const readyAt = this.general.readyAt(now);
      if (readyAt <= now) return [this.general.take(now)];
      await sleep(readyAt - now, signal);
    }
  }

  private async waitForClass(own: SlidingWindow, signal?: AbortSignal): Promise<Settle> {
    for (;;) {
      if (signal?.aborted) throw new AbortError();
      const now = this.now();
      // Waited out here, not in the general queue, so other requests never queue behind this class's share.
      const share = this.general.active ? this.general.readyAt(now, this.classShare) : 0;
      const readyAt = Math.max(own.readyAt(now), share);
      if (readyAt > now) {
        await sleep(readyAt - now, signal);
        continue;
      }
      // The general window's queue is the only wait left; both starts are then recorded at the same instant.
      const general = await this.enqueue(undefined, () => this.takeGeneral(signal));
      const admitted = this.now();
      // A pause that came in while this request waited for the general window: that start is spent, try again.
      if (own.readyAt(admitted) > admitted) {
        settleAt(general, this.now)();
        continue;
      }
      return settleAt([...general, own.take(admitted)], this.now);
    }
  }

  /** Runs `wait` after the waits queued before it on the same key: callers are admitted in order. */
  private enqueue<T>(key: string | undefined, wait: () => Promise<T>): Promise<T> {
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
function untilAborted(turn: Promise<Settle>, signal: AbortSignal): Promise<Settle> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortError());
    const unsubscribe = onAbort(signal, () => reject(new AbortError()));
    turn.then(
      (settle) => {
        unsubscribe();
        // Admitted after the caller gave up: nothing will be sent, and the start counts from now.
        if (signal.aborted) settle();
        resolve(settle);
      },
      (err: unknown) => {
        unsubscribe();
        reject(err);
      },
    );
  });
}
