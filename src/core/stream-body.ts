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
  /** On the body's destruction before the source ended: it should abort the request, closing the socket. */
  onClose(): void;
}

/**
 * The body a caller reads instead of the raw response stream. Once the caller starts reading, the idle timer
 * runs while the body has room for bytes: the silence is the server's then, even if the reader has paused.
 * A reader that holds back until the buffer is full (backpressure) stops it, so a slow consumer never times
 * out the server. It ends with `errorFor`'s error; with no 'error' listener yet, that error waits for a later
 * reader instead of crashing the process.
 */
export function guardStreamBody(source: Readable, guard: StreamBodyGuard): Readable {
  const { idleMs, signal } = guard;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => clearTimeout(timer);
  const arm = () => {
    stop();
    if (idleMs !== undefined) timer = setTimeout(() => guard.onIdle(), idleMs);
  };
  let ended = false;
  const fail = (cause: unknown) => {
    // An unheard 'error' would be uncaught; a reader that comes later still finds it in `body.errored`.
    if (body.listenerCount('error') === 0) body.once('error', () => {});
    body.destroy(guard.errorFor(signal.aborted ? signal.reason : cause));
  };
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
      // The source cannot end a generator parked on a silent socket: only the request's abort closes it.
      if (!ended) guard.onClose();
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
    else {
      ended = true;
      body.push(null);
    }
  });
  if (signal.aborted) onAbort();
  return body;
}
