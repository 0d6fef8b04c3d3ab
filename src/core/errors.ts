import { redactHeaders } from './redact.js';

/** One error object of a JSON:API error document, normalised from either shape the API sends. */
export interface ApiErrorObject {
  status?: string;
  title?: string;
  detail?: string;
  code?: string;
  source?: { pointer?: string; parameter?: string };
  meta?: Record<string, unknown>;
}

/** The base of every error tfe-client throws. */
export class TfeError extends Error {
  override readonly name: string = 'TfeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** A plain, secret-free object for structured logs. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key !== 'cause') out[key] = value;
    }
    return out;
  }
}

/** Options are wrong before anything was sent: the message names the field and what to fix. */
export class InputValidationError extends TfeError {
  override readonly name: string = 'InputValidationError';
  constructor(
    message: string,
    /** The option or argument at fault, e.g. `runId` or `terraformVersion`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** No token was given and none was found in the environment. */
export class MissingTokenError extends InputValidationError {
  override readonly name: string = 'MissingTokenError';
  constructor() {
    super(
      'No API token: pass { token } to TfeClient or set TFE_TOKEN (or TF_API_TOKEN) in the environment.',
      'token',
    );
  }
}

interface ApiErrorInit {
  status: number;
  method: string;
  /** Path and query only: never the origin's credentials. */
  path: string;
  headers?: Record<string, unknown>;
  body?: string;
  errors?: ApiErrorObject[];
}

const MAX_BODY_KEPT = 2048;

/** The API answered with a status that is not success. */
export class ApiError extends TfeError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** The JSON:API errors of the response, in object form even when the API sent plain strings. */
  readonly errors: ApiErrorObject[];
  /** `X-Request-Id`, to quote to support. */
  readonly requestId: string | undefined;
  /** Response headers, with secrets removed. */
  readonly headers: Record<string, string>;
  /** The start of the raw body, for a proxy's HTML page or a truncated document. */
  readonly body: string | undefined;

  constructor(init: ApiErrorInit, message?: string) {
    const errors = init.errors ?? [];
    super(message ?? ApiError.describe(init.status, init.method, init.path, errors, init.body));
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.errors = errors;
    this.headers = redactHeaders(init.headers);
    this.requestId = this.headers['x-request-id'];
    this.body = init.body === undefined ? undefined : init.body.slice(0, MAX_BODY_KEPT);
  }

  /** The server's own words, `title: detail` of each error. */
  get details(): string {
    return this.errors
      .map((e) => [e.title, e.detail].filter(Boolean).join(': '))
      .filter(Boolean)
      .join('; ');
  }

  /** The message of an API error: method, path and status, what the API said, and what to check next. */
  static describe(
    status: number,
    method: string,
    path: string,
    errors: ApiErrorObject[],
    body?: string,
  ): string {
    const said = errors
      .map((e) => [e.title, e.detail].filter((s) => s && s !== e.status).join(': '))
      .filter(Boolean)
      .join('; ');
    const statusLine = `${status} ${STATUS_TEXT[status] ?? 'error'}`;
    const summary = body && !said ? summariseBody(body, statusLine) : '';
    const fallback = summary ? ` (${summary})` : '';
    return `${statusLine} on ${method} ${path}${said ? `: ${said}` : fallback}`;
  }
}

export class BadRequestError extends ApiError {
  override readonly name: string = 'BadRequestError';
}
export class AuthenticationError extends ApiError {
  override readonly name: string = 'AuthenticationError';
}
export class PermissionDeniedError extends ApiError {
  override readonly name: string = 'PermissionDeniedError';
}
/** TFE answers 404 both for a missing resource and for one the token may not see. */
export class NotFoundError extends ApiError {
  override readonly name: string = 'NotFoundError';
}
export class ConflictError extends ApiError {
  override readonly name: string = 'ConflictError';
}
export class UnsupportedMediaTypeError extends ApiError {
  override readonly name: string = 'UnsupportedMediaTypeError';
}
export class UnprocessableEntityError extends ApiError {
  override readonly name: string = 'UnprocessableEntityError';
}
export class RateLimitError extends ApiError {
  override readonly name: string = 'RateLimitError';
}
export class InternalServerError extends ApiError {
  override readonly name: string = 'InternalServerError';
}

const STATUS_TEXT: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const HINTS: Partial<Record<number, string>> = {
  401: 'the token is missing, invalid or expired: check TFE_TOKEN',
  404: 'the resource does not exist, or this token is not allowed to see it',
  415: 'the request was not sent as application/vnd.api+json',
};

/** Hints for errors whose status alone says too little: matched on the request and the server's words. */
const DETAIL_HINTS: Array<{ status: number; method: string; path: RegExp; says: RegExp; hint: string }> = [
  {
    status: 422,
    method: 'POST',
    path: /\/runs$/,
    says: /configuration[ _-]?version/i,
    hint:
      'if the configuration version is still being processed, wait for it with ' +
      'configurationVersions.waitForUpload(id) before creating the run',
  },
];

/** Builds the error class for a status: the one factory every response goes through. */
export function makeApiError(init: ApiErrorInit): ApiError {
  const Class = errorClassFor(init.status);
  const error = new Class(init);
  const said = error.errors.map((e) => [e.title, e.detail, e.source?.pointer].join(' ')).join(' ');
  const hint =
    HINTS[init.status] ??
    redirectHint(init.status, error.headers.location) ??
    DETAIL_HINTS.find(
      (h) =>
        h.status === init.status && h.method === init.method && h.path.test(init.path) && h.says.test(said),
    )?.hint;
  if (hint) error.message = `${error.message} — ${hint}`;
  return error;
}

/** Names where an unfollowed redirect pointed, without its query (signed URLs carry credentials there). */
function redirectHint(status: number, location: string | undefined): string | undefined {
  if (status < 300 || status >= 400) return undefined;
  let target = 'elsewhere';
  try {
    if (location) {
      const url = new URL(location, 'http://relative.invalid');
      target = url.origin === 'http://relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`;
    }
  } catch {
    // An unparsable Location still gets the hint.
  }
  return `the server redirected to ${target}, which was not followed`;
}

function errorClassFor(status: number): typeof ApiError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 415:
      return UnsupportedMediaTypeError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : ApiError;
  }
}

/** Reads either JSON:API error shape: `{errors:[{status,title,detail}]}` or `{errors:["text"]}`. */
export function parseErrorObjects(body: unknown): ApiErrorObject[] {
  if (!body || typeof body !== 'object' || !('errors' in body)) return [];
  const errors = (body as { errors: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e): ApiErrorObject => {
    if (typeof e === 'string') return { detail: e };
    if (!e || typeof e !== 'object') return { detail: String(e) };
    const o = e as Record<string, unknown>;
    const out: ApiErrorObject = {};
    if (o.status !== undefined) out.status = String(o.status);
    if (typeof o.title === 'string') out.title = o.title;
    if (typeof o.detail === 'string') out.detail = o.detail;
    if (typeof o.code === 'string') out.code = o.code;
    if (o.source && typeof o.source === 'object') out.source = o.source as ApiErrorObject['source'];
    if (o.meta && typeof o.meta === 'object') out.meta = o.meta as Record<string, unknown>;
    return out;
  });
}

/**
 * A body's text in a few words: HTML's text pieces, each once, without those that only repeat the status line
 * (a proxy's `<title>502 Bad Gateway</title>…<h1>502 Bad Gateway</h1>` says nothing the message does not).
 */
function summariseBody(body: string, statusLine: string): string {
  if (!body.trim()) return 'empty body';
  const pieces = body
    .split(/<[^>]*>/)
    .map((piece) => piece.replace(/\s+/g, ' ').trim())
    .filter((piece) => piece !== '' && piece.toLowerCase() !== statusLine.toLowerCase());
  const text = [...new Set(pieces)].join(' ');
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** No response came back: refused, reset, DNS, TLS. */
export class ConnectionError extends TfeError {
  override readonly name: string = 'ConnectionError';
  constructor(
    message: string,
    /** The system error code, e.g. ECONNREFUSED. */
    readonly code: string | undefined,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The request, or a wait, ran past its deadline. */
export class TimeoutError extends TfeError {
  override readonly name: string = 'TimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends TfeError {
  override readonly name: string = 'AbortError';
  constructor(message = 'The operation was aborted by the caller.') {
    super(message);
  }
}

/** A success response whose body is not what the API documents. */
export class ResponseValidationError extends TfeError {
  override readonly name: string = 'ResponseValidationError';
  constructor(
    message: string,
    /** Where in the document it failed, e.g. `data.attributes.status`. */
    readonly issuePath: string,
    /** The start of the raw body. */
    readonly body: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}
