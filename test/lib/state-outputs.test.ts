import { delay } from 'msw';
import { describe, expect, it } from 'vitest';
import { AbortError, InputValidationError, StateVersionProcessingTimeoutError } from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

const stateVersion = (id: string, processed: boolean | undefined) => ({
  data: {
    id,
    type: 'state-versions',
    attributes: {
      status: 'finalized',
      serial: 1,
      ...(processed !== undefined && { 'resources-processed': processed }),
    },
  },
});

const outputs = {
  data: [
    {
      id: 'wsout-plain',
      type: 'state-version-outputs',
      attributes: { name: 'url', sensitive: false, type: 'string', value: 'https://x' },
    },
    {
      id: 'wsout-secret',
      type: 'state-version-outputs',
      attributes: { name: 'password', sensitive: true, type: 'string', value: null },
    },
  ],
};

/** The current state version answers `processed` in turn (the last one repeats), then its outputs. */
function currentState(processed: Array<boolean | undefined>, id = 'sv-1') {
  const { seen, record } = recorder();
  let poll = 0;
  server.use(
    http.get(`${API}/workspaces/ws-1/current-state-version`, async ({ request }) => {
      await record(request);
      return jsonApi(stateVersion(id, processed[Math.min(poll++, processed.length - 1)]));
    }),
    http.get(`${API}/state-versions/${id}/outputs`, async ({ request }) => {
      await record(request);
      return jsonApi(outputs);
    }),
  );
  return seen;
}

describe('stateVersions.readCurrentOutputs', () => {
  it('reads the current state version, then its outputs, masking sensitive ones', async () => {
    const seen = currentState([true]);
    const result = await testClient().stateVersions.readCurrentOutputs('ws-1');
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/api/v2/workspaces/ws-1/current-state-version',
      '/api/v2/state-versions/sv-1/outputs',
    ]);
    expect(result.map((o) => [o.name, o.value, o.sensitive])).toEqual([
      ['url', 'https://x', false],
      ['password', undefined, true],
    ]);
  });

  it('waits while resources-processed is false, then reads the processed version’s outputs', async () => {
    const seen = currentState([false, false, true]);
    const result = await testClient().stateVersions.readCurrentOutputs('ws-1', {
      waitForProcessing: { timeoutMs: 5000, pollIntervalMs: 1 },
    });
    expect(seen.map((s) => s.url.pathname.split('/').pop())).toEqual([
      'current-state-version',
      'current-state-version',
      'current-state-version',
      'outputs',
    ]);
    expect(result).toHaveLength(2);
  });

  it('treats a state version without resources-processed as processed', async () => {
    const seen = currentState([undefined]);
    await testClient().stateVersions.readCurrentOutputs('ws-1');
    expect(seen).toHaveLength(2);
  });

  it('throws a timeout carrying the last state version when processing outlasts the bound', async () => {
    currentState([false]);
    const err = await testClient()
      .stateVersions.readCurrentOutputs('ws-1', { waitForProcessing: { timeoutMs: 30, pollIntervalMs: 5 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateVersionProcessingTimeoutError);
    expect(err).toMatchObject({ timeoutMs: 30, stateVersion: { id: 'sv-1', resourcesProcessed: false } });
    expect((err as Error).message).toContain('sv-1 was still being processed after 30 ms');
  });

  it('a deadline before any poll answered names the workspace whose state it waited for', async () => {
    server.use(http.get(`${API}/workspaces/ws-1/current-state-version`, () => delay('infinite')));
    const err = await testClient()
      .stateVersions.readCurrentOutputs('ws-1', { waitForProcessing: { timeoutMs: 30 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateVersionProcessingTimeoutError);
    expect((err as StateVersionProcessingTimeoutError).stateVersion).toBeUndefined();
    expect((err as Error).message).toBe(
      'The current state version of workspace ws-1 was not read within 30 ms: its outputs are not known yet.',
    );
  });

  it('a deadline past setTimeout’s range (30 days) does not end the wait at once', async () => {
    currentState([false, false, false, true]);
    const result = await testClient().stateVersions.readCurrentOutputs('ws-1', {
      waitForProcessing: { timeoutMs: 30 * 86_400_000, pollIntervalMs: 5 },
    });
    expect(result).toHaveLength(2);
  });

  it('ends with AbortError when the caller aborts the wait', async () => {
    currentState([false]);
    const controller = new AbortController();
    const attempt = testClient().stateVersions.readCurrentOutputs(
      'ws-1',
      { waitForProcessing: { timeoutMs: 10_000, pollIntervalMs: 1000 } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(attempt).rejects.toBeInstanceOf(AbortError);
  });

  it('does not wait with waitForProcessing: false', async () => {
    const seen = currentState([false]);
    const result = await testClient().stateVersions.readCurrentOutputs('ws-1', { waitForProcessing: false });
    expect(seen).toHaveLength(2);
    expect(result).toHaveLength(2);
  });

  it('reveals a sensitive value the list left null, from the output’s own endpoint, when asked', async () => {
    const seen = currentState([true]);
    server.use(
      http.get(`${API}/state-version-outputs/wsout-secret`, async ({ request }) => {
        seen.push({ method: 'GET', url: new URL(request.url), headers: request.headers, body: '' });
        return jsonApi({
          data: {
            id: 'wsout-secret',
            type: 'state-version-outputs',
            attributes: { name: 'password', sensitive: true, type: 'string', value: 'hunter2-pw' },
          },
        });
      }),
    );
    const result = await testClient().stateVersions.readCurrentOutputs('ws-1', { includeSensitive: true });
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/api/v2/workspaces/ws-1/current-state-version',
      '/api/v2/state-versions/sv-1/outputs',
      '/api/v2/state-version-outputs/wsout-secret',
    ]);
    expect(result.map((o) => o.value)).toEqual(['https://x', 'hunter2-pw']);
  });

  it('decodes the documented current outputs sample', async () => {
    server.use(
      http.get(`${API}/workspaces/ws-1/current-state-version`, () => jsonApi(stateVersion('sv-doc', true))),
      http.get(`${API}/state-versions/sv-doc/outputs`, () =>
        jsonApi(fixture('state-version-outputs/show-current-state-version-outputs-for-a-workspace.json')),
      ),
    );
    const result = await testClient().stateVersions.readCurrentOutputs('ws-1');
    expect(result.map((o) => [o.name, o.value, o.detailedType])).toEqual([
      ['flavor', 'Peanut Butter', 'string'],
      ['recipe', undefined, 'string'],
    ]);
  });

  it.each([
    [{ waitForProcessing: true }, 'waitForProcessing'],
    [{ waitForProcessing: { timeoutMs: -1 } }, 'waitForProcessing.timeoutMs'],
    [{ includeSecrets: true }, 'includeSecrets'],
  ])('rejects %j before sending', async (params, field) => {
    const attempt = testClient().stateVersions.readCurrentOutputs('ws-1', params as never);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({ field });
  });
});
