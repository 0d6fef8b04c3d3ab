import { PassThrough, type Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardStreamBody } from '../../src/core/stream-body.js';

// The idle rule on its own, on a fake clock: when silence counts, and when it is the reader's own.
describe('guardStreamBody', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function guarded(idleMs: number | undefined, signal = new AbortController().signal) {
    const source = new PassThrough();
    const onIdle = vi.fn();
    const errorFor = vi.fn((cause: unknown) => new Error(`ended: ${String(cause)}`));
    const onClose = vi.fn();
    const body = guardStreamBody(source, { idleMs, signal, onIdle, errorFor, onClose });
    return { source, body, onIdle, errorFor, onClose };
  }

  /** Lets stream events queued on the microtask and nextTick queues run. */
  const settle = () => new Promise((r) => setImmediate(r));

  function endedWith(body: Readable): Promise<unknown> {
    return new Promise((resolve) => body.once('error', resolve));
  }

  it('calls onIdle once the reader has waited idleMs without a byte', async () => {
    const { body, onIdle } = guarded(50);
    body.on('data', () => {});
    await settle();
    vi.advanceTimersByTime(49);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('starts no wait before the caller reads', async () => {
    const { onIdle } = guarded(50);
    await settle();
    vi.advanceTimersByTime(500);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('restarts the wait with every chunk', async () => {
    const { source, body, onIdle } = guarded(50);
    const seen: string[] = [];
    body.on('data', (c: Buffer) => seen.push(String(c)));
    for (const chunk of ['a', 'b', 'c', 'd']) {
      vi.advanceTimersByTime(40);
      source.write(chunk);
      await settle();
    }
    expect(seen.join('')).toBe('abcd');
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('runs no wait while the reader holds back, and starts one when it reads again', async () => {
    const { source, body, onIdle } = guarded(50);
    body.once('data', () => body.pause());
    source.write('first');
    await settle();
    // More than the body buffers: the source is paused and the silence is the reader's.
    source.write(Buffer.alloc(64 * 1024));
    await settle();
    vi.advanceTimersByTime(500);
    expect(onIdle).not.toHaveBeenCalled();
    body.resume();
    await settle();
    vi.advanceTimersByTime(50);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('counts the server’s silence while the body has room, even with the reader paused', async () => {
    const { source, body, onIdle } = guarded(50);
    body.once('data', () => body.pause());
    source.write('less than the body buffers');
    await settle();
    vi.advanceTimersByTime(50);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('has no wait when idleMs is undefined', async () => {
    const { body, onIdle } = guarded(undefined);
    body.on('data', () => {});
    await settle();
    vi.advanceTimersByTime(2 ** 31);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('ends at once with the error for the signal’s reason when it fires', async () => {
    const controller = new AbortController();
    const { body, errorFor } = guarded(undefined, controller.signal);
    body.on('data', () => {});
    const ended = endedWith(body);
    controller.abort('stop');
    expect(await ended).toEqual(new Error('ended: stop'));
    expect(errorFor).toHaveBeenCalledWith('stop');
  });

  it('closes without an uncaught error when the signal fires before anything reads', async () => {
    const controller = new AbortController();
    const { body } = guarded(undefined, controller.signal);
    const uncaught = vi.fn();
    process.once('uncaughtException', uncaught);
    try {
      controller.abort('stop');
      await settle();
    } finally {
      process.off('uncaughtException', uncaught);
    }
    expect(uncaught).not.toHaveBeenCalled();
    expect(body.destroyed).toBe(true);
  });

  it('gives a reader that comes after the signal fired the error for its reason', async () => {
    const controller = new AbortController();
    const { body } = guarded(undefined, controller.signal);
    controller.abort('stop');
    await settle();
    const read = async () => {
      for await (const _ of body);
    };
    await expect(read()).rejects.toEqual(new Error('ended: stop'));
  });

  it('calls onClose when the reader destroys the body before the source ended', async () => {
    const { source, body, onClose } = guarded(undefined);
    body.once('data', () => body.destroy());
    source.write('first');
    await settle();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('does not call onClose when the body closes after the source ended', async () => {
    const { source, body, onClose } = guarded(undefined);
    body.on('data', () => {});
    source.end('all');
    await new Promise((r) => body.once('close', r));
    expect(onClose).not.toHaveBeenCalled();
  });

  it('ends with the error for a source that closes before its end', async () => {
    const { source, body, errorFor } = guarded(undefined);
    body.on('data', () => {});
    const ended = endedWith(body);
    source.destroy();
    await ended;
    expect(errorFor.mock.calls[0]?.[0]).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('ends cleanly, stopping the wait, when the source ends', async () => {
    const { source, body, onIdle } = guarded(50);
    const chunks: string[] = [];
    body.on('data', (c: Buffer) => chunks.push(String(c)));
    const ended = new Promise((r) => body.once('end', r));
    source.end('all');
    await ended;
    vi.advanceTimersByTime(500);
    expect(chunks).toEqual(['all']);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
