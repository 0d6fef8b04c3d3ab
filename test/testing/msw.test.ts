import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeTfeCore } from '../../src/testing/index.js';
import { createFakeTfeHandlers } from '../../src/testing/msw.js';
import { type Doc, MAIN_TF, tarball, waitFor } from './helpers.js';

const BASE = 'https://tfe.example.com';
const core = new FakeTfeCore({ stepMs: 5, token: 'msw-token' });
const server = setupServer(...createFakeTfeHandlers(core, { baseUrl: BASE }));
const auth = { authorization: 'Bearer msw-token', 'content-type': 'application/vnd.api+json' };

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => core.clearFaults());
afterAll(() => {
  server.close();
  core.close();
});

describe('msw handlers over the same core', () => {
  it('serves the API at the base URL', async () => {
    const res = await fetch(`${BASE}/api/v2/organizations/acme/workspaces/demo`, { headers: auth });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Doc).data.attributes.name).toBe('demo');
  });

  it('answers 401 without a token', async () => {
    expect((await fetch(`${BASE}/api/v2/workspaces/${core.workspace('demo').id}`)).status).toBe(401);
  });

  it('serves the archivist at its own origin and records a token sent there', async () => {
    const created = await fetch(
      `${BASE}/api/v2/workspaces/${core.workspace('demo').id}/configuration-versions`,
      {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ data: { type: 'configuration-versions' } }),
      },
    );
    const url: string = ((await created.json()) as Doc).data.attributes['upload-url'];
    expect(url.startsWith(core.archivistUrl)).toBe(true);
    await fetch(url, { method: 'PUT', headers: auth, body: 'x' });
    const put = core.requests.find((r) => r.surface === 'archivist' && r.method === 'PUT');
    expect(put?.headers.authorization).toBe(auth.authorization);
  });

  it('runs the whole workflow: upload, auto-queued run, apply', async () => {
    const ws = core.workspace('demo');
    const created = await fetch(`${BASE}/api/v2/workspaces/${ws.id}/configuration-versions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ data: { type: 'configuration-versions' } }),
    });
    const url: string = ((await created.json()) as Doc).data.attributes['upload-url'];
    expect((await fetch(url, { method: 'PUT', body: await tarball({ 'main.tf': MAIN_TF }) })).status).toBe(
      200,
    );
    await waitFor(() => ws.latestRunId !== null && core.run(ws.latestRunId)?.status === 'policy_checked');
    const runId = ws.latestRunId ?? '';
    const apply = await fetch(`${BASE}/api/v2/runs/${runId}/actions/apply`, {
      method: 'POST',
      headers: auth,
    });
    expect(apply.status).toBe(202);
    await core.waitForRunStatus(runId, 'applied', 3000);
  });

  it('acts out a connection reset as a network error', async () => {
    core.injectFault({ path: /\/workspaces\//, kind: 'reset' });
    const res = fetch(`${BASE}/api/v2/workspaces/${core.workspace('demo').id}`, { headers: auth });
    await expect(res.then((r) => r.text())).rejects.toThrow();
  });

  it('acts out a dropped connection as a network error before any answer', async () => {
    core.injectFault({ path: /\/workspaces\//, kind: 'drop' });
    const res = fetch(`${BASE}/api/v2/workspaces/${core.workspace('demo').id}`, { headers: auth });
    await expect(res).rejects.toThrow();
  });

  it('answers an injected status', async () => {
    core.injectFault({ path: /\/workspaces\//, kind: 'status', status: 503 });
    const res = await fetch(`${BASE}/api/v2/workspaces/${core.workspace('demo').id}`, { headers: auth });
    expect(res.status).toBe(503);
  });
});
