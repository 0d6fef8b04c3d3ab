import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { RateLimiter } from '../../src/testing/rate-limit.js';
import { api, fastFake, workspaceId } from './helpers.js';

const rateLimitFixture = JSON.parse(
  readFileSync(new URL('./fixtures/rate-limit-429.json', import.meta.url), 'utf8'),
);

let fake: FakeTfe;
afterEach(() => fake?.close());

describe('authentication', () => {
  it('answers 401 without a token', async () => {
    fake = await fastFake();
    const res = await api(fake, 'GET', `/workspaces/${workspaceId(fake)}`, undefined, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.errors[0]).toMatchObject({ status: '401', title: 'unauthorized' });
  });

  it('answers 401 for a token it does not know', async () => {
    fake = await fastFake();
    expect(
      (await api(fake, 'GET', `/workspaces/${workspaceId(fake)}`, undefined, { token: 'nope' })).status,
    ).toBe(401);
  });

  it('uses the token it was given', async () => {
    fake = await fastFake({ token: 'my-token' });
    expect(fake.token).toBe('my-token');
    expect((await api(fake, 'GET', `/workspaces/${workspaceId(fake)}`)).status).toBe(200);
  });

  it('records every request with method, path, query, headers and status', async () => {
    fake = await fastFake();
    await api(fake, 'GET', `/workspaces/${workspaceId(fake)}/runs?page%5Bsize%5D=5`);
    const [req] = fake.core.requests;
    expect(req).toMatchObject({
      surface: 'api',
      method: 'GET',
      path: `/api/v2/workspaces/${workspaceId(fake)}/runs`,
      query: { 'page[size]': '5' },
      status: 200,
    });
    expect(req?.headers.authorization).toBe(`Bearer ${fake.token}`);
    expect(req?.time).toBeLessThanOrEqual(Date.now());
  });
});

describe('rate limit', () => {
  it('answers 429 with the documented body above the limit', async () => {
    fake = await fastFake({ rateLimitPerSecond: 3 });
    const path = `/workspaces/${workspaceId(fake)}`;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(fake, 'GET', path)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await api(fake, 'GET', path);
    expect(res.body).toEqual(rateLimitFixture);
    expect(fake.core.stats.rateLimited).toBe(2);
  });

  it('sends X-RateLimit-Limit, -Remaining and a decimal -Reset', async () => {
    fake = await fastFake({ rateLimitPerSecond: 2 });
    const path = `/workspaces/${workspaceId(fake)}`;
    const ok = await api(fake, 'GET', path);
    expect(ok.headers.get('x-ratelimit-limit')).toBe('2');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
    await api(fake, 'GET', path);
    const limited = await api(fake, 'GET', path);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(limited.headers.get('x-ratelimit-reset')).toMatch(/^\d+\.\d{3}$/);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(1);
  });

  it('lets requests through again once the window has slid', () => {
    const limiter = new RateLimiter(2);
    expect([
      limiter.take('t', 0).allowed,
      limiter.take('t', 400).allowed,
      limiter.take('t', 900).allowed,
    ]).toEqual([true, true, false]);
    expect(limiter.take('t', 999).resetSeconds).toBeCloseTo(0.001);
    expect(limiter.take('t', 1000).allowed).toBe(true);
    expect(limiter.take('t', 1001).allowed).toBe(false);
  });

  it('counts each token apart', async () => {
    fake = await fastFake({ rateLimitPerSecond: 1 });
    const other = fake.core.createToken();
    const path = `/workspaces/${workspaceId(fake)}`;
    await api(fake, 'GET', path);
    expect((await api(fake, 'GET', path, undefined, { token: other })).status).toBe(200);
  });
});
