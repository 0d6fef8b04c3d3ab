import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
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
