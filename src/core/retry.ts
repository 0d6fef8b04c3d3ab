/** Tuning for retry waits; the defaults suit the real API, tests shrink them. */
export interface BackoffOptions {
  /** First retry delay before jitter, ms (default 500). */
  initialDelayMs?: number;
  /** Longest backoff delay, ms (default 8000). */
  maxDelayMs?: number;
  /** Longest wait a 429's `Retry-After` / `X-RateLimit-Reset` may impose, ms (default 60000). */
  maxRateLimitWaitMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  initialDelayMs: 500,
  maxDelayMs: 8000,
  maxRateLimitWaitMs: 60_000,
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'DELETE', 'PUT', 'OPTIONS']);
const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);
// Errors raised before a byte of the request left this machine: retrying cannot duplicate anything.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Whether sending the same request twice has the effect of sending it once. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/** Whether a response status is worth another try; 429 is handled apart, 409 and 422 never are. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** Whether a connection error code proves the request never reached the server. */
export function wasNeverSent(code: string | undefined): boolean {
  return code !== undefined && NEVER_SENT.has(code);
}

/** Full-jitter-ish exponential backoff: between half and all of the capped exponential delay. */
export function backoffDelay(
  attempt: number,
  backoff: Required<BackoffOptions>,
  random = Math.random,
): number {
  const ceiling = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/**
 * How long a 429 asks us to wait, in ms: `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset`
 * (seconds, possibly fractional). Undefined when neither is usable.
 */
export function rateLimitWait(headers: Record<string, string>, now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after']?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = headers['x-ratelimit-reset']?.trim();
  if (reset) {
    const seconds = Number(reset);
    if (Number.isFinite(seconds) && seconds >= 0) {
      // Some servers send an epoch timestamp rather than a delay.
      return seconds > 1e9 ? Math.max(0, seconds * 1000 - now) : seconds * 1000;
    }
  }
  return undefined;
}
