import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { API, fixture, HttpResponse, http, jsonApi, runsPage, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
const run = fixture('runs/get-run-details.json');

const tooMany = (headers: Record<string, string>) =>
  HttpResponse.json(
    { errors: [{ status: 429, title: 'Too many requests' }] },
    { status: 429, headers: { 'content-type': 'application/vnd.api+json', ...headers } },
  );

/** Lists, reads and a lock endpoint; records the order requests arrive in. */
function serve(listAnswer: (request: Request) => Response, readAnswer: () => Response = () => jsonApi(run)) {
  const arrivals: string[] = [];
  server.use(
    http.get(`${API}/workspaces/:id/runs`, ({ request }) => {
      arrivals.push('list');
      return listAnswer(request);
    }),
    http.get(`${API}/organizations/:name/runs`, ({ request }) => {
      arrivals.push('org-list');
      return listAnswer(request);
    }),
    http.get(`${API}/runs/:id`, () => {
      arrivals.push('read');
      return readAnswer();
    }),
  );
  return arrivals;
}

// Patient: a 429's wait is obeyed in full, so a test shows who is held by it.
const patient = () => testClient({ backoff: { maxRateLimitWaitMs: 60_000 } });

describe('the run-list rate-limit class', () => {
  it('a 429 from a run list pauses run lists only: a read made meanwhile goes at once', async () => {
    const arrivals = serve(() => tooMany({ 'retry-after': '30' }));
    const tfe = patient();
    const controller = new AbortController();
    const list = tfe.runs.list('ws-1', {}, { signal: controller.signal }).then(
      () => 'listed',
      (err: unknown) => err,
    );
    await until(() => arrivals.includes('list'));
    const started = Date.now();
    await tfe.runs.read('run-1');
    expect(Date.now() - started).toBeLessThan(5_000);
    // The organization's list is of the same class: held too.
    const orgList = tfe.runs.listForOrganization('acme', {}, { signal: controller.signal }).then(
      () => 'listed',
      (err: unknown) => err,
    );
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await list).toBeInstanceOf(AbortError);
    expect(await orgList).toBeInstanceOf(AbortError);
    expect(arrivals).toEqual(['list', 'read']);
  });

  it('a 429 from any other endpoint pauses everything, run lists too (they count in the general window)', async () => {
    const arrivals = serve(
      (request) => jsonApi(runsPage(request, 1, 1)),
      () => tooMany({ 'retry-after': '30' }),
    );
    const tfe = patient();
    const controller = new AbortController();
    const read = tfe.runs.read('run-1', {}, { signal: controller.signal }).catch((err: unknown) => err);
    await until(() => arrivals.includes('read'));
    const list = tfe.runs.list('ws-1', {}, { signal: controller.signal }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await read).toBeInstanceOf(AbortError);
    expect(await list).toBeInstanceOf(AbortError);
    expect(arrivals).toEqual(['read']);
  });

  it('X-RateLimit-Remaining: 0 on a run list holds the next run list, not a read', async () => {
    const arrivals = serve((request) =>
      jsonApi(runsPage(request, 1, 1), 200, {
        'x-ratelimit-limit': '30',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '45',
      }),
    );
    const tfe = patient();
    await tfe.runs.list('ws-1');
    await tfe.runs.read('run-1');
    const controller = new AbortController();
    const next = tfe.runs.list('ws-1', {}, { signal: controller.signal }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await next).toBeInstanceOf(AbortError);
    expect(arrivals).toEqual(['list', 'read']);
  });

  it('runListRateLimit holds the run lists to that many per window; reads are not counted in it', async () => {
    const arrivals = serve((request) => jsonApi(runsPage(request, 1, 1)));
    const tfe = testClient({ runListRateLimit: 2 });
    await tfe.runs.list('ws-1');
    await tfe.runs.listForOrganization('acme');
    for (let i = 0; i < 5; i++) await tfe.runs.read('run-1');
    const controller = new AbortController();
    const third = tfe.runs.list('ws-1', {}, { signal: controller.signal }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await third).toBeInstanceOf(AbortError);
    expect(arrivals.filter((a) => a !== 'read')).toEqual(['list', 'org-list']);
  });

  it.each([
    [{ runListRateLimit: 0 }, 'runListRateLimit'],
    [{ runListRateLimit: -1 }, 'runListRateLimit'],
    [{ runListWindowMs: 0 }, 'runListWindowMs'],
    [{ runListWindowMs: Number.POSITIVE_INFINITY }, 'runListWindowMs'],
  ])('refuses %o naming the option', (options, field) => {
    expect(() => testClient(options)).toThrow(expect.objectContaining({ field }));
  });
});

describe('following and stopping a run listing', () => {
  it('onPage reports each page in order with the page count, and an abort in it stops the listing', async () => {
    const answered: number[] = [];
    server.use(
      http.get(`${API}/workspaces/ws-1/runs`, ({ request }) => {
        answered.push(Number(new URL(request.url).searchParams.get('page[number]') ?? '1'));
        return jsonApi(runsPage(request, 20, 1));
      }),
    );
    const before = timers();
    const controller = new AbortController();
    const progress: { pageNumber: number; totalPages: number | undefined; ids: string[] }[] = [];
    const tfe = testClient({ runListRateLimit: 6, runListWindowMs: 60_000 });
    const ids: string[] = [];
    const listing = (async () => {
      const runs = tfe.runs.list(
        'ws-1',
        {
          concurrency: 3,
          onPage: ({ pageNumber, totalPages, items }) => {
            progress.push({ pageNumber, totalPages, ids: items.map((r) => r.id) });
            if (pageNumber === 4) controller.abort();
          },
        },
        { signal: controller.signal },
      );
      for await (const r of runs) ids.push(r.id);
    })();
    await expect(listing).rejects.toBeInstanceOf(AbortError);
    expect(progress.map((p) => p.pageNumber)).toEqual([1, 2, 3, 4]);
    expect(progress.every((p) => p.totalPages === 20)).toBe(true);
    expect(progress[1]!.ids).toEqual(['run-2-0']);
    const seen = answered.length;
    // Six pages fit the window: the rest were waiting for the limiter and are let go, not sent later.
    expect(seen).toBeLessThanOrEqual(6);
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toHaveLength(seen);
    expect(timers()).toBeLessThanOrEqual(before);
    tfe.close();
  });

  it('one signal shared by many concurrent requests prints no MaxListenersExceededWarning', async () => {
    server.use(
      http.get(`${API}/workspaces/ws-1/runs`, async ({ request }) => {
        await new Promise((r) => setTimeout(r, 5));
        return jsonApi(runsPage(request, 40, 1));
      }),
      http.get(`${API}/runs/:id`, () => jsonApi(run)),
    );
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const tfe = testClient({ runListRateLimit: 1000 });
      const { signal } = new AbortController();
      const [runs] = await Promise.all([
        tfe.runs.list('ws-1', { concurrency: 10 }, { signal }).toArray({ limit: 1000 }),
        ...Array.from({ length: 20 }, () => tfe.runs.read('run-1', {}, { signal })),
      ]);
      expect(runs).toHaveLength(40);
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ready(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ready()) throw new Error('condition not reached in 5 s');
}
