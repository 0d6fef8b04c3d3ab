import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { TfeClient, type TfeClientOptions } from '../../src/index.js';

export const BASE = 'https://tfe.test';
export const API = `${BASE}/api/v2`;
export const TOKEN = 'tok-1234567890.atlasv1.SECRETSECRETSECRET';

/** A doc fixture from test/fixtures (copied from the official API docs). */
export function fixture<T = JsonBodyType>(name: string): T {
  const file = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** An msw server for this test file; any request without a handler fails the test. */
export function useMsw() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A client pointed at the msw origin, with retry waits shrunk so tests stay fast. */
export function testClient(options: TfeClientOptions = {}) {
  return new TfeClient({
    token: TOKEN,
    address: BASE,
    env: {},
    backoff: { initialDelayMs: 1, maxDelayMs: 5, maxRateLimitWaitMs: 50 },
    rateLimit: 1000,
    ...options,
  });
}

export interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** Records each request a handler answers. */
export function recorder() {
  const seen: Seen[] = [];
  const record = async (request: Request) => {
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.clone().text(),
    });
  };
  return { seen, record };
}

export const jsonApi = (body: JsonBodyType, status = 200, headers: Record<string, string> = {}) =>
  HttpResponse.json(body, { status, headers: { 'Content-Type': 'application/vnd.api+json', ...headers } });

export { HttpResponse, http };

/** A page of `perPage` runs (`run-<page>-<i>`) out of `totalPages`, for the page `request` asks for. */
export function runsPage(request: Request, totalPages: number, perPage: number) {
  const n = Number(new URL(request.url).searchParams.get('page[number]') ?? '1');
  return {
    data: Array.from({ length: perPage }, (_, i) => ({
      id: `run-${n}-${i}`,
      type: 'runs',
      attributes: { status: 'applied' },
    })),
    meta: {
      pagination: {
        'current-page': n,
        'prev-page': n > 1 ? n - 1 : null,
        'next-page': n < totalPages ? n + 1 : null,
        'total-pages': totalPages,
        'total-count': totalPages * perPage,
      },
    },
  };
}
