import { JSONAPI, jsonResponse } from './jsonapi.js';
import type { FakeResponse, FaultSpec, Surface } from './types.js';

const RATE_LIMIT_BODY = {
  errors: [{ detail: "You have exceeded the API's rate limit.", status: 429, title: 'Too many requests' }],
};

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '</body>\r\n</html>\r\n';

const SAMPLE_DOCUMENT = Buffer.from(
  '{"data":{"id":"run-CZcmD7eagjhyX0vN","type":"runs","attributes":{"status":"pending"}}}',
);

interface Armed {
  spec: FaultSpec;
  left: number;
}

/** Injected faults, matched in the order they were added; each one fires `times` times. */
export class FaultBook {
  private armed: Armed[] = [];
  /** Responses spoiled by a fault so far. */
  served = 0;

  inject(spec: FaultSpec): void {
    this.armed.push({ spec, left: spec.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** The fault for this request, if any; consumes one of its `times`. */
  take(surface: Surface, method: string, fullPath: string, phase: 'before' | 'after'): FaultSpec | undefined {
    const path = fullPath.split('?')[0] ?? fullPath;
    const hit = this.armed.find(({ spec }) => {
      if ((spec.phase ?? 'before') !== phase) return false;
      if (spec.surface !== undefined && spec.surface !== surface) return false;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false;
      if (typeof spec.path === 'string') return path === spec.path || path === `/api/v2${spec.path}`;
      spec.path.lastIndex = 0;
      return spec.path.test(fullPath);
    });
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left <= 0) this.armed = this.armed.filter((a) => a !== hit);
    this.served += 1;
    return hit.spec;
  }
}

/** The response a fault sends; `real` is the fake's own answer when the fault fires after handling. */
export function renderFault(spec: FaultSpec, real: FakeResponse | undefined): FakeResponse {
  switch (spec.kind) {
    case 'status': {
      const errors = spec.errors ?? [{ status: String(spec.status), title: statusTitle(spec.status) }];
      return jsonResponse(spec.status, { errors }, spec.headers);
    }
    case 'retry-after':
      return jsonResponse(429, RATE_LIMIT_BODY, { 'retry-after': String(spec.retryAfter ?? 1) });
    case 'ratelimit-reset':
      return jsonResponse(429, RATE_LIMIT_BODY, {
        'x-ratelimit-limit': '30',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(spec.reset ?? 0.25),
      });
    case 'ratelimit-bare':
      return jsonResponse(
        429,
        RATE_LIMIT_BODY,
        spec.headers === 'malformed'
          ? { 'retry-after': 'soon', 'x-ratelimit-reset': 'NaN', 'x-ratelimit-limit': 'thirty' }
          : {},
      );
    case 'html-502':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: Buffer.from(HTML_502) };
    case 'truncated-json': {
      const full = real && real.body.length > 1 ? real.body : SAMPLE_DOCUMENT;
      return {
        status: real?.status ?? 200,
        headers: { ...real?.headers, 'content-type': JSONAPI },
        body: full.subarray(0, Math.floor(full.length / 2)),
      };
    }
    case 'empty-200':
      return { status: 200, headers: { 'content-type': JSONAPI }, body: Buffer.alloc(0) };
    case 'non-jsonapi-200':
      return jsonResponse(200, spec.body ?? { ok: true, message: 'this is not a JSON:API document' });
    case 'redirect':
      return {
        status: spec.status ?? 307,
        headers: { location: spec.location },
        body: Buffer.alloc(0),
      };
    case 'drop':
      // Recorded with status 0: no answer was sent.
      return { status: 0, headers: {}, body: Buffer.alloc(0), transport: { kind: 'drop' } };
    case 'reset':
      return {
        ...(real ?? { status: 200, headers: { 'content-type': JSONAPI }, body: SAMPLE_DOCUMENT }),
        transport: { kind: 'reset' },
      };
    case 'hang':
      return { status: 200, headers: {}, body: Buffer.alloc(0), transport: { kind: 'hang' } };
    case 'slow-body':
      return {
        ...(real ?? { status: 200, headers: { 'content-type': JSONAPI }, body: SAMPLE_DOCUMENT }),
        transport: { kind: 'drip', chunkBytes: spec.chunkBytes ?? 8, intervalMs: spec.intervalMs ?? 50 },
      };
  }
}

function statusTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'bad request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not found',
    408: 'request timeout',
    409: 'conflict',
    415: 'unsupported media type',
    422: 'invalid attribute',
    429: 'Too many requests',
    500: 'internal server error',
    502: 'bad gateway',
    503: 'service unavailable',
    504: 'gateway timeout',
  };
  return titles[status] ?? 'error';
}
