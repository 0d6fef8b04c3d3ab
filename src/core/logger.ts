/** Where the client reports what it does. Lines never hold a token or request headers. */
export interface Logger {
  /** Each response (method, path, status) and each failed attempt that is not retried. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Notable events in normal operation. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Each retry: after a 429, a retryable status or a connection failure, with the delay. */
  warn?(message: string, fields?: Record<string, unknown>): void;
  /** Failures the client could not recover from. */
  error?(message: string, fields?: Record<string, unknown>): void;
}
