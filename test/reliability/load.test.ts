// Runs alone (`npm run test:load`, its own step of `npm test`): a second test file on the other core would bunch
// the request arrivals this test measures.
// Load: hundreds of waits on one client against a fake that enforces TFE's 30 requests per second.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RateLimitError, TfeClient } from 'tfe-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, configurationTarball, maxInWindow, tightestSpan } from './harness.js';

// 500 waits need at least 500 polls: about 23 s at 30 requests per 1.35 s, the client's window with its margin.
const RUNS = Number(process.env.RELIABILITY_LOAD_RUNS ?? 500);
const LIMIT = 30;

interface Arrival {
  method: string;
  path: string;
  status: number;
  time: number;
}

// The fake runs in its own process: arrivals are stamped by an event loop the client cannot stall, as at TFE.
let server: ChildProcess;
let fake: { url: string; token: string; workspaceId: string };
const reply = <T>() => new Promise<T>((resolve) => server.once('message', (m) => resolve(m as T)));

beforeAll(async () => {
  server = fork(fileURLToPath(new URL('./fake-process.mjs', import.meta.url)), {
    env: {
      ...process.env,
      // Each run spends about 2 s planning, so the first waits poll more than once and the queue stays mixed.
      FAKE_OPTIONS: JSON.stringify({
        stepMs: 400,
        stepMsByStatus: { planning: 1200 },
        rateLimitPerSecond: 0,
        scenario: { costEstimation: false, policyCheck: false, postPlanTasks: false },
      }),
    },
  });
  fake = await reply();
});
afterAll(async () => {
  if (server.connected) {
    server.send({ close: true });
    await new Promise((resolve) => server.once('exit', resolve));
  }
});

describe(`${RUNS} runs waited on at once by one client`, () => {
  it('every wait completes, no 429 reaches a caller, and no 1 s window holds more than the limit', async () => {
    const setup = new TfeClient({ token: fake.token, address: fake.url, env: {}, rateLimit: 10_000 });
    const cv = await setup.configurationVersions.createAndUpload(fake.workspaceId, configurationTarball(), {
      pollIntervalMs: 10,
    });
    // Created before the limit is on: what is measured is the waits alone.
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i += 50) {
      const batch = Array.from({ length: Math.min(50, RUNS - i) }, () =>
        setup.runs.create({ workspaceId: fake.workspaceId, configurationVersionId: cv.id, planOnly: true }),
      );
      runIds.push(...(await Promise.all(batch)).map((r) => r.id));
    }
    setup.close();
    server.send({ rateLimitPerSecond: LIMIT });
    const { from } = await reply<{ from: number }>();

    const { logger, lines } = captureLogs();
    const tfe = new TfeClient({ token: fake.token, address: fake.url, env: {}, logger });
    const started = Date.now();
    const results = await Promise.allSettled(runIds.map((id) => tfe.runs.waitFor(id)));
    const wallMs = Date.now() - started;
    tfe.close();

    server.send({ requestsFrom: from });
    const { requests, runs } = await reply<{ requests: Arrival[]; runs: { id: string; status: string }[] }>();
    const failures = results.filter((r) => r.status === 'rejected');
    const figures = {
      runs: RUNS,
      wallMs,
      requests: requests.length,
      maxPerSecond: maxInWindow(requests.map((r) => r.time)),
      // The client spaces any 31 sends over 1 s plus its margin: what is missing here is arrival bunching.
      tightest31Ms: tightestSpan(
        requests.map((r) => r.time),
        LIMIT + 1,
      ),
      tooManyRequestsSent: requests.filter((r) => r.status === 429).length,
      rateLimitErrorsToCallers: failures.filter((r) => r.reason instanceof RateLimitError).length,
      retryLogLines: lines.filter((l) => l.level === 'warn').length,
    };
    if (process.env.RELIABILITY_REPORT) console.info(`load figures ${JSON.stringify(figures)}`);

    expect(failures.map((f) => String(f.reason))).toEqual([]);
    const finalStatus = new Map(runs.map((r) => [r.id, r.status]));
    for (const r of results) {
      if (r.status !== 'fulfilled') continue;
      expect(r.value.run.status).toBe('planned_and_finished');
      expect(finalStatus.get(r.value.run.id)).toBe('planned_and_finished');
    }
    expect(figures.rateLimitErrorsToCallers).toBe(0);
    expect(figures.tooManyRequestsSent).toBe(0);
    expect(figures.retryLogLines).toBe(0);
    expect(figures.maxPerSecond).toBeLessThanOrEqual(LIMIT);
    expect(requests.every((r) => r.method === 'GET' && r.path.startsWith('/api/v2/runs/'))).toBe(true);
    expect(figures.requests).toBeGreaterThanOrEqual(RUNS);
  }, 90_000);
});
