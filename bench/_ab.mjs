import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os'; import path from 'node:path';
import { interleave, table, us, x } from './lib/common.mjs';
import { fakeWithRuns } from './lib/fake.mjs';
import { startServer } from './lib/server.mjs';
const require = createRequire(import.meta.url);
const { TerraformCloud } = require('@skorfmann/terraform-cloud');
const A = await import('/work/perfbase/dist/index.js');
const B = await import('/work/main/dist/index.js');
const { fake } = await fakeWithRuns(1);
const runId = [...fake.core.store.runs.keys()][0];
const doc = await (await fetch(`${fake.apiUrl}/runs/${runId}`, { headers: { authorization: `Bearer ${fake.token}` } })).text();
await fake.close();
const f = path.join(os.tmpdir(), `ab-doc-${process.pid}.json`); await writeFile(f, doc);
const server = await startServer(f);
const base = `${server.origin}/api/v2`; const url = `${base}/runs/${runId}`;
const agent = new http.Agent({ keepAlive: true });
const rawGet = () => new Promise((resolve, reject) => {
  http.get(url, { agent, headers: { authorization: 'Bearer t', accept: 'application/vnd.api+json' } }, (res) => {
    const chunks = []; res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))); res.on('error', reject);
  }).on('error', reject);
});
const rl = Number(process.env.RL ?? Infinity);
const a = new A.TfeClient({ address: server.origin, token: 'bench-token-abcdef', rateLimit: rl });
const b = new B.TfeClient({ address: server.origin, token: 'bench-token-abcdef', rateLimit: rl });
const peer = new TerraformCloud('bench-token', '127.0.0.1'); peer.client.defaults.baseURL = base;
const s = await interleave({
  raw: () => rawGet(),
  peer: () => peer.Runs.show(runId),
  base: () => a.runs.read(runId),
  new: () => b.runs.read(runId),
}, { rounds: Number(process.env.ROUNDS ?? 15), batch: 200, baseline: 'peer' });
table(Object.entries(s).map(([n, v]) => ({ variant: n, wall: us(v.wallUs), cpu: us(v.cpuUs), 'vs peer': x(v.ratio) })), ['variant', 'wall', 'cpu', 'vs peer']);
console.log(`new/base ${x(s.paired('new', 'base'))}  new/peer ${x(s.paired('new', 'peer'))}  new/raw ${x(s.paired('new', 'raw'))}  base/raw ${x(s.paired('base', 'raw'))}`);
a.close(); b.close(); agent.destroy(); await server.stop();
