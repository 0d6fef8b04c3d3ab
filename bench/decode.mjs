// Bench 2 — decoding: a 100-run page with `included` plans, applies and users, from bytes to typed models.
// tfe-client's list path (JSON.parse, camelCase keys, zod validation of every resource, relationships and
// included resources linked) against JSON.parse of the same bytes, and against the naive way: deep
// camelcase-keys over the whole document, then one zod schema for the whole document.
import { createRequire } from 'node:module';
import {
  ApplyAttributesSchema,
  PlanAttributesSchema,
  RunAttributesSchema,
  TfeClient,
  UserAttributesSchema,
} from 'tfe-client';
import { z } from 'zod';
import { header, interleave, report, table, us, x } from './lib/common.mjs';
import { fakeWithRuns } from './lib/fake.mjs';

const require = createRequire(import.meta.url);
// camelcase-keys comes with the npm peer: the naive baseline uses what that client uses.
const camelcaseKeys = require(
  require.resolve('camelcase-keys', { paths: [require.resolve('@skorfmann/terraform-cloud')] }),
);

const meta = header(import.meta.url, 'Bench 2 — decoding a 100-run page with included plans, applies, users');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 20);

const { fake, workspace } = await fakeWithRuns(100);
const res = await fetch(
  `${fake.apiUrl}/workspaces/${workspace.id}/runs?page%5Bsize%5D=100&include=plan%2Capply%2Ccreated_by`,
  { headers: { authorization: `Bearer ${fake.token}` } },
);
const bytes = Buffer.from(await res.arrayBuffer());
await fake.close();
const parsedOnce = JSON.parse(bytes.toString('utf8'));
console.log(
  `document: ${bytes.length} bytes, ${parsedOnce.data.length} runs, ${parsedOnce.included.length} included; ` +
    `${ROUNDS} rounds × ${BATCH} decodes per variant`,
);

// The SDK's own list path with the network taken out: the transport hands back the parsed bytes.
const tfe = new TfeClient({
  address: 'http://127.0.0.1:9',
  token: 'bench',
  rateLimit: Number.POSITIVE_INFINITY,
});
tfe.api.transport.request = async () => ({
  status: 200,
  headers: {},
  url: '',
  data: JSON.parse(bytes.toString('utf8')),
});
const sdkDecode = async () => {
  const page = await tfe.runs.list(workspace.id, { pageSize: 100, include: ['plan', 'apply', 'created_by'] });
  if (page.items.length !== 100 || !page.items[99].plan) throw new Error('decode lost runs');
  return page;
};

// The naive way: camelCase every key of the document (a regex per key), then validate it all with zod.
const resource = (type, attributes) =>
  z.looseObject({
    id: z.string(),
    type: z.literal(type),
    attributes,
    relationships: z.unknown(),
    links: z.unknown(),
  });
const NaiveDocument = z.looseObject({
  data: z.array(resource('runs', RunAttributesSchema)),
  included: z.array(
    z.discriminatedUnion('type', [
      resource('plans', PlanAttributesSchema),
      resource('applies', ApplyAttributesSchema),
      resource('users', UserAttributesSchema),
    ]),
  ),
  meta: z.unknown(),
  links: z.unknown(),
});
const naiveDecode = () =>
  NaiveDocument.parse(camelcaseKeys(JSON.parse(bytes.toString('utf8')), { deep: true }));

await sdkDecode();
naiveDecode();

const summary = await interleave(
  {
    'JSON.parse': () => JSON.parse(bytes.toString('utf8')),
    'tfe-client decode + validate': sdkDecode,
    'naive camelcase-keys + zod': naiveDecode,
  },
  { rounds: ROUNDS, batch: BATCH, baseline: 'JSON.parse' },
);
table(
  Object.entries(summary).map(([name, s]) => ({
    variant: name,
    'time/page': us(s.wallUs),
    'vs JSON.parse': `${x(s.ratio)} (IQR ${s.ratioP25.toFixed(2)}–${s.ratioP75.toFixed(2)})`,
  })),
  ['variant', 'time/page', 'vs JSON.parse'],
);
const sdk = summary['tfe-client decode + validate'];
const naive = summary['naive camelcase-keys + zod'];
report('decode', meta, [
  {
    figure: 'decode + validate / JSON.parse (100 runs + included)',
    value: x(sdk.ratio),
    context: `${us(sdk.wallUs)} vs ${us(summary['JSON.parse'].wallUs)} per page of ${bytes.length} bytes`,
    target: '≤ 3.00×',
    met: sdk.ratio <= 3,
  },
  {
    figure: 'naive camelcase-keys + zod / JSON.parse',
    value: x(naive.ratio),
    context: `${us(naive.wallUs)}; tfe-client is ${x(sdk.wallUs / naive.wallUs)} of it`,
  },
]);
