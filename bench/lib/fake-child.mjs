// The fake TFE seeded with many runs, in its own process: its rendering of 100-run pages then runs on the
// other core, as a real TFE's would, instead of taking turns with the client being measured.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fakeWithRuns } from './fake.mjs';

/**
 * Starts the child; resolves with { url, token, otherUserToken, workspaceId, expectedIds, stats(), close() }:
 * `otherUserToken` is a second user's, with windows of its own (the fake counts per user, as the API does).
 * `stats()` resolves with { requests, tooManyRequests, runListRateLimited } so far. The run lists' limit is off
 * unless `runListRateLimit` (per `runListWindowMs`, default a minute) is given.
 */
export function startFakeChild({
  runs,
  latencyMs = 0,
  rateLimitPerSecond = 30,
  runListRateLimit = 0,
  runListWindowMs = 60_000,
}) {
  const child = fork(fileURLToPath(import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_FAKE: JSON.stringify({ runs, latencyMs, rateLimitPerSecond, runListRateLimit, runListWindowMs }),
    },
  });
  const pending = [];
  child.on('message', (msg) => {
    if (msg.type === 'stats') pending.shift()?.(msg.stats);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake TFE child exited with ${code}`)));
    child.once('message', (ready) => {
      child.removeAllListeners('exit');
      resolve({
        ...ready,
        stats: () =>
          new Promise((done) => {
            pending.push(done);
            child.send({ type: 'stats' });
          }),
        close: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.send({ type: 'close' });
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { runs, latencyMs, rateLimitPerSecond, runListRateLimit, runListWindowMs } = JSON.parse(
    process.env.BENCH_FAKE,
  );
  const { fake, workspace } = await fakeWithRuns(runs, { runListRateLimit: 0, runListWindowMs });
  fake.core.latencyMs = latencyMs;
  fake.core.rateLimitPerSecond = rateLimitPerSecond;
  // Set after seeding, which lists nothing but must not spend the window the measured client gets.
  fake.core.runListRateLimit = runListRateLimit;
  const expectedIds = [...fake.core.store.runs.values()].sort((a, b) => b.seq - a.seq).map((r) => r.id);
  process.on('message', async (msg) => {
    if (msg.type === 'stats') {
      process.send({ type: 'stats', stats: { requests: fake.core.requests.length, ...fake.core.stats } });
    } else if (msg.type === 'close') {
      await fake.close();
      process.exit(0);
    }
  });
  process.send({
    url: fake.url,
    token: fake.token,
    otherUserToken: fake.core.createToken('second-user'),
    workspaceId: workspace.id,
    expectedIds,
  });
}
