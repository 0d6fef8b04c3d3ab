import { describe, expect, it } from 'vitest';
import { InputValidationError } from '../../src/index.js';
import { API, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

// The API docs show no sample for run events: this follows go-tfe's RunEvent and the comments sample.
const events = {
  data: [
    {
      id: 're-1',
      type: 'run-events',
      attributes: { action: 'queued', description: null, 'created-at': '2024-05-01T10:00:00.000Z' },
      relationships: {
        actor: { data: { id: 'user-1', type: 'users' } },
        comment: { data: null },
        target: { data: { id: 'run-1', type: 'runs' } },
      },
    },
    {
      id: 're-2',
      type: 'run-events',
      attributes: {
        action: 'commented',
        description: 'Looks good',
        'created-at': '2024-05-01T10:05:00.000Z',
      },
      relationships: {
        actor: { data: { id: 'user-1', type: 'users' } },
        comment: { data: { id: 'wsc-1', type: 'comments' } },
      },
    },
  ],
};

describe('runEvents.list', () => {
  it('GETs the run’s events and parses them', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/run-events`, async ({ request }) => {
        await record(request);
        return jsonApi(events);
      }),
    );
    const { items } = await testClient().runEvents.list('run-1');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url.search).toBe('');
    expect(items.map((e) => [e.id, e.action, e.description])).toEqual([
      ['re-1', 'queued', null],
      ['re-2', 'commented', 'Looks good'],
    ]);
    expect(items[0]!.createdAt).toEqual(new Date('2024-05-01T10:00:00.000Z'));
    expect(items[0]!.relationships.comment).toBeNull();
    expect(items[1]!.relationships.comment).toEqual({ id: 'wsc-1', type: 'comments' });
  });

  it('sends include and types the included actor and comment', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/run-events`, async ({ request }) => {
        await record(request);
        return jsonApi({
          ...events,
          included: [
            { id: 'user-1', type: 'users', attributes: { username: 'alice' } },
            { id: 'wsc-1', type: 'comments', attributes: { body: 'Looks good' } },
          ],
        });
      }),
    );
    const { items } = await testClient().runEvents.list('run-1', { include: ['actor', 'comment'] });
    expect(seen[0]!.url.search).toBe('?include=actor%2Ccomment');
    expect(items[1]!.actor).toMatchObject({ username: 'alice' });
    expect(items[1]!.comment).toMatchObject({ id: 'wsc-1', body: 'Looks good' });
  });

  it.each([
    [{ include: ['target'] }, 'include.0'],
    [{ includes: ['actor'] }, 'includes'],
  ])('rejects %j before sending', async (params, field) => {
    const attempt = testClient().runEvents.list('run-1', params as never);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({ field });
  });
});

describe('runEvents.read', () => {
  it('GETs one run event', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/run-events/re-2`, async ({ request }) => {
        await record(request);
        return jsonApi({ data: events.data[1] });
      }),
    );
    const e = await testClient().runEvents.read('re-2', { include: ['comment'] });
    expect(seen[0]!.url.search).toBe('?include=comment');
    expect(e).toMatchObject({ id: 're-2', action: 'commented' });
  });
});
