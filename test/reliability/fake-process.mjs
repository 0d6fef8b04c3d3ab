// A fake TFE in its own process, driven over IPC: the load test measures arrivals on an event loop that the
// client (and whatever else runs in the test process) cannot stall.
import { startFakeTfe } from 'tfe-client/testing';

const fake = await startFakeTfe(JSON.parse(process.env.FAKE_OPTIONS ?? '{}'));
process.send({ url: fake.url, token: fake.token, workspaceId: fake.core.workspace('demo').id });

process.on('message', async (message) => {
  if (message.rateLimitPerSecond !== undefined) {
    fake.core.rateLimitPerSecond = message.rateLimitPerSecond;
    process.send({ from: fake.core.requests.length });
  } else if (message.requestsFrom !== undefined) {
    const requests = fake.core.requests
      .slice(message.requestsFrom)
      .map(({ method, path, status, time }) => ({ method, path, status, time }));
    const runs = [...fake.core.store.runs.values()].map(({ id, status }) => ({ id, status }));
    process.send({ requests, runs });
  } else if (message.close) {
    await fake.close();
    process.disconnect();
  }
});
// The test process went away: nothing to serve.
process.on('disconnect', () => fake.close());
