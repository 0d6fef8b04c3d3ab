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

  it('counts each user apart', async () => {
    fake = await fastFake({ rateLimitPerSecond: 1 });
    const other = fake.core.createToken();
    const path = `/workspaces/${workspaceId(fake)}`;
    await api(fake, 'GET', path);
    expect((await api(fake, 'GET', path, undefined, { token: other })).status).toBe(200);
  });
});

describe('run-list rate limit (30 a minute, as run.mdx documents for both run lists)', () => {
  it('is on by default: the 31st run list in a minute gets 429 with the documented body and headers', async () => {
    fake = await fastFake();
    expect(fake.core.runListRateLimit).toBe(30);
    const ws = `/workspaces/${workspaceId(fake)}/runs`;
    const statuses: number[] = [];
    // Both run lists count in one window.
    for (let i = 0; i < 15; i++) statuses.push((await api(fake, 'GET', ws)).status);
    for (let i = 0; i < 15; i++) statuses.push((await api(fake, 'GET', `/organizations/acme/runs`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const last = await api(fake, 'GET', `${ws}?page%5Bnumber%5D=2`);
    expect(last.status).toBe(429);
    expect(last.body).toEqual(rateLimitFixture);
    expect(last.headers.get('x-ratelimit-limit')).toBe('30');
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(last.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(55);
    expect(reset).toBeLessThanOrEqual(60);
    expect(fake.core.stats).toMatchObject({ rateLimited: 1, runListRateLimited: 1 });
    // Other endpoints, and other methods on the same path, are not held by it.
    expect((await api(fake, 'GET', `/workspaces/${workspaceId(fake)}`)).status).toBe(200);
  });

  it('a run list answers with the run-list window in its X-RateLimit headers', async () => {
    fake = await fastFake();
    const ok = await api(fake, 'GET', `/workspaces/${workspaceId(fake)}/runs`);
    expect(ok.headers.get('x-ratelimit-limit')).toBe('30');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('29');
    expect(Number(ok.headers.get('x-ratelimit-reset'))).toBeGreaterThan(59);
  });

  it('slides: a run list is allowed again once the oldest leaves the window, as X-RateLimit-Reset says', async () => {
    fake = await fastFake({ runListRateLimit: 2, runListWindowMs: 1000 });
    const ws = `/workspaces/${workspaceId(fake)}/runs`;
    expect((await api(fake, 'GET', ws)).status).toBe(200);
    const second = await api(fake, 'GET', ws);
    expect(second.status).toBe(200);
    const reset = Number(second.headers.get('x-ratelimit-reset'));
    const answered = Date.now();
    const third = await api(fake, 'GET', ws);
    // Sent before the reset the second announced: refused (on a stalled machine the answer may come later).
    if (Date.now() - answered < reset * 1000) expect(third.status).toBe(429);
    await new Promise((r) => setTimeout(r, reset * 1000 + 20));
    expect((await api(fake, 'GET', ws)).status).toBe(200);
  });

  it('runListRateLimit: 0 turns it off; the setter changes it for later requests', async () => {
    fake = await fastFake({ runListRateLimit: 0 });
    const ws = `/workspaces/${workspaceId(fake)}/runs`;
    for (let i = 0; i < 40; i++) expect((await api(fake, 'GET', ws)).status).toBe(200);
    fake.core.runListRateLimit = 1;
    expect((await api(fake, 'GET', ws)).status).toBe(200);
    expect((await api(fake, 'GET', ws)).status).toBe(429);
  });

  it('counts per user, as the API overview says: a second token of the same user shares the window', async () => {
    fake = await fastFake({ runListRateLimit: 1 });
    const ws = `/workspaces/${workspaceId(fake)}/runs`;
    // A second token of the default user, put in the store by hand: the fake has no API for one.
    const sameUser = 'second-token-of-fake-user';
    fake.core.store.tokens.set(sameUser, fake.core.store.tokens.get(fake.token)!);
    const otherUser = fake.core.createToken('bob');
    expect((await api(fake, 'GET', ws)).status).toBe(200);
    expect((await api(fake, 'GET', ws, undefined, { token: sameUser })).status).toBe(429);
    expect((await api(fake, 'GET', ws, undefined, { token: otherUser })).status).toBe(200);
  });
});
