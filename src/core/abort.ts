import { AbortError } from './errors.js';

type Listener = () => void;

interface FanOut {
  listeners: Set<Listener>;
  detach: () => void;
}

// One real listener per signal, fanning out: a signal shared by many concurrent requests would otherwise
// collect a listener per request, per limiter wait and per sleep, and Node warns past 10 (MaxListenersExceeded).
const fanOuts = new WeakMap<AbortSignal, FanOut>();

/**
 * Calls `fn` once when `signal` aborts; returns the function that unsubscribes it. However many callers
 * subscribe, the signal carries one listener of ours, removed when the last one unsubscribes.
 */
export function onAbort(signal: AbortSignal, fn: Listener): () => void {
  let fanOut = fanOuts.get(signal);
  if (!fanOut) {
    const listeners = new Set<Listener>();
    const fire = () => {
      fanOuts.delete(signal);
      for (const listener of [...listeners]) listener();
      listeners.clear();
    };
    signal.addEventListener('abort', fire, { once: true });
    fanOut = { listeners, detach: () => signal.removeEventListener('abort', fire) };
    fanOuts.set(signal, fanOut);
  }
  const { listeners, detach } = fanOut;
  // A wrapper, so the same function subscribed twice stays two subscriptions.
  const entry = () => fn();
  listeners.add(entry);
  return () => {
    if (!listeners.delete(entry) || listeners.size > 0) return;
    if (fanOuts.get(signal)?.listeners === listeners) fanOuts.delete(signal);
    detach();
  };
}

/**
 * A signal that fires when either of two does, through the fan-out (not `AbortSignal.any`: a caller's polyfill
 * signal is no AbortSignal to it). Call `unlink()` when the work it guards is over.
 */
export function linkSignals(
  a: AbortSignal | undefined,
  b: AbortSignal,
): { signal: AbortSignal; unlink: () => void } {
  if (!a) return { signal: b, unlink: () => {} };
  const controller = new AbortController();
  const abort = () => controller.abort();
  const unlinks = [onAbort(a, abort), onAbort(b, abort)];
  if (a.aborted || b.aborted) abort();
  return {
    signal: controller.signal,
    unlink: () => {
      for (const u of unlinks) u();
    },
  };
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
    const unsubscribe = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(new AbortError());
        })
      : () => {};
    function done() {
      unsubscribe();
      resolve();
    }
    arm();
  });
}
