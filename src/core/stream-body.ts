import { finished, Readable } from 'node:stream';

/** How a streamed response body is watched once its headers have arrived. */
export interface StreamBodyGuard {
  /** Silence allowed while the reader waits for bytes, ms; undefined for none. */
  idleMs: number | undefined;
  /** The attempt's signal: when it fires (caller abort, idle timeout) the body ends at once. */
  signal: AbortSignal;
  /** Called when `idleMs` passed without a byte: it should abort `signal`, tearing the request down. */
  onIdle(): void;
  /** The SDK error the body ends with, for `signal`'s reason once aborted, else for the connection's failure. */
  errorFor(cause: unknown): Error;
}

/**
 * The body a caller reads instead of the raw response stream. The idle timer runs only while the reader wants
 * bytes: a reader that stops reading (backpressure) pauses it, so a slow consumer never times out the server.
 */
export function guardStreamBody(source: Readable, guard: StreamBodyGuard): Readable {
  const { idleMs, signal } = guard;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => clearTimeout(timer);
  const arm = () => {
    stop();
    if (idleMs !== undefined) timer = setTimeout(() => guard.onIdle(), idleMs);
  };
  const fail = (cause: unknown) => body.destroy(guard.errorFor(signal.aborted ? signal.reason : cause));
  const onAbort = () => fail(signal.reason);

  const body = new Readable({
    read() {
      arm();
      source.resume();
    },
    destroy(err, callback) {
      stop();
      signal.removeEventListener('abort', onAbort);
      source.destroy();
      callback(err);
    },
  });
  signal.addEventListener('abort', onAbort, { once: true });
  // Paused before listening, so nothing flows until the caller reads.
  source.pause();
  source.on('data', (chunk: Buffer) => {
    if (body.push(chunk)) arm();
    else {
      stop();
      source.pause();
    }
  });
  // `finished` also reports a connection closed before the body's end, which emits no 'error' of its own.
  finished(source, (err) => {
    stop();
    if (err) fail(err);
    else body.push(null);
  });
  if (signal.aborted) onAbort();
  return body;
}
