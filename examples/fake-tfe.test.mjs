// Testing your own pipeline code with tfe-client/testing in your vitest suite: a fake TFE on loopback (real
// sockets, the SDK unchanged), scenarios and faults per test, and the msw flavour for suites that already use msw.
//   npx vitest run examples/fake-tfe.test.mjs
// @ts-check
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { TfeClient } from 'tfe-client';
import { FakeTfeCore, startFakeTfe } from 'tfe-client/testing';
import { createFakeTfeHandlers } from 'tfe-client/testing/msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const configuration = fileURLToPath(new URL('./configuration', import.meta.url));

/**
 * The code under test, as it might sit in your repo: plan, apply when there are changes, report.
 * @param {TfeClient} tfe
 * @param {string} organization
 */
async function deploy(tfe, organization) {
  const { outcome, summary } = await tfe.workflows.run({
    workspace: { organization, name: 'demo' },
    source: configuration,
    apply: 'confirm',
    pollIntervalMs: 10,
  });
  return { outcome, added: summary.apply?.additions ?? 0 };
}

describe('deploy, against the fake TFE on loopback', () => {
  /** @type {import('tfe-client/testing').FakeTfe} */
  let fake;
  /** @type {TfeClient} */
  let tfe;
  // A fresh fake per test: its workspaces keep state (an applied plan leaves nothing to change next time).
  beforeEach(async () => {
    fake = await startFakeTfe({ stepMs: 5 });
    tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  });
  afterEach(async () => {
    tfe.close();
    await fake.close();
  });

  it('applies the planned changes', async () => {
    expect(await deploy(tfe, fake.organization)).toEqual({ outcome: 'applied', added: 2 });
  });

  it('reports a plan that errors', async () => {
    fake.core.nextRun({ errorDuring: 'plan' });
    expect((await deploy(tfe, fake.organization)).outcome).toBe('errored');
  });

  it('rides out a rate limit on run creation', async () => {
    fake.core.injectFault({ path: '/runs', method: 'POST', kind: 'retry-after', retryAfter: 0 });
    expect((await deploy(tfe, fake.organization)).outcome).toBe('applied');
    expect(fake.core.stats.tooManyRequests).toBe(1);
  });

  it('sends the run message and the uploaded files', async () => {
    await deploy(tfe, fake.organization);
    const ws = fake.core.workspace('demo');
    const run = fake.core.run(ws.latestRunId ?? '');
    expect([...(fake.core.uploadedFiles(run?.configurationVersionId ?? '')?.keys() ?? [])]).toContain(
      'main.tf',
    );
  });
});

describe('deploy, with msw handlers over the same fake', () => {
  const core = new FakeTfeCore({ stepMs: 5, token: 'test-token' });
  const server = setupServer(...createFakeTfeHandlers(core, { baseUrl: 'https://tfe.example.com' }));
  const tfe = new TfeClient({ token: 'test-token', address: 'https://tfe.example.com', env: {} });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => {
    server.close();
    core.close();
    tfe.close();
  });

  it('applies the planned changes', async () => {
    expect(await deploy(tfe, core.organization)).toEqual({ outcome: 'applied', added: 2 });
  });
});
