// The soak's client side, in its own process: runs workflows against FAKE_URL until SOAK_MS has passed, writes
// everything the client emits to stdout (as a CI log would), then closes the client and must exit by itself.
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { TfeClient, TfeError } from 'tfe-client';

const soakMs = Number(process.env.SOAK_MS ?? 8000);
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 16);
const seed = Number(process.env.SOAK_SEED ?? 1);
const tarball = Buffer.from(process.env.SOAK_TARBALL ?? '', 'base64');

let unhandled = 0;
process.on('unhandledRejection', (reason) => {
  unhandled++;
  console.log(`UNHANDLED ${inspect(reason)}`);
});
process.on('uncaughtException', (err) => {
  unhandled++;
  console.log(`UNCAUGHT ${inspect(err)}`);
});

/** A small seeded generator, so a failing soak can be replayed with its seed. */
function mulberry32(a) {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(seed + 7);

const log = (level) => (message, fields) => console.log(`LOG ${level} ${message} ${JSON.stringify(fields)}`);
// The token comes from TFE_TOKEN, as in CI.
const tfe = new TfeClient({
  address: process.env.FAKE_URL,
  timeoutMs: 300,
  rateLimit: 10_000,
  backoff: { initialDelayMs: 1, maxDelayMs: 5, maxRateLimitWaitMs: 50 },
  logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
});

const counts = { started: 0, settled: 0, ok: 0, failed: 0, aborted: 0, untyped: 0, events: 0 };
const failures = {};
const results = [];

async function one(n) {
  counts.started++;
  const controller = new AbortController();
  // One in ten callers gives up part-way.
  const abortAfter = random() < 0.1 ? Math.floor(random() * 400) : undefined;
  const timer = abortAfter === undefined ? undefined : setTimeout(() => controller.abort(), abortAfter);
  const apply = random() < 0.2 ? 'auto' : 'never';
  try {
    const result = await tfe.workflows.run({
      workspace: { organization: 'acme', name: apply === 'auto' ? 'applied' : 'demo' },
      source: source(),
      message: `soak-${n}`,
      planOnly: apply === 'never',
      apply,
      signal: controller.signal,
      timeoutMs: 5000,
      pollIntervalMs: { initialMs: 20, maxMs: 60 },
      onEvent: (event) => {
        counts.events++;
        console.log(`EVENT ${JSON.stringify(event)}`);
      },
    });
    counts.ok++;
    results.push({ message: `soak-${n}`, runId: result.run.id, status: result.run.status });
  } catch (err) {
    counts.failed++;
    if (!(err instanceof TfeError)) counts.untyped++;
    if (err?.name === 'AbortError') counts.aborted++;
    failures[err?.name ?? 'unknown'] = (failures[err?.name ?? 'unknown'] ?? 0) + 1;
    console.log(
      `ERROR ${err?.message}\n${err?.stack}\n${JSON.stringify(err)}\n${inspect(err, { showHidden: true })}`,
    );
  } finally {
    clearTimeout(timer);
    counts.settled++;
  }
}

/** Each kind of source: bytes (retryable), a directory packed on the fly, a one-shot stream. */
function source() {
  const r = random();
  if (r < 0.4) return tarball;
  if (r < 0.8) return process.env.SOAK_DIR;
  return Readable.from([tarball]);
}

const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

const started = Date.now();
let heapBefore = 0;
let n = 0;
async function worker() {
  while (Date.now() - started < soakMs) {
    await one(n++);
    // Measured once the first workflows have warmed every code path and cache.
    if (heapBefore === 0 && Date.now() - started > 1000) heapBefore = heap();
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const heapAfter = heap();

console.log(
  `SOAK_DONE ${JSON.stringify({ ...counts, failures, unhandled, heapBefore, heapAfter, ms: Date.now() - started, results })}`,
);
tfe.close();
// Nothing else: if a timer or a socket were left behind, the process would not exit and the parent fails.
