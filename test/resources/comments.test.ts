import { describe, expect, it } from 'vitest';
import { InputValidationError } from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

describe('comments.list', () => {
  it('GETs the run’s comments and parses the documented list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-KTuq99JSzgmDSvYj/comments`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('comments/list-comments-for-a-run.json'));
      }),
    );
    const { items } = await testClient().comments.list('run-KTuq99JSzgmDSvYj');
    expect(seen[0]!.method).toBe('GET');
    expect(items.map((c) => [c.id, c.body])).toEqual([
      ['wsc-JdFX3u8o114F4CWf', 'A comment body'],
      ['wsc-QdhSPFTNoCTpfafp', 'Another comment body'],
    ]);
    expect(items[0]!.relationships.runEvent).toEqual({ id: 're-fo1YXZ8W5bp5GBKM', type: 'run-events' });
  });
});

describe('comments.read', () => {
  it('GETs one comment', async () => {
    server.use(
      http.get(`${API}/comments/wsc-gTFq83JSzjmAvYj`, () => jsonApi(fixture('comments/show-a-comment.json'))),
    );
    const c = await testClient().comments.read('wsc-gTFq83JSzjmAvYj');
    expect(c).toMatchObject({ id: 'wsc-gTFq83JSzjmAvYj', type: 'comments', body: 'Another comment' });
  });
});

describe('comments.create', () => {
  it('POSTs the documented payload and parses the created comment', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs/run-KTuq99JSzgmDSvYj/comments`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('comments/create-comment.json'), 201);
      }),
    );
    const c = await testClient().comments.create('run-KTuq99JSzgmDSvYj', 'A comment about the run');
    expect(seen[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(JSON.parse(seen[0]!.body)).toEqual(fixture('comments/requests/create-comment.json'));
    expect(c).toMatchObject({ id: 'wsc-oRiShushpgLU4JD2', body: 'A comment about the run' });
    expect(c.relationships.runEvent).toEqual({ id: 're-E3xsBX11F1fbm2zV', type: 'run-events' });
  });

  it.each([[''], ['   '], [42]])('rejects the body %j before sending', async (body) => {
    const attempt = testClient().comments.create('run-1', body as never);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({ field: 'body' });
  });
});
