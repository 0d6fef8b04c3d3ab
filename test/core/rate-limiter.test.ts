import { describe, expect, it, vi } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { MAX_TIMER_MS, sleep } from '../../src/core/abort.js';
import { RateLimiter } from '../../src/core/rate-limiter.js';

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
