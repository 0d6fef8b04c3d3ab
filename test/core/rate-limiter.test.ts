import { describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, onAbort, sleep } from '../../src/core/abort.js';
import { AbortError } from '../../src/core/errors.js';
import { ARRIVAL_MARGIN_MS, CLASS_SHARE, RateLimiter } from '../../src/core/rate-limiter.js';

describe('RateLimiter', () => {
  it('an abort rejects a caller queued behind another before that one gets its turn', async () => {
    const limiter = new RateLimiter(2);
    // The server said its window is spent: the next caller waits at the head of the queue.
    limiter.pause(Date.now() + 100);
    const order: string[] = [];
    const head = limiter.acquire().then(() => order.push('head admitted'));
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal).catch((err: unknown) => {
      order.push('queued aborted');
      return err;
    });
    controller.abort();
    expect(await queued).toBeInstanceOf(AbortError);
    await head;
    expect(order).toEqual(['queued aborted', 'head admitted']);
  });
});

/** The most starts any window of `spanMs` holds (a start at t and one at t + spanMs are in different windows). */
function maxInAnyWindow(starts: number[], spanMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= spanMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Records when a caller was admitted, its request answered at once. */
const answeredAt =
  (times: number[], from = 0) =>
  (settle: () => void) => {
    settle();
    times.push(Date.now() - from);
  };

describe('RateLimiter windows (fake clock)', () => {
  it('never admits more than the limit in any window, whatever the arrival pattern', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(5, {}, Date.now, 0);
      const starts: number[] = [];
      // Bursts and trickles: 60 callers arriving over 4 s.
      const calls = Array.from({ length: 60 }, (_, i) =>
        sleep((i % 7) * 130 + Math.floor(i / 20) * 900).then(() =>
          limiter.acquire().then(answeredAt(starts)),
        ),
      );
      await vi.advanceTimersByTimeAsync(30_000);
      await Promise.all(calls);
      starts.sort((a, b) => a - b);
      expect(starts).toHaveLength(60);
      expect(maxInAnyWindow(starts, 1000)).toBe(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the arrival margin widens the window: at most the limit in any window of a second plus the margin', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(10, {}, Date.now, ARRIVAL_MARGIN_MS);
      const starts: number[] = [];
      const calls = Array.from({ length: 40 }, () => limiter.acquire().then(answeredAt(starts)));
      await vi.advanceTimersByTimeAsync(10_000);
      await Promise.all(calls);
      expect(maxInAnyWindow(starts, 1000 + ARRIVAL_MARGIN_MS)).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a class request takes a start in its own window and in the general one: bursts, then the class pace, never crowding others out', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(30, { 'run-list': { limit: 30, windowMs: 60_000 } }, Date.now, 0);
      const t0 = Date.now();
      const lists: number[] = [];
      const reads: number[] = [];
      const listCalls = Array.from({ length: 40 }, () =>
        limiter.acquire(undefined, 'run-list').then(answeredAt(lists, t0)),
      );
      const readCalls = Array.from({ length: 10 }, () => limiter.acquire().then(answeredAt(reads, t0)));
      await vi.advanceTimersByTimeAsync(200_000);
      await Promise.all([...listCalls, ...readCalls]);
      // The first 30 lists go in the first general windows; the other 10 a minute after the first.
      expect(maxInAnyWindow(lists, 60_000)).toBe(30);
      expect(lists.slice(30).every((t) => t >= 60_000)).toBe(true);
      // The lists' burst fills at most two thirds of the general window: reads made meanwhile go at once.
      expect(maxInAnyWindow(lists, 1000)).toBe(Math.floor(30 * CLASS_SHARE));
      expect(reads).toEqual(Array(10).fill(0));
      expect(
        maxInAnyWindow(
          [...lists, ...reads].sort((a, b) => a - b),
          1000,
        ),
      ).toBeLessThanOrEqual(30);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a pause of the run-list class holds run lists only; a general pause holds everyone', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(30, { 'run-list': { limit: 30, windowMs: 60_000 } }, Date.now, 0);
      const t0 = Date.now();
      limiter.pause(t0 + 60_000, 'run-list');
      let listAt = -1;
      let readAt = -1;
      const list = limiter.acquire(undefined, 'run-list').then(() => {
        listAt = Date.now() - t0;
      });
      const read = limiter.acquire().then(() => {
        readAt = Date.now() - t0;
      });
      await vi.advanceTimersByTimeAsync(1);
      expect(readAt).toBe(0);
      expect(listAt).toBe(-1);
      await vi.advanceTimersByTimeAsync(60_000);
      await Promise.all([list, read]);
      expect(listAt).toBe(60_000);

      limiter.pause(Date.now() + 5_000);
      const t1 = Date.now();
      const both = await Promise.all([
        limiter.acquire(undefined, 'run-list').then(() => Date.now() - t1),
        limiter.acquire().then(() => Date.now() - t1),
        vi.advanceTimersByTimeAsync(5_000).then(() => 0),
      ]);
      expect(both.slice(0, 2)).toEqual([5_000, 5_000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an abort while waiting for the class window leaves no timer behind', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(30, { 'run-list': { limit: 1, windowMs: 60_000 } }, Date.now, 0);
      await limiter.acquire(undefined, 'run-list');
      const controller = new AbortController();
      const waiting = limiter.acquire(controller.signal, 'run-list');
      await vi.advanceTimersByTimeAsync(10);
      expect(vi.getTimerCount()).toBe(1);
      controller.abort();
      await expect(waiting).rejects.toBeInstanceOf(AbortError);
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a start counts from its answer: arrivals sent or counted late cannot bunch into one server window', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(30, { 'run-list': { limit: 1, windowMs: 10_000 } }, Date.now, 0);
      const t0 = Date.now();
      const settle = await limiter.acquire(undefined, 'run-list');
      let second = -1;
      const next = limiter.acquire(undefined, 'run-list').then(() => {
        second = Date.now() - t0;
      });
      // The first answer arrives 2 s after it was admitted: however late the server counted it, it was by then.
      await vi.advanceTimersByTimeAsync(2_000);
      settle();
      await vi.advanceTimersByTimeAsync(9_000);
      expect(second).toBe(-1);
      await vi.advanceTimersByTimeAsync(1_000);
      await next;
      expect(second).toBe(12_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an unanswered request holds its place past the window until its answer comes', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter(2, {}, Date.now, 0);
      const t0 = Date.now();
      const first = await limiter.acquire();
      // Both in flight: the second is never answered in this test.
      await limiter.acquire();
      let third = -1;
      const next = limiter.acquire().then(() => {
        third = Date.now() - t0;
      });
      await vi.advanceTimersByTimeAsync(5_000);
      expect(third).toBe(-1);
      first();
      await vi.advanceTimersByTimeAsync(1_100);
      await next;
      expect(third).toBeGreaterThanOrEqual(6_000);
      expect(third).toBeLessThan(6_100);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a class the limiter was not given counts in the general window only', async () => {
    const limiter = new RateLimiter(1000, { 'run-list': { limit: 1, windowMs: 60_000 } });
    for (let i = 0; i < 5; i++) await limiter.acquire(undefined, 'something-else');
  });
});

describe('onAbort', () => {
  it('puts one listener on a signal however many subscribe, and takes it off after the last unsubscribes', () => {
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const removed = vi.spyOn(controller.signal, 'removeEventListener');
    const fired: number[] = [];
    const unsubscribes = Array.from({ length: 50 }, (_, i) =>
      onAbort(controller.signal, () => fired.push(i)),
    );
    expect(added).toHaveBeenCalledTimes(1);
    for (const u of unsubscribes.slice(0, 49)) u();
    expect(removed).not.toHaveBeenCalled();
    controller.abort();
    expect(fired).toEqual([49]);
    unsubscribes[49]!();
    const again = new AbortController();
    const off = onAbort(again.signal, () => fired.push(-1));
    off();
    again.abort();
    expect(fired).toEqual([49]);
  });
});

describe('sleep', () => {
  it('a sleep past the longest timer Node can hold lasts its full length instead of ending at once', async () => {
    vi.useFakeTimers();
    try {
      let woke = false;
      const thirtyDays = 30 * 86_400_000;
      const done = sleep(thirtyDays).then(() => {
        woke = true;
      });
      await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(thirtyDays - MAX_TIMER_MS - 1);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(woke).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an abort during a long sleep ends it at once with AbortError', async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      const slept = sleep(30 * 86_400_000, controller.signal);
      await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 5);
      controller.abort();
      await expect(slept).rejects.toBeInstanceOf(AbortError);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
