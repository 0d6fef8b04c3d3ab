// Bench 3 — listing everything: 5,000 runs (100 per page, 50 pages) from the fake TFE answering after 50 ms
// with TFE's 30 requests/s limit. Sequential paging against the SDK's iteration at its default and with
// `concurrency`, which fetches the pages after the first in parallel under the client's shared limiter.
// The fake runs in its own process. Figures: wall time relative to sequential paging (same client, same server), 429s seen, order kept.
// The run lists' own limit (30 a minute) is off on both sides: at that pace 50 pages take two minutes whatever
// the paging, so this measures the paging machinery under the general limit; bench/list-limit.mjs the minute.
import { TfeClient } from 'tfe-client';
import { header, median, ms, report, table, x } from './lib/common.mjs';
import { startFakeChild } from './lib/fake-child.mjs';

const meta = header(import.meta.url, 'Bench 3 — listing 5,000 runs at 50 ms latency under 30 req/s');
const RUNS = Number(process.env.BENCH_LIST_RUNS ?? 5000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const LATENCY_MS = 50;
const LIMIT = 30;

const fake = await startFakeChild({ runs: RUNS, latencyMs: LATENCY_MS, rateLimitPerSecond: LIMIT });
const expected = fake.expectedIds;
const workspace = { id: fake.workspaceId };
console.log(
  `${RUNS} runs, page size 100, latency ${LATENCY_MS} ms, server limit ${LIMIT} req/s; ${REPEATS} repeats`,
);

// Each variant gets a fresh client (its own limiter window) and starts after the server's window is clear.
async function measure(name, iterate) {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const tfe = new TfeClient({
    address: fake.url,
    token: fake.token,
    runListRateLimit: Number.POSITIVE_INFINITY,
  });
  const before = await fake.stats();
  const started = performance.now();
  const ids = await iterate(tfe);
  const wall = performance.now() - started;
  tfe.close();
  const after = await fake.stats();
  const requests = after.requests - before.requests;
  const tooMany = after.tooManyRequests - before.tooManyRequests;
  const inOrder = ids.length === expected.length && ids.every((id, i) => id === expected[i]);
  if (!inOrder) throw new Error(`${name}: ${ids.length} runs, order ${inOrder ? 'kept' : 'lost'}`);
  return { name, wall, requests, tooMany };
}

const sequential = async (tfe) => {
  const ids = [];
  for (let n = 1; n !== null; ) {
    const page = await tfe.runs.list(workspace.id, { pageSize: 100, pageNumber: n });
    for (const run of page.items) ids.push(run.id);
    n = page.pagination?.nextPage ?? null;
  }
  return ids;
};
const iterate = (params) => async (tfe) => {
  const ids = [];
  for await (const run of tfe.runs.list(workspace.id, { pageSize: 100, ...params })) ids.push(run.id);
  return ids;
};

const variants = {
  'sequential (page by page)': sequential,
  'for await (default)': iterate({}),
  'for await, concurrency 4': iterate({ concurrency: 4 }),
  'for await, concurrency 8': iterate({ concurrency: 8 }),
  'for await, concurrency 30': iterate({ concurrency: 30 }),
};
const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < REPEATS; r++) {
  for (const [name, fn] of Object.entries(variants)) results[name].push(await measure(name, fn));
}
await fake.close();

const seqWall = median(results['sequential (page by page)'].map((r) => r.wall));
const rows = Object.entries(results).map(([name, rs]) => {
  const wall = median(rs.map((r) => r.wall));
  return {
    variant: name,
    wall: ms(wall),
    'vs sequential': x(wall / seqWall),
    requests: rs[0].requests,
    '429s': rs.reduce((n, r) => n + r.tooMany, 0),
    ratio: wall / seqWall,
  };
});
table(rows, ['variant', 'wall', 'vs sequential', 'requests', '429s']);

const byName = Object.fromEntries(rows.map((r) => [r.variant, r]));
const best = byName['for await, concurrency 8'];
const dflt = byName['for await (default)'];
const total429 = rows.reduce((n, r) => n + r['429s'], 0);
report('list-all', meta, [
  {
    figure: `for await default / sequential (${RUNS} runs)`,
    value: x(dflt.ratio),
    context: `${dflt.wall} vs ${ms(seqWall)}`,
    target: '≤ 0.30×',
    met: dflt.ratio <= 0.3,
  },
  {
    figure: 'for await concurrency 8 / sequential',
    value: x(best.ratio),
    context: `concurrency 30: ${byName['for await, concurrency 30']['vs sequential']}`,
    target: '≤ 0.30×',
    met: best.ratio <= 0.3,
  },
  { figure: '429s over all variants', value: String(total429), target: '0', met: total429 === 0 },
]);
