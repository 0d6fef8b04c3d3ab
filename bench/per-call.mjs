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
import { gunzipSync } from 'node:zlib';
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
const encodings = (process.env.BENCH_ENCODINGS ?? 'identity,gzip').split(',');
console.log(`document: ${doc.length} bytes; ${ROUNDS} rounds × ${BATCH} sequential calls per variant`);

const SDK = 'tfe-client runs.read';
const PEER = 'peer (@skorfmann/terraform-cloud)';
const RAW = 'raw http + JSON.parse';

/** The variants side by side against one server: uncompressed, or every answer gzip-encoded. */
async function measure(gzip) {
  const server = await startServer(bodyFile, { gzip });
  const base = `${server.origin}/api/v2`;
  const url = `${base}/runs/${runId}`;
  const agent = new http.Agent({ keepAlive: true });
  // The cheapest raw way: gather the bytes, inflate them in one call when they come gzip-encoded.
  const rawGet = () =>
    new Promise((resolve, reject) => {
      http
        .get(
          url,
          { agent, headers: { authorization: 'Bearer t', accept: 'application/vnd.api+json' } },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const bytes = Buffer.concat(chunks);
              const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(bytes) : bytes).toString(
                'utf8',
              );
              resolve(JSON.parse(text));
            });
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
      [RAW]: () => rawGet(),
      'bare axios': () => bareAxios.get(url, { headers: { authorization: 'Bearer t' } }),
      [PEER]: () => peer.Runs.show(runId),
      [SDK]: () => sdk.runs.read(runId),
      'tfe-client runs.read (limiter on)': () => sdkLimited.runs.read(runId),
    },
    { rounds: ROUNDS, batch: BATCH, baseline: 'bare axios' },
  );

  console.log(`\n### ${gzip ? 'gzip-encoded response' : 'uncompressed response'}`);
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
  const sdkVsPeer = summary.paired(SDK, PEER);
  const sdkVsRaw = summary.paired(SDK, RAW);
  const axiosVsPeer = summary.paired('bare axios', PEER);
  console.log(
    `tfe-client vs peer: wall ${x(sdkVsPeer)}, CPU ${x(summary[SDK].cpuUs / summary[PEER].cpuUs)}; ` +
      `vs raw: ${x(sdkVsRaw)}; bare axios vs peer: ${x(axiosVsPeer)}`,
  );

  sdk.close();
  sdkLimited.close();
  agent.destroy();
  await server.stop();
  return { summary, sdkVsPeer, sdkVsRaw, axiosVsPeer };
}

const rows = [];
for (const encoding of encodings) {
  const gzip = encoding === 'gzip';
  const { summary, sdkVsPeer, sdkVsRaw, axiosVsPeer } = await measure(gzip);
  const sdkS = summary[SDK];
  const peerS = summary[PEER];
  const label = gzip ? ' (gzip)' : '';
  if (!gzip)
    rows.push({
      figure: 'runs.read wall / bare axios GET',
      value: x(sdkS.ratio),
      context: `${us(sdkS.wallUs)} vs ${us(summary['bare axios'].wallUs)}`,
    });
  rows.push(
    {
      figure: `runs.read wall / peer show${label}`,
      value: x(sdkVsPeer),
      context: `${us(sdkS.wallUs)} vs ${us(peerS.wallUs)}; bare axios 1.x / peer ${x(axiosVsPeer)}`,
      target: gzip ? '≤ 1.00×' : '≤ 1.20×',
      met: sdkVsPeer <= (gzip ? 1 : 1.2),
    },
    {
      figure: `runs.read wall / raw http + JSON.parse${label}`,
      value: x(sdkVsRaw),
      context: `client CPU ${us(sdkS.cpuUs)} vs ${us(summary[RAW].cpuUs)}`,
      ...(gzip ? {} : { target: '≤ 2.00×', met: sdkVsRaw <= 2 }),
    },
  );
  if (!gzip)
    rows.push({
      figure: 'runs.read limiter on / off',
      value: x(summary.paired('tfe-client runs.read (limiter on)', SDK)),
    });
}

await rm(bodyFile, { force: true });

report('per-call', meta, rows);
