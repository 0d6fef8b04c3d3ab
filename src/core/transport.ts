import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { AxiosResponse } from 'axios';
import { VERSION } from '../version.js';
import { MAX_TIMER_MS, onAbort, sleep } from './abort.js';
import { ACCEPT_ENCODING, inflatable, inflateBody } from './content-encoding.js';
import {
  AbortError,
  type ApiError,
  ConnectionError,
  makeApiError,
  parseErrorObjects,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
} from './errors.js';
import { HttpAdapter } from './http-adapter.js';
import type { Logger } from './logger.js';
import { buildQuery, type QueryValue } from './path.js';
import { ProxyDecisions } from './proxy.js';
import { RateLimiter, type RateLimitWindow } from './rate-limiter.js';
import { redactForms, redactionForms } from './redact.js';
import {
  type BackoffOptions,
  backoffDelay,
  DEFAULT_BACKOFF,
  isIdempotent,
  isRetryableStatus,
  rateLimitWait,
  wasNeverSent,
} from './retry.js';
import { guardStreamBody } from './stream-body.js';
import { RequestOptionsSchema, validateInput } from './validate.js';

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

const TIMEOUT = Symbol('timeout');
/** Node's codes for a certificate it refused: a private CA or a host name the certificate does not cover. */
const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const IDLE = Symbol('idle');
/** The TCP keep-alive delay axios sets on each request's socket (adapters/http.js: `setKeepAlive(true, 60000)`). */
const AXIOS_KEEP_ALIVE_MS = 60_000;
const MAX_REDIRECTS = 5;

/** The one request function: auth, headers, rate limit, retries, timeouts, abort, redaction, logging. */
export class Transport {
  readonly limiter: RateLimiter;
  readonly origin: string;
  /** The API base URL as a URL parser writes it, with a trailing slash: what gets the token. */
  private readonly apiPrefix: string;
  private readonly http: HttpAdapter;
  private readonly backoff: Required<BackoffOptions>;
  // axios sets TCP keep-alive to 60 s on every request's socket; an agent that sets the same when it pools a
  // socket makes that call a no-op (Node skips the syscalls when nothing changes) instead of two resets a request.
  private readonly httpAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: AXIOS_KEEP_ALIVE_MS });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, keepAliveMsecs: AXIOS_KEEP_ALIVE_MS });
  private readonly proxies = new ProxyDecisions();
  private readonly userAgent: string;
  // Private so util.inspect and JSON.stringify of the client never show it.
  readonly #token: string;
  /** The token's spellings, computed once: every log line and error is redacted with them. */
  readonly #tokenForms: string[];

  readonly config: Omit<TransportConfig, 'token'>;

  constructor({ token, ...config }: TransportConfig) {
    this.#token = token;
    // A token shorter than any real one would redact ordinary words; real tokens are long.
    this.#tokenForms = token.length >= 8 ? redactionForms([token]) : [];
    this.config = config;
    this.origin = new URL(config.baseUrl).origin;
    this.apiPrefix = new URL(`${config.baseUrl}/`).href;
    this.limiter = new RateLimiter(config.rateLimit, config.rateLimitClasses);
    this.backoff = { ...DEFAULT_BACKOFF, ...stripUndefined(config.backoff) };
    this.userAgent = config.userAgent
      ? `${config.userAgent} tfe-client/${VERSION}`
      : `tfe-client/${VERSION} node/${process.versions.node}`;
    this.http = new HttpAdapter({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
      maxContentLength: Number.POSITIVE_INFINITY,
      maxBodyLength: Number.POSITIVE_INFINITY,
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Removes the token, and a call's `secrets` in any JSON spelling, from text before it is kept or logged. */
  redact(text: string, secrets: readonly string[] = []): string {
    if (secrets.length === 0) return redactForms(text, this.#tokenForms);
    const forms = redactionForms(secrets);
    // Merged longest first, so a secret inside the token (or the token inside one) is not half-replaced.
    return redactForms(
      text,
      [...this.#tokenForms, ...forms].sort((a, b) => b.length - a.length),
    );
  }

  async request<T = unknown>(req: ApiRequest): Promise<ApiResponse<T>> {
    // A misspelled option (`timeoutMS`) would be ignored in silence: the call would run on the defaults.
    if (req.options) validateInput(RequestOptionsSchema, req.options, 'request options');
    let url = req.url ?? `${this.config.baseUrl}${req.path ?? ''}${buildQuery(req.query)}`;
    let redirects = 0;
    for (;;) {
      const res = await this.send<T>(req, url);
      if (!req.followRedirects || res.status < 300 || res.status >= 400 || res.status === 304) return res;
      const location = res.headers.location;
      if (!location || ++redirects > MAX_REDIRECTS) {
        throw this.apiError(req.method, url, res.status, res.headers, '', req.options?.secrets);
      }
      url = new URL(location, url).toString();
    }
  }

  private async send<T>(req: ApiRequest, url: string): Promise<ApiResponse<T>> {
    const opts = req.options ?? {};
    const maxRetries = opts.maxRetries ?? this.config.maxRetries;
    const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs;
    // The token goes only under the API's base path: TFE serves upload and log URLs (`/_archivist/…`) on the
    // API's own origin, and those carry their own credential.
    // Judged on the URL as it will be sent: `/api/v2/../_archivist/…` resolves out of the base path.
    const target = new URL(url);
    const toApi = target.href.startsWith(this.apiPrefix);
    const proxy = this.proxies.for(target);
    // Built only when a log line or an error shows it: redacting it costs more than the request's own bookkeeping.
    const where = () => this.display(url, opts.secrets);
    const oneShotBody = req.data !== undefined && isStream(req.data);
    // A one-shot stream cannot be sent twice; other requests retry by the method's rules.
    const idempotent = isIdempotent(req.method) && !oneShotBody;

    for (let attempt = 0; ; attempt++) {
      const retriesLeft = attempt < maxRetries && !(oneShotBody && attempt > 0);
      const settle = toApi ? await this.limiter.acquire(opts.signal, req.rateLimitClass) : undefined;
      if (!toApi && opts.signal?.aborted) throw new AbortError();

      const started = Date.now();
      let outcome: Awaited<ReturnType<Transport['attempt']>>;
      try {
        outcome = await this.attempt(req, url, toApi, proxy, timeoutMs, opts);
      } finally {
        // The server counted this request before we had its answer: the limiter counts it from here on.
        settle?.();
      }
      const ms = Date.now() - started;

      if ('error' in outcome) {
        const { error, neverSent } = outcome;
        if (error instanceof AbortError) throw error;
        const retry = retriesLeft && (idempotent || neverSent) && !oneShotBody;
        this.log(retry ? 'warn' : 'debug', () => [
          `${req.method} ${where()} failed: ${error.message}`,
          { method: req.method, path: where(), attempt, durationMs: ms, retry },
        ]);
        if (!retry) throw error;
        await sleep(backoffDelay(attempt, this.backoff), opts.signal);
        continue;
      }

      const res = outcome.response;
      const headers = normaliseHeaders(res.headers);
      if (toApi && res.status !== 429) this.followServerWindow(headers, req.rateLimitClass);
      this.log('debug', () => [
        `${req.method} ${where()} ${res.status}`,
        { method: req.method, path: where(), status: res.status, attempt, durationMs: ms },
      ]);

      if (res.status === 429) {
        const wait = rateLimitWait(headers);
        const delay = Math.min(wait ?? backoffDelay(attempt, this.backoff), this.backoff.maxRateLimitWaitMs);
        // Every request of this class (run lists, or all the others) waits out the server's window.
        if (toApi) this.limiter.pause(Date.now() + delay, req.rateLimitClass);
        if (retriesLeft && !oneShotBody) {
          await drain(res);
          this.log('warn', () => [
            `${req.method} ${where()} rate limited; retrying in ${delay} ms`,
            { method: req.method, path: where(), attempt, delayMs: delay },
          ]);
          await sleep(delay, opts.signal);
          continue;
        }
      } else if (isRetryableStatus(res.status) && idempotent && retriesLeft) {
        await drain(res);
        const delay = backoffDelay(attempt, this.backoff);
        this.log('warn', () => [
          `${req.method} ${where()} answered ${res.status}; retrying in ${delay} ms`,
          { method: req.method, path: where(), status: res.status, attempt, delayMs: delay },
        ]);
        await sleep(delay, opts.signal);
        continue;
      }

      if (res.status >= 200 && res.status < 300) return await this.success<T>(req, url, res, headers);
      if (res.status >= 300 && res.status < 400 && req.followRedirects) {
        await drain(res);
        return { status: res.status, headers, data: undefined as T, url };
      }
      const text = await this.readText(req, url, res, headers);
      const error = this.apiError(req.method, url, res.status, headers, text, opts.secrets);
      if (error instanceof RateLimitError)
        error.message += ` (gave up after ${attempt + 1} attempt${attempt ? 's' : ''})`;
      throw error;
    }
  }

  private async attempt(
    req: ApiRequest,
    url: string,
    toApi: boolean,
    proxy: false | undefined,
    timeoutMs: number,
    opts: RequestOptions,
  ): Promise<{ response: AxiosResponse } | { error: Error; neverSent: boolean }> {
    const streamed = req.responseType === 'stream';
    const headers: Record<string, string> = {
      'User-Agent': this.userAgent,
      Accept: JSON_API,
    };
    // A buffered body is inflated in one call once it is all here (see content-encoding.ts); streams through zlib.
    if (!streamed) headers['Accept-Encoding'] = ACCEPT_ENCODING;
    let data: unknown;
    // Before the timer and abort listener are armed: a body factory that throws must leave neither behind.
    if (req.data !== undefined) {
      data = typeof req.data === 'function' ? req.data() : req.data;
      // axios takes a Buffer, not a bare Uint8Array: the same bytes, viewed without a copy.
      if (data instanceof Uint8Array && !Buffer.isBuffer(data))
        data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      headers['Content-Type'] = req.contentType ?? 'application/octet-stream';
    } else if (req.body !== undefined) {
      data = JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? JSON_API;
    } else if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'DELETE') {
      // The API answers 415 to a mutating request without it, body or not (go-tfe v2 middleware/content_type.go).
      headers['Content-Type'] = req.contentType ?? JSON_API;
    }
    if (toApi) headers.Authorization = `Bearer ${this.#token}`;
    Object.assign(headers, opts.headers);
    const controller = new AbortController();
    let unlink = opts.signal ? onAbort(opts.signal, () => controller.abort()) : () => {};
    // An attempt deadline past what a timer can hold (or Infinity) means none.
    const timer =
      timeoutMs <= MAX_TIMER_MS ? setTimeout(() => controller.abort(TIMEOUT), timeoutMs) : undefined;
    try {
      const response = await this.http.request({
        url,
        method: req.method,
        headers,
        data,
        signal: controller.signal,
        // A buffered body is read by axios under the same signal, so a slow body times out too.
        responseType: streamed ? 'stream' : 'arraybuffer',
        decompress: streamed,
        // `false` only where the environment names no proxy for this origin: axios then skips its own lookup.
        proxy,
      });
      if (streamed) {
        const release = unlink;
        unlink = () => {};
        // The caller's signal keeps governing a streamed body until it ends, and a silent server times it out.
        const body = guardStreamBody(response.data as Readable, {
          idleMs: timeoutMs <= MAX_TIMER_MS ? timeoutMs : undefined,
          signal: controller.signal,
          onIdle: () => controller.abort(IDLE),
          errorFor: (cause) => this.failure(req, url, timeoutMs, opts, cause, 'body').error,
          onClose: () => controller.abort(),
        });
        body.once('close', release);
        response.data = body;
      }
      return { response };
    } catch (err) {
      return this.failure(
        req,
        url,
        timeoutMs,
        opts,
        controller.signal.aborted ? controller.signal.reason : err,
      );
    } finally {
      clearTimeout(timer);
      unlink();
    }
  }

  /**
   * The SDK error for an attempt ended early: the caller's abort, a deadline (`TIMEOUT` before the headers,
   * `IDLE` in a streamed body), or the connection; and whether the request surely never reached the server.
   */
  private failure(
    req: ApiRequest,
    url: string,
    timeoutMs: number,
    opts: RequestOptions,
    cause: unknown,
    phase: 'response' | 'body' = 'response',
  ): { error: Error; neverSent: boolean } {
    if (opts.signal?.aborted) return { error: new AbortError(), neverSent: false };
    const where = this.display(url, opts.secrets);
    if (cause === TIMEOUT || cause === IDLE) {
      const waiting = cause === IDLE ? 'without a byte of the response body' : 'waiting for the response';
      return {
        error: new TimeoutError(
          `${req.method} ${where} timed out after ${timeoutMs} ms ${waiting}; ` +
            'raise timeoutMs (Infinity for no limit) to wait longer.',
          timeoutMs,
        ),
        neverSent: false,
      };
    }
    const code = (cause as { code?: string }).code;
    const tls = phase === 'response' ? this.tlsFailure(url, code) : undefined;
    if (tls)
      return {
        error: new ConnectionError(`${req.method} ${where} ${tls}`, code, req.method, where),
        neverSent: true,
      };
    const detail = this.redact((cause as Error).message ?? String(cause), opts.secrets);
    const neverSent = phase === 'response' && wasNeverSent(code);
    // A reset mid-answer is not "unreachable": the caller of a POST must know it may have been carried out.
    const what =
      phase === 'body'
        ? 'lost the connection while reading the response body'
        : neverSent
          ? 'could not reach the server'
          : 'lost the connection after the request may have reached the server';
    return {
      error: new ConnectionError(
        `${req.method} ${where} ${what}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}.`,
        code,
        req.method,
        where,
      ),
      neverSent,
    };
  }

  /**
   * Says what a failed TLS handshake means without OpenSSL's words: nothing was sent, and the usual cause is an
   * address with the wrong scheme or a certificate Node does not trust.
   */
  private tlsFailure(url: string, code: string | undefined): string | undefined {
    if (!code) return undefined;
    const host = new URL(url).host;
    const check = this.checkAddress();
    if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
      return (
        `could not reach the server: the TLS handshake with ${host} failed, so nothing was sent. The server may not ` +
        `speak HTTPS there (use http:// for a plain-HTTP server); ${check}.`
      );
    }
    if (TLS_CERT_CODES.has(code)) {
      return (
        `could not reach the server: the certificate of ${host} was not accepted (${code}), so nothing was sent. ` +
        `For a private CA, set NODE_EXTRA_CA_CERTS to its PEM file; ${check}.`
      );
    }
    return undefined;
  }

  /** `check TFE_ADDRESS`, or whichever option or variable named the address. */
  private checkAddress(): string {
    const source = this.config.addressSource;
    if (!source || source === 'default') return 'set TFE_ADDRESS to your TFE address';
    return `check ${source}`;
  }

  private async success<T>(
    req: ApiRequest,
    url: string,
    res: AxiosResponse,
    headers: Record<string, string>,
  ): Promise<ApiResponse<T>> {
    const base = { status: res.status, headers, url };
    if (req.responseType === 'stream') return { ...base, data: res.data as T };
    if (req.responseType === 'none' || (res.data as Buffer).length === 0)
      return { ...base, data: undefined as T };
    const text = (await this.body(req, url, res, headers)).toString('utf8');
    try {
      return { ...base, data: JSON.parse(text) as T };
    } catch {
      throw new ResponseValidationError(
        `${req.method} ${this.display(url, req.options?.secrets)} answered ${res.status} with a body that is not JSON` +
          ` (content-type ${headers['content-type'] ?? 'none'}).`,
        '',
        this.redact(text, req.options?.secrets).slice(0, 2048),
        res.status,
      );
    }
  }

  /**
   * A buffered body as the server meant it: inflated when `Content-Encoding` says so (the header then goes, as
   * axios drops it), or a ResponseValidationError for one that does not inflate.
   */
  private async body(
    req: ApiRequest,
    url: string,
    res: AxiosResponse,
    headers: Record<string, string>,
  ): Promise<Buffer> {
    const buf = res.data as Buffer;
    const encoding = headers['content-encoding'];
    if (!inflatable(encoding)) return buf;
    try {
      const inflated = await inflateBody(buf, encoding);
      delete headers['content-encoding'];
      return inflated;
    } catch (err) {
      throw new ResponseValidationError(
        `${req.method} ${this.display(url, req.options?.secrets)} answered ${res.status} with a ${encoding}-encoded ` +
          `body that does not inflate (${(err as Error).message}).`,
        '',
        '',
        res.status,
      );
    }
  }

  /** An error answer's body as text ('' when it cannot be read: the status still tells what happened). */
  private async readText(
    req: ApiRequest,
    url: string,
    res: AxiosResponse,
    headers: Record<string, string>,
  ): Promise<string> {
    const data = res.data as Buffer | Readable | undefined;
    if (!data) return '';
    try {
      if (Buffer.isBuffer(data)) return (await this.body(req, url, res, headers)).toString('utf8');
      return (await readBody(data)).toString('utf8');
    } catch {
      return '';
    }
  }

  private apiError(
    method: string,
    url: string,
    status: number,
    headers: Record<string, string>,
    text: string,
    secrets?: readonly string[],
  ): ApiError {
    const body = this.redact(text, secrets);
    let errors: ReturnType<typeof parseErrorObjects> = [];
    try {
      errors = parseErrorObjects(JSON.parse(body));
    } catch {
      // An HTML page from a proxy or a truncated document: the error keeps the text instead.
    }
    // Servers and proxies echo credentials in headers too (`www-authenticate`, debug headers).
    const kept = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, this.redact(v, secrets)]));
    const error = makeApiError({
      status,
      method,
      path: this.display(url, secrets),
      headers: kept,
      body,
      errors,
    });
    // The API always answers an error as JSON: an HTML page or plain text came from something else at that address.
    const type = headers['content-type'] ?? '';
    if (status === 404 && errors.length === 0 && !/json/i.test(type) && url.startsWith(this.apiPrefix)) {
      error.message = `${error.message} — the answer (${type.split(';')[0] || 'no content-type'}) is not from the TFE API: ${this.checkAddress()}`;
    }
    return error;
  }

  /**
   * When an answer says the server's window is spent (`X-RateLimit-Remaining: 0`), hold the requests of its class
   * until its `X-RateLimit-Reset`: the server counts arrivals and other clients of the user, which we miss.
   */
  private followServerWindow(headers: Record<string, string>, rateLimitClass: string | undefined): void {
    if (headers['x-ratelimit-remaining']?.trim() !== '0') return;
    const wait = rateLimitWait({ 'x-ratelimit-reset': headers['x-ratelimit-reset'] ?? '' });
    if (wait !== undefined)
      this.limiter.pause(Date.now() + Math.min(wait, this.backoff.maxRateLimitWaitMs), rateLimitClass);
  }

  /** A URL as errors and logs show it, without the token or the call's secrets (an id may hold one by mistake). */
  private display(url: string, secrets?: readonly string[]): string {
    return this.redact(displayPath(url, this.config.baseUrl), secrets);
  }

  /** Logs what `build` makes, built only when the logger takes that level. */
  private log(level: keyof Logger, build: () => [message: string, fields: Record<string, unknown>]): void {
    const fn = this.config.logger?.[level];
    if (!fn) return;
    const [message, fields] = build();
    fn.call(this.config.logger, this.redact(message), fields);
  }
}

function isStream(data: RawBody): data is Readable {
  return typeof data === 'object' && data !== null && typeof (data as Readable).pipe === 'function';
}

function normaliseHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** A URL as shown in errors and logs: the path alone on the API origin, the origin and path elsewhere. */
function displayPath(url: string, baseUrl: string): string {
  const u = new URL(url);
  // Upload and log URLs carry a signed credential in their path or query: show where, never which object.
  if (!url.startsWith(`${baseUrl}/`)) {
    const [first] = u.pathname.split('/').filter(Boolean);
    return `${u.origin}/${first ? `${first}/…` : ''}`;
  }
  return `${u.pathname}${u.search}`;
}

async function readBody(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(res: AxiosResponse): Promise<void> {
  const data = res.data as Readable | Buffer | undefined;
  // Read to its end so the socket is reused; nobody waits on it, so a failure there is nobody's error.
  if (data && !Buffer.isBuffer(data)) data.on('error', () => {}).resume();
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
