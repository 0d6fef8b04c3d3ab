import { type HttpHandler, HttpResponse, http } from 'msw';
import type { FakeTfeCore } from './core.js';
import type { FakeResponse, Surface } from './types.js';

/** Where the msw handlers answer: the API origin and the archivist origin. */
export interface FakeTfeHandlerOptions {
  /** Origin the SDK talks to, e.g. `https://app.terraform.io` (a trailing `/api/v2` is ignored). */
  baseUrl: string;
  /** Origin for upload/log/download URLs (default: the core's `archivistUrl`). */
  archivistUrl?: string;
}

const NO_BODY = new Set([204, 205, 304]);

/** A fetch Response acting out the core's answer, transport faults included. */
function toResponse(res: FakeResponse, signal: AbortSignal): Response | Promise<Response> {
  const transport = res.transport;
  const init = { status: res.status, headers: res.headers };
  if (transport?.kind === 'hang') {
    return new Promise((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    );
  }
  if (transport?.kind === 'drop') return HttpResponse.error();
  if (transport?.kind === 'reset') {
    const half = res.body.subarray(0, Math.floor(res.body.length / 2));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(half);
        controller.error(new Error('socket hang up (fake TFE reset)'));
      },
    });
    return half.length === 0 ? HttpResponse.error() : new HttpResponse(stream, init);
  }
  if (transport?.kind === 'drip') {
    let offset = 0;
    let timer: NodeJS.Timeout | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setInterval(() => {
          controller.enqueue(res.body.subarray(offset, offset + transport.chunkBytes));
          offset += transport.chunkBytes;
          if (offset >= res.body.length) {
            clearInterval(timer);
            controller.close();
          }
        }, transport.intervalMs);
      },
      cancel() {
        clearInterval(timer);
      },
    });
    return new HttpResponse(stream, init);
  }
  return new HttpResponse(NO_BODY.has(res.status) ? null : res.body, init);
}

/**
 * msw handlers serving the fake over the same core: use with `setupServer(...createFakeTfeHandlers(core, …))`.
 * Not exported from the package index so msw stays an optional dependency.
 */
export function createFakeTfeHandlers(core: FakeTfeCore, options: FakeTfeHandlerOptions): HttpHandler[] {
  const base = options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v2$/, '');
  if (options.archivistUrl !== undefined) core.archivistUrl = options.archivistUrl.replace(/\/+$/, '');
  core.address ??= base;
  const handler =
    (surface: Surface) =>
    async ({ request }: { request: Request }) => {
      const url = new URL(request.url);
      const body = Buffer.from(await request.arrayBuffer());
      const headers = Object.fromEntries(request.headers);
      headers.host ??= url.host;
      const response = await core.handle({
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers,
        body,
        surface,
      });
      return toResponse(response, request.signal);
    };
  return [http.all(`${core.archivistUrl}/*`, handler('archivist')), http.all(`${base}/*`, handler('api'))];
}
