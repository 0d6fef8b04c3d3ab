// End to end, the BUILT package against a fake TFE in its own process (arrivals stamped on an event loop the
// client cannot stall) over loopback: the done-when at a scaled window. The fake and the client hold
// run lists to 30 per 3 s instead of 30 per minute (the same code path); bench/list-limit.mjs runs the real scale.
import { AbortError, type Run, TfeClient } from 'tfe-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface FakeChild {
  url: string;
  token: string;
  otherUserToken: string;
  workspaceId: string;
  expectedIds: string[];
  stats(): Promise<{ requests: number; tooManyRequests: number; runListRateLimited: number }>;
  close(): Promise<void>;
}

const WINDOW_MS = 3_000;
const RUNS = 4_000;
let fake: FakeChild;

beforeAll(async () => {
  // Typed by hand: bench/ is plain JavaScript, shared with the benchmark that measures the real scale.
  const { startFakeChild } = (await import('../../bench/lib/fake-child.mjs' as string)) as {
    startFakeChild(options: object): Promise<FakeChild>;
  };
  fake = await startFakeChild({
    runs: RUNS,
    rateLimitPerSecond: 30,
    runListRateLimit: 30,
    runListWindowMs: WINDOW_MS,
  });
}, 60_000);
afterAll(() => fake?.close());

/** A client at the scaled window; `attemptsMs` gets the time each `GET /runs/:id` spent on the wire. */
const client = (attemptsMs: number[] = [], token = fake.token) =>
  new TfeClient({
    token,
    address: fake.url,
    env: {},
    runListWindowMs: WINDOW_MS,
    logger: {
      debug: (_message, fields) => {
        if (String(fields?.path).startsWith('/api/v2/runs/')) attemptsMs.push(Number(fields?.durationMs));
      },
      info: () => {},
      warn: () => {},
      error: () => {},
    },
  });

describe(`listing ${RUNS} runs against a fake enforcing 30 run lists per window`, () => {
  it('concurrency 10 gets no 429, bursts then follows the window, and reads made meanwhile stay fast', async () => {
    const attemptsMs: number[] = [];
    const tfe = client(attemptsMs);
    const before = await fake.stats();
    const started = Date.now();
    const pageTimes: number[] = [];
    const listing = tfe.runs
      .list(fake.workspaceId, {
        pageSize: 100,
        concurrency: 10,
        onPage: ({ pageNumber, totalPages }) => {
          expect(totalPages).toBe(RUNS / 100);
          pageTimes[pageNumber - 1] = Date.now() - started;
        },
      })
      .toArray({ limit: RUNS });
    const readMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const t = Date.now();
      await tfe.runs.read(fake.expectedIds[i * 100]!);
      readMs.push(Date.now() - t);
    }
    const runs: Run[] = await listing;
    tfe.close();
    const after = await fake.stats();

    if (process.env.RELIABILITY_REPORT)
      console.info(
        `run-list figures ${JSON.stringify({ pageTimes, readMs, attemptsMs, wallMs: Date.now() - started, before, after })}`,
      );
    expect(runs.map((r) => r.id)).toEqual(fake.expectedIds);
    expect(after.tooManyRequests - before.tooManyRequests).toBe(0);
    // 40 pages: 30 fit the first window, the other 10 wait for it to slide.
    expect(pageTimes).toHaveLength(40);
    expect(pageTimes.slice(30).every((t) => t >= WINDOW_MS)).toBe(true);
    // Each read goes at once beside the listing: no read waits for the limiter (what a read took beyond its time
    // on the wire). Its time on the wire is the fake's, which renders ten 100-run pages ahead of it on one core:
    // tens of ms on a quiet machine (bench/list-limit.mjs), seconds on a starved one, so it is reported, not bound.
    const heldMs = readMs.map((ms, i) => ms - attemptsMs[i]!);
    expect(attemptsMs).toHaveLength(10);
    expect(Math.max(...heldMs)).toBeLessThan(250);
  }, 60_000);

  it('an abort mid-listing ends it at once, and nothing is sent or left running after', async () => {
    const resources = () => {
      const all = process.getActiveResourcesInfo();
      return {
        timers: all.filter((r) => r === 'Timeout').length,
        sockets: all.filter((r) => r === 'TCPSocketWrap').length,
      };
    };
    const baseline = resources();
    // Another user's token: the fake counts run lists per user, so this one starts with a full window.
    const tfe = client([], fake.otherUserToken);
    const controller = new AbortController();
    let pagesSeen = 0;
    let abortedAt = 0;
    const listing = (async () => {
      const runs = tfe.runs.list(
        fake.workspaceId,
        {
          pageSize: 100,
          concurrency: 10,
          onPage: ({ pageNumber }) => {
            pagesSeen = pageNumber;
            // By now the pages past the 30th are held by the window, waiting in the limiter.
            if (pageNumber === 25) {
              abortedAt = Date.now();
              controller.abort();
            }
          },
        },
        { signal: controller.signal },
      );
      for await (const _ of runs);
    })();
    await expect(listing).rejects.toBeInstanceOf(AbortError);
    // At once: not after the held pages' turn in the window.
    expect(Date.now() - abortedAt).toBeLessThan(WINDOW_MS);
    expect(pagesSeen).toBe(25);
    // Requests already on the wire are counted when answered; then the count must stay put.
    await new Promise((r) => setTimeout(r, 300));
    const settled = (await fake.stats()).requests;
    // Past the point where the window would have let the held pages go: none of them is sent.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 500));
    expect((await fake.stats()).requests).toBe(settled);
    tfe.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(resources().timers).toBeLessThanOrEqual(baseline.timers);
    expect(resources().sockets).toBeLessThanOrEqual(baseline.sockets);
  }, 60_000);
});
