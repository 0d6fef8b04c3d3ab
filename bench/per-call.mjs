// Bench 1 — per-call overhead: `tfe.runs.read` against the same loopback server as a bare axios GET, a raw
// node:http GET + JSON.parse, and the npm peer @skorfmann/terraform-cloud (which neither validates nor
// checks anything). The server runs in its own process and answers one fixed run document, so the client's
// own cost is what differs. Figures: paired per-round ratios of wall time per call (median of rounds),
// and client CPU per call.
import { rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { TfeClient } from 'tfe-client';
import { header, interleave, report, table, us, x } from './lib/common.mjs';
import { fakeWithRuns } from './lib/fake.mjs';
import { startServer } from './lib/server.mjs';

const require = createRequire(import.meta.url);
const { TerraformCloud } = require('@skorfmann/terraform-cloud');

const meta = header(import.meta.url, 'Bench 1 — per-call overhead (runs.read)');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);

// A run document as the fake TFE renders it (relationships, links, status timestamps): realistic bytes.
const { fake } = await fakeWithRuns(1);
const runId = [...fake.core.store.runs.keys()][0];
const doc = await (
  await fetch(`${fake.apiUrl}/runs/${runId}`, { headers: { authorization: `Bearer ${fake.token}` } })
).text();
await fake.close();
const bodyFile = path.join(os.tmpdir(), `tfe-bench-run-${process.pid}.json`);
await writeFile(bodyFile, doc);
const server = await startServer(bodyFile);
const base = `${server.origin}/api/v2`;
const url = `${base}/runs/${runId}`;
console.log(`document: ${doc.length} bytes; ${ROUNDS} rounds × ${BATCH} sequential calls per variant`);

const agent = new http.Agent({ keepAlive: true });
const rawGet = () =>
  new Promise((resolve, reject) => {
    http
      .get(
        url,
        { agent, headers: { authorization: 'Bearer t', accept: 'application/vnd.api+json' } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          res.on('error', reject);
        },
      )
      .on('error', reject);
  });

const bareAxios = axios.create({ httpAgent: agent });
// The SDK as users make it; the client-side limiter off so 30 req/s does not set the pace of a micro bench,
// and once more with the limiter on (a limit far above what the loop reaches) to price its bookkeeping.
const sdk = new TfeClient({
  address: server.origin,
  token: 'bench-token',
  rateLimit: Number.POSITIVE_INFINITY,
});
const sdkLimited = new TfeClient({ address: server.origin, token: 'bench-token', rateLimit: 1_000_000 });
const peer = new TerraformCloud('bench-token', '127.0.0.1');
peer.client.defaults.baseURL = base;

// Sanity: every variant gets the same run.
const checks = [
  (await rawGet()).data.id,
  (await bareAxios.get(url)).data.data.id,
  (await sdk.runs.read(runId)).id,
  (await peer.Runs.show(runId)).id,
];
if (new Set(checks).size !== 1) throw new Error(`variants disagree: ${checks.join(', ')}`);

const summary = await interleave(
  {
    'raw http + JSON.parse': () => rawGet(),
    'bare axios': () => bareAxios.get(url, { headers: { authorization: 'Bearer t' } }),
    'peer (@skorfmann/terraform-cloud)': () => peer.Runs.show(runId),
    'tfe-client runs.read': () => sdk.runs.read(runId),
    'tfe-client runs.read (limiter on)': () => sdkLimited.runs.read(runId),
  },
  { rounds: ROUNDS, batch: BATCH, baseline: 'bare axios' },
);

table(
  Object.entries(summary).map(([name, s]) => ({
    variant: name,
    'wall/call': us(s.wallUs),
    'client CPU/call': us(s.cpuUs),
    'wall vs axios': `${x(s.ratio)} (IQR ${s.ratioP25.toFixed(2)}–${s.ratioP75.toFixed(2)})`,
    'CPU vs axios': x(s.cpuRatio),
  })),
  ['variant', 'wall/call', 'client CPU/call', 'wall vs axios', 'CPU vs axios'],
);

const sdkS = summary['tfe-client runs.read'];
const peerS = summary['peer (@skorfmann/terraform-cloud)'];
const SDK = 'tfe-client runs.read';
const PEER = 'peer (@skorfmann/terraform-cloud)';
const sdkVsPeer = summary.paired(SDK, PEER);
const axiosVsPeer = summary.paired('bare axios', PEER);
console.log(
  `tfe-client vs peer: wall ${x(sdkVsPeer)}, CPU ${x(sdkS.cpuUs / peerS.cpuUs)}; bare axios vs peer: ${x(axiosVsPeer)}`,
);

sdk.close();
sdkLimited.close();
agent.destroy();
await server.stop();
await rm(bodyFile, { force: true });

report('per-call', meta, [
  {
    figure: 'runs.read wall / bare axios GET',
    value: x(sdkS.ratio),
    context: `${us(sdkS.wallUs)} vs ${us(summary['bare axios'].wallUs)}`,
    target: '≤ 1.20×',
    met: sdkS.ratio <= 1.2,
  },
  {
    figure: 'runs.read wall / raw http + JSON.parse',
    value: x(summary.paired(SDK, 'raw http + JSON.parse')),
    context: `client CPU ${us(sdkS.cpuUs)} vs ${us(summary['raw http + JSON.parse'].cpuUs)}`,
  },
  {
    figure: 'runs.read wall / peer show',
    value: x(sdkVsPeer),
    context: `${us(sdkS.wallUs)} vs ${us(peerS.wallUs)}; bare axios 1.x / peer ${x(axiosVsPeer)}`,
    target: '≤ 1.00×',
    met: sdkVsPeer <= 1,
  },
  {
    figure: 'runs.read limiter on / off',
    value: x(summary.paired('tfe-client runs.read (limiter on)', SDK)),
  },
]);
