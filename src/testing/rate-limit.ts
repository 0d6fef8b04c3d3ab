/** TFE's limits: at most `limit` requests per key (the user) in any sliding window of `windowMs`. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  /** 429s sent because of this limiter. */
  rejected = 0;

  constructor(
    public limit: number,
    public windowMs = 1000,
  ) {}

  /** Counts the request if allowed; returns what the `X-RateLimit-*` headers should say. */
  take(key: string, now = Date.now()): { allowed: boolean; remaining: number; resetSeconds: number } {
    const window = (this.windows.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.windows.set(key, window);
    if (!(this.limit > 0) || !Number.isFinite(this.limit)) {
      return { allowed: true, remaining: Number.POSITIVE_INFINITY, resetSeconds: 0 };
    }
    const allowed = window.length < this.limit;
    if (allowed) window.push(now);
    else this.rejected++;
    const oldest = window[0] ?? now;
    return {
      allowed,
      remaining: Math.max(0, this.limit - window.length),
      resetSeconds: Math.max(0, (oldest + this.windowMs - now) / 1000),
    };
  }
}
