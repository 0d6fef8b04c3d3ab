import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, fastFake, MAIN_TF, tarball, uploadConfig, workspaceId } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

const wsPath = () => `/workspaces/${workspaceId(fake)}`;

/** A GET over node:http: whether any answer came, or the socket error's code. */
function rawGet(url: string, token: string): Promise<{ answered: boolean; code?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve({ answered: true });
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ answered: false, code: err.code }));
    req.end();
  });
}

describe('fault injection', () => {
  it('answers a status with a JSON:API body, then recovers', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'status', status: 503, times: 2 });
    const first = await api(fake, 'GET', wsPath());
    expect(first.status).toBe(503);
    expect(first.body.errors[0]).toMatchObject({ status: '503' });
    expect((await api(fake, 'GET', wsPath())).status).toBe(503);
    expect((await api(fake, 'GET', wsPath())).status).toBe(200);
    expect(fake.core.stats.faults).toBe(2);
  });

  it('matches by method and RegExp', async () => {
    fake = await fastFake();
    fake.core.injectFault({ method: 'POST', path: /\/actions\/lock$/, kind: 'status', status: 500 });
    expect((await api(fake, 'GET', wsPath())).status).toBe(200);
    expect((await api(fake, 'POST', `${wsPath()}/actions/lock`)).status).toBe(500);
  });

  it('answers 429 with Retry-After', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'retry-after', retryAfter: 2 });
    const res = await api(fake, 'GET', wsPath());
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(fake.core.stats.tooManyRequests).toBe(1);
  });

  it('answers 429 with X-RateLimit-Reset', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'ratelimit-reset', reset: 0.125 });
    const res = await api(fake, 'GET', wsPath());
    expect(res.headers.get('x-ratelimit-reset')).toBe('0.125');
  });

  it('answers 429 with no headers, or with malformed ones', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'ratelimit-bare' });
    fake.core.injectFault({ path: wsPath(), kind: 'ratelimit-bare', headers: 'malformed' });
    const bare = await api(fake, 'GET', wsPath());
    expect([bare.status, bare.headers.get('retry-after'), bare.headers.get('x-ratelimit-reset')]).toEqual([
      429,
      null,
      null,
    ]);
    const bad = await api(fake, 'GET', wsPath());
    expect(bad.headers.get('retry-after')).toBe('soon');
  });

  it('answers an HTML 502 page', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'html-502' });
    const res = await api(fake, 'GET', wsPath());
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.text).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('truncates the JSON of the real answer after handling it', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    fake.core.injectFault({ method: 'POST', path: '/runs', kind: 'truncated-json', phase: 'after' });
    const res = await createRun(fake, {}, cv);
    expect(res.status).toBe(201);
    expect(() => JSON.parse(res.text)).toThrow();
    expect(fake.core.store.runs.size).toBe(1);
  });

  it('answers 200 with an empty body, and 200 with a body that is not JSON:API', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'empty-200' });
    fake.core.injectFault({ path: wsPath(), kind: 'non-jsonapi-200', body: { hello: 'world' } });
    expect((await api(fake, 'GET', wsPath())).text).toBe('');
    expect((await api(fake, 'GET', wsPath())).body).toEqual({ hello: 'world' });
  });

  it('resets the connection mid-response', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'reset' });
    await expect(api(fake, 'GET', wsPath())).rejects.toThrow();
    expect((await api(fake, 'GET', wsPath())).status).toBe(200);
  });

  it('drops the connection once the request has arrived, before any byte of the answer', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'drop' });
    expect(await rawGet(`${fake.apiUrl}${wsPath()}`, fake.token)).toEqual({
      answered: false,
      code: 'ECONNRESET',
    });
    expect(fake.core.requests.at(-1)).toMatchObject({ method: 'GET', fault: 'drop', status: 0 });
    expect((await api(fake, 'GET', wsPath())).status).toBe(200);
  });

  it('drops the connection after the fake acted, with phase after', async () => {
    fake = await fastFake();
    fake.core.injectFault({ method: 'POST', path: /\/actions\/lock$/, kind: 'drop', phase: 'after' });
    await expect(api(fake, 'POST', `${wsPath()}/actions/lock`, { reason: 'x' })).rejects.toThrow();
    expect(fake.core.workspace('demo').lock).toMatchObject({ by: 'user', reason: 'x' });
  });

  it('answers a redirect to a path of the same origin, or to another origin, with no body', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'redirect', location: '/api/v2/moved' });
    fake.core.injectFault({
      path: wsPath(),
      kind: 'redirect',
      status: 302,
      location: 'http://other.invalid/x',
    });
    const same = await api(fake, 'GET', wsPath());
    expect([same.status, same.headers.get('location'), same.text]).toEqual([307, '/api/v2/moved', '']);
    const other = await api(fake, 'GET', wsPath());
    expect([other.status, other.headers.get('location')]).toEqual([302, 'http://other.invalid/x']);
    expect(fake.core.requests.map((r) => r.path)).toEqual([`/api/v2${wsPath()}`, `/api/v2${wsPath()}`]);
  });

  it('hangs without answering until the client gives up', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'hang' });
    const res = fetch(`${fake.apiUrl}${wsPath()}`, {
      headers: { authorization: `Bearer ${fake.token}` },
      signal: AbortSignal.timeout(100),
    });
    await expect(res).rejects.toThrow(/abort|timeout/i);
  });

  it('drips the body slowly', async () => {
    fake = await fastFake();
    fake.core.injectFault({
      path: wsPath(),
      kind: 'slow-body',
      chunkBytes: 64,
      intervalMs: 5,
      phase: 'after',
    });
    const chunks = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${fake.apiUrl}${wsPath()}`,
        { headers: { authorization: `Bearer ${fake.token}` } },
        (res) => {
          let n = 0;
          res.on('data', () => n++);
          res.on('end', () => resolve(n));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(chunks).toBeGreaterThan(3);
  });

  it('applies to the upload server too', async () => {
    fake = await fastFake();
    fake.core.injectFault({ surface: 'archivist', path: /\/v1\/object\//, kind: 'status', status: 500 });
    const cv = await api(fake, 'POST', `${wsPath()}/configuration-versions`, {
      data: { type: 'configuration-versions' },
    });
    const put = await fetch(cv.body.data.attributes['upload-url'], {
      method: 'PUT',
      body: await tarball({ 'main.tf': MAIN_TF }),
    });
    expect(put.status).toBe(500);
    expect(fake.core.configurationVersion(cv.body.data.id)?.archive).toBeNull();
  });

  it('adds the configured latency to every answer', async () => {
    fake = await fastFake({ latencyMs: 60 });
    const started = Date.now();
    await api(fake, 'GET', wsPath());
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('marks faulted requests in the request log', async () => {
    fake = await fastFake();
    fake.core.injectFault({ path: wsPath(), kind: 'html-502' });
    await api(fake, 'GET', wsPath());
    expect(fake.core.requests[0]).toMatchObject({ status: 502, fault: 'html-502' });
  });
});
