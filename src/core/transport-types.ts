import type { Readable } from 'node:stream';
import type { Logger } from './logger.js';
import type { QueryValue } from './path.js';
import type { RateLimitWindow } from './rate-limiter.js';
import type { BackoffOptions } from './retry.js';

export const JSON_API = 'application/vnd.api+json';

/** Options every method accepts for one call. */
export interface RequestOptions {
  /** Ends the call (and any retry wait) with an AbortError. */
  signal?: AbortSignal;
  /**
   * Time allowed for each attempt, ms; above 0, Infinity for none. For a streamed body (logs, downloads):
   * until the headers, then the longest silence between bytes while the body has room for them.
   */
  timeoutMs?: number;
  /** Retries allowed for this call; 0 disables them. */
  maxRetries?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Values this call sends that must never reach an error or a log (e.g. a sensitive variable's value). */
  secrets?: readonly string[];
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A body sent as bytes: replayable when a Buffer or a factory, one-shot when a stream. */
export type RawBody = Buffer | Uint8Array | Readable | (() => Readable | Buffer);

export interface ApiRequest {
  method: HttpMethod;
  /** Path below the API base (`/runs/run-1`), built with the `path` template. */
  path?: string;
  /** An absolute URL (upload, log, redirect targets). The token goes with it only under the API's base URL. */
  url?: string;
  query?: Record<string, QueryValue>;
  /** A JSON document, sent as application/vnd.api+json. */
  body?: unknown;
  /** Bytes to send instead of a JSON body. */
  data?: RawBody;
  contentType?: string;
  /** `json` (default): parse the body; `stream`: hand back the body stream; `none`: discard it. */
  responseType?: 'json' | 'stream' | 'none';
  /** Follow 3xx redirects (dropping the token when the origin changes). Default false. */
  followRedirects?: boolean;
  /**
   * The endpoint's class of rate limit, named in `TransportConfig.rateLimitClasses` (e.g. `run-list`): its
   * requests count in that window as well as the general one, and a 429 for them pauses that class only.
   */
  rateLimitClass?: string | undefined;
  options?: RequestOptions | undefined;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
  url: string;
}

export interface TransportConfig {
  token: string;
  /** Origin plus base path, e.g. https://app.terraform.io/api/v2 */
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  rateLimit: number;
  /** Endpoint classes with a limit of their own, beside the general `rateLimit` per second. */
  rateLimitClasses?: Record<string, RateLimitWindow> | undefined;
  userAgent?: string | undefined;
  logger?: Logger | undefined;
  backoff?: BackoffOptions | undefined;
  /** What named the address (`TFE_ADDRESS`, `address`, `default`…): errors that suggest a wrong address name it. */
  addressSource?: string | undefined;
}
