// Bench 7 — the run-list limit at real scale (`npm run bench:list-limit`, about 70 s; not in `npm run bench`):
// 4,000 runs (100 per page, 40 requests) listed with `concurrency: 10` from a fake TFE in its own process that
// enforces the documented 30 run lists per minute and 30 requests per second, answering after 50 ms. Meanwhile
// 10 `runs.read` calls, one every 6 s. Figures: 429s, when each page came, how long each read took and how
// much of that it was held by the client's limiter (time beyond its attempt on the wire).
import { TfeClient } from 'tfe-client';
import { header, median, ms, report, sleep, table } from './lib/common.mjs';
import { startFakeChild } from './lib/fake-child.mjs';

const meta = header(import.meta.url, 'Bench 7 — listing 4,000 runs under 30 run lists per minute');
const RUNS = 4000;
const LATENCY_MS = 50;

const fake = await startFakeChild({
  runs: RUNS,
  latencyMs: LATENCY_MS,
  rateLimitPerSecond: 30,
  runListRateLimit: 30,
  runListWindowMs: 60_000,
});
console.log(
  `${RUNS} runs, page size 100, concurrency 10, latency ${LATENCY_MS} ms, server 30 run lists/min, 30 req/s`,
);

const attemptsMs = [];
const tfe = new TfeClient({
  address: fake.url,
  token: fake.token,
  logger: {
    debug: (_message, fields) => {
      if (String(fields?.path).startsWith('/api/v2/runs/')) attemptsMs.push(fields.durationMs);
    },
  },
});
const before = await fake.stats();
const started = performance.now();
const pageAt = [];
const listing = tfe.runs
  .list(fake.workspaceId, {
    pageSize: 100,
    concurrency: 10,
    onPage: ({ pageNumber }) => {
      pageAt[pageNumber - 1] = performance.now() - started;
    },
  })
  .toArray({ limit: RUNS });
const reads = [];
for (let i = 0; i < 10; i++) {
  await sleep(6000);
  const t = performance.now();
  await tfe.runs.read(fake.expectedIds[i * 100]);
  reads.push({ at: t - started, ms: performance.now() - t });
}
const runs = await listing;
const wall = performance.now() - started;
tfe.close();
const after = await fake.stats();
await fake.close();

const inOrder = runs.length === RUNS && runs.every((r, i) => r.id === fake.expectedIds[i]);
if (!inOrder) throw new Error(`${runs.length} runs, order lost`);
const tooMany = after.tooManyRequests - before.tooManyRequests;
const held = reads.map((r, i) => r.ms - attemptsMs[i]);
table(
  reads.map((r, i) => ({ read: i + 1, 'sent at': ms(r.at), took: ms(r.ms), 'held by limiter': ms(held[i]) })),
  ['read', 'sent at', 'took', 'held by limiter'],
);
const firstWindow = pageAt.filter((t) => t < 60_000).length;
console.log(
  `wall ${ms(wall)}; pages 1–${firstWindow} by ${ms(pageAt[firstWindow - 1])}, page ${firstWindow + 1} at ${ms(pageAt[firstWindow])}, last at ${ms(pageAt.at(-1))}; 429s ${tooMany}`,
);
const worstRead = Math.max(...reads.map((r) => r.ms));
report('list-limit', meta, [
  {
    figure: `429s listing ${RUNS} runs, concurrency 10`,
    value: String(tooMany),
    target: '0',
    met: tooMany === 0,
  },
  {
    figure: 'reads during the listing: median / worst',
    value: `${ms(median(reads.map((r) => r.ms)))} / ${ms(worstRead)}`,
    context: `held by the limiter at most ${ms(Math.max(...held))}`,
    target: '< 1 s each',
    met: worstRead < 1000,
  },
  {
    figure: 'wall (the minute sets it)',
    value: ms(wall),
    context: `${firstWindow} pages in the first minute`,
  },
]);
