import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError, TimeoutError } from '../../src/index.js';
import { startDeadline, withDeadline } from '../../src/lib/deadline.js';

const DAY_MS = 86_400_000;
// setTimeout's largest delay: Node fires anything longer after 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startDeadline', () => {
  it('fires after timeoutMs, reporting the deadline as expired', () => {
    const deadline = startDeadline(undefined, 100);
    vi.advanceTimersByTime(99);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(true);
  });

  it('a deadline past setTimeout’s range does not fire at once', () => {
    const deadline = startDeadline(undefined, 30 * DAY_MS);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(false);
    deadline.clear();
  });

  it('a deadline past setTimeout’s range fires when it is due, not one step early', () => {
    const deadline = startDeadline(undefined, 30 * DAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(30 * DAY_MS - MAX_TIMER_MS - 1);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.expired()).toBe(true);
  });

  it('no timeoutMs sets no timer and leaves nothing remaining to count', () => {
    const deadline = startDeadline(undefined, undefined);
    expect(vi.getTimerCount()).toBe(0);
    expect(deadline.remaining()).toBeUndefined();
  });

  it('counts the time remaining down, never below 1 ms', () => {
    const deadline = startDeadline(undefined, 100);
    vi.advanceTimersByTime(40);
    expect(deadline.remaining()).toBe(60);
    deadline.clear();
    vi.advanceTimersByTime(100);
    expect(deadline.remaining()).toBe(1);
  });

  it('the caller’s abort aborts the signal but is not the deadline expiring', () => {
    const caller = new AbortController();
    const deadline = startDeadline(caller.signal, 100);
    caller.abort();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(false);
  });

  it('a signal aborted before the call aborts at once', () => {
    const deadline = startDeadline(AbortSignal.abort(), 100);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired()).toBe(false);
  });

  it('clear stops the timer and lets go of the caller’s signal', () => {
    const caller = new AbortController();
    const deadline = startDeadline(caller.signal, 100);
    deadline.clear();
    expect(vi.getTimerCount()).toBe(0);
    caller.abort();
    expect(deadline.signal.aborted).toBe(false);
  });
});

describe('withDeadline', () => {
  const hang = ({ signal }: { signal: AbortSignal }) =>
    new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new AbortError())));

  it('turns the deadline’s AbortError into the caller’s own timeout error', async () => {
    const result = withDeadline(undefined, 50, hang, () => new TimeoutError('took too long', 50));
    const settled = expect(result).rejects.toThrow(new TimeoutError('took too long', 50));
    await vi.advanceTimersByTimeAsync(50);
    await settled;
  });

  it('passes the caller’s abort through as the AbortError', async () => {
    const caller = new AbortController();
    const result = withDeadline(caller.signal, 50, hang, () => new TimeoutError('took too long', 50));
    caller.abort();
    await expect(result).rejects.toBeInstanceOf(AbortError);
  });

  it('passes other errors through even once the deadline passed', async () => {
    const result = withDeadline(
      undefined,
      50,
      async ({ signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        throw new Error('boom');
      },
      () => new TimeoutError('took too long', 50),
    );
    const settled = expect(result).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(50);
    await settled;
  });

  it('leaves no timer behind once the work is done', async () => {
    await expect(
      withDeadline(
        undefined,
        30 * DAY_MS,
        async () => 'done',
        () => new Error(),
      ),
    ).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });
});
