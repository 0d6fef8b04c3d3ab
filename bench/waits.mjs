// Bench 4 — many waits: 200 runs (one per workspace, so they progress side by side) waited on at once with
// `tfe.runs.waitFor` under TFE's 30 req/s limit. Figures: requests per run, 429s, and the time from a status
// change on the server (`core.onRunStatus`) to the caller's `onChange` for it (median, p95), plus the time
// from a run's final state to its wait resolving — at the default polling and at a faster fixed interval.
import { TfeClient } from 'tfe-client';
import { startFakeTfe } from 'tfe-client/testing';
import { header, median, ms, percentile, report, table } from './lib/common.mjs';
import { uploadedConfigurationVersion } from './lib/fake.mjs';

const meta = header(import.meta.url, 'Bench 4 — 200 runs waited on at once under 30 req/s');
const RUNS = Number(process.env.BENCH_WAIT_RUNS ?? 200);
const STEP_MS = Number(process.env.BENCH_WAIT_STEP_MS ?? 1000);
const LIMIT = 30;

async function scenario(name, waitOptions) {
  const fake = await startFakeTfe({ stepMs: STEP_MS, rateLimitPerSecond: 0, workspaces: [] });
  const setup = new TfeClient({ address: fake.url, token: fake.token, rateLimit: Number.POSITIVE_INFINITY });
  const workspaces = [];
  for (let i = 0; i < RUNS; i++) {
    const ws = fake.core.createWorkspace(`bench-${i}`);
    uploadedConfigurationVersion(fake, ws);
    workspaces.push(ws);
  }
  // When each run entered each state, on the server's clock (same machine, same Date.now()).
  const entered = new Map();
  fake.core.onRunStatus((run) => {
    const states = entered.get(run.id) ?? new Map();
    entered.set(run.id, states);
    if (!states.has(run.status)) states.set(run.status, Date.now());
  });
  const runs = await Promise.all(
    workspaces.map((ws) => setup.runs.create({ workspaceId: ws.id, autoApply: true, message: name })),
  );
  setup.close();
  fake.core.rateLimitPerSecond = LIMIT;

  const tfe = new TfeClient({ address: fake.url, token: fake.token });
  const firstRequest = fake.core.requests.length;
  const lags = [];
  const doneLags = [];
  const started = performance.now();
  const results = await Promise.all(
    runs.map(async (run) => {
      const result = await tfe.runs.waitFor(run.id, {
        ...waitOptions,
        onChange: (r) => {
          const at = entered.get(r.id)?.get(r.status);
          if (at !== undefined) lags.push(Date.now() - at);
        },
      });
      const final = entered.get(run.id)?.get(result.run.status);
      if (final !== undefined) doneLags.push(Date.now() - final);
      return result;
    }),
  );
  const wall = performance.now() - started;
  tfe.close();
  const requests = fake.core.requests.slice(firstRequest);
  const tooMany = requests.filter((r) => r.status === 429).length;
  const states = [...entered.values()].reduce((n, s) => n + s.size, 0);
  await fake.close();
  const outcomes = new Set(results.map((r) => r.outcome));
  return {
    scenario: name,
    wall: ms(wall),
    'requests/run': (requests.length / RUNS).toFixed(1),
    '429s': tooMany,
    'change→onChange p50': ms(median(lags)),
    'change→onChange p95': ms(percentile(lags, 95)),
    'final→resolved p50': ms(median(doneLags)),
    'final→resolved p95': ms(percentile(doneLags, 95)),
    'states seen': `${lags.length}/${states}`,
    outcomes: [...outcomes].join(','),
    raw: { lagP50: median(lags), lagP95: percentile(lags, 95), tooMany, perRun: requests.length / RUNS },
  };
}

console.log(`${RUNS} runs, ${STEP_MS} ms per state, client and server at ${LIMIT} req/s`);
const rows = [
  await scenario('default polling (1 s growing to 3 s)', {}),
  await scenario('pollIntervalMs: 250', { pollIntervalMs: 250 }),
];
table(rows, [
  'scenario',
  'wall',
  'requests/run',
  '429s',
  'change→onChange p50',
  'change→onChange p95',
  'final→resolved p50',
  'final→resolved p95',
  'states seen',
  'outcomes',
]);
report(
  'waits',
  meta,
  rows.flatMap((r) => [
    {
      figure: `${r.scenario}: change→onChange p50 / p95`,
      value: `${r['change→onChange p50']} / ${r['change→onChange p95']}`,
      context: `${r['requests/run']} requests per run, final→resolved p50 ${r['final→resolved p50']}`,
    },
    { figure: `${r.scenario}: 429s`, value: String(r['429s']), target: '0', met: r['429s'] === 0 },
  ]),
);
