import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InputValidationError, UnprocessableEntityError } from '../../src/index.js';
import { API, HttpResponse, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

interface Existing {
  id: string;
  key: string;
  value: string | null;
  category: 'terraform' | 'env';
  hcl?: boolean;
  sensitive?: boolean;
  description?: string | null;
}

const resource = (v: Existing) => ({
  id: v.id,
  type: 'vars',
  attributes: {
    key: v.key,
    value: v.sensitive ? null : v.value,
    category: v.category,
    hcl: v.hcl ?? false,
    sensitive: v.sensitive ?? false,
    description: v.description ?? null,
  },
});

/** Serves the workspace's variables and answers writes, recording every request in order. */
function workspace(existing: Existing[]) {
  const { seen, record } = recorder();
  let created = 0;
  server.use(
    http.get(`${API}/workspaces/ws-1/vars`, async ({ request }) => {
      await record(request);
      return jsonApi({ data: existing.map(resource) });
    }),
    http.post(`${API}/workspaces/ws-1/vars`, async ({ request }) => {
      await record(request);
      const { attributes } = ((await request.json()) as { data: { attributes: Existing } }).data;
      return jsonApi({ data: resource({ ...attributes, id: `var-new${++created}` }) }, 201);
    }),
    http.patch(`${API}/workspaces/ws-1/vars/:id`, async ({ request, params }) => {
      await record(request);
      const v = existing.find((e) => e.id === params.id)!;
      return jsonApi({ data: resource(v) });
    }),
  );
  return seen;
}

const requests = (seen: ReturnType<typeof workspace>) =>
  seen.map((s) => ({
    method: s.method,
    path: s.url.pathname,
    body: s.body ? JSON.parse(s.body) : undefined,
  }));

describe('variables.upsert', () => {
  it('creates what is missing, updates what differs and leaves the rest, sending exactly that', async () => {
    const seen = workspace([
      { id: 'var-same', key: 'region', value: 'eu-west-1', category: 'terraform' },
      { id: 'var-old', key: 'replicas', value: '2', category: 'terraform' },
      { id: 'var-other', key: 'untouched', value: 'x', category: 'terraform' },
    ]);
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'region', value: 'eu-west-1', category: 'terraform' },
      { key: 'replicas', value: '3', category: 'terraform' },
      { key: 'AWS_REGION', value: 'eu-west-1', category: 'env' },
    ]);
    expect(requests(seen)).toEqual([
      { method: 'GET', path: '/api/v2/workspaces/ws-1/vars', body: undefined },
      {
        method: 'PATCH',
        path: '/api/v2/workspaces/ws-1/vars/var-old',
        body: { data: { type: 'vars', id: 'var-old', attributes: { value: '3' } } },
      },
      {
        method: 'POST',
        path: '/api/v2/workspaces/ws-1/vars',
        body: {
          data: { type: 'vars', attributes: { key: 'AWS_REGION', value: 'eu-west-1', category: 'env' } },
        },
      },
    ]);
    expect(result).toEqual({
      created: [{ id: 'var-new1', key: 'AWS_REGION', category: 'env' }],
      updated: [{ id: 'var-old', key: 'replicas', category: 'terraform' }],
      unchanged: [{ id: 'var-same', key: 'region', category: 'terraform' }],
    });
  });

  it('matches by key and category: the same key in the other category is a new variable', async () => {
    const seen = workspace([{ id: 'var-tf', key: 'TOKEN', value: 'a', category: 'terraform' }]);
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'TOKEN', value: 'a', category: 'env' },
    ]);
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST']);
    expect(result.created).toEqual([{ id: 'var-new1', key: 'TOKEN', category: 'env' }]);
    expect(result.unchanged).toEqual([]);
  });

  it('always updates a sensitive variable, whose value cannot be read to compare', async () => {
    const seen = workspace([
      { id: 'var-s', key: 'DB_PASSWORD', value: 'same', category: 'env', sensitive: true },
    ]);
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'DB_PASSWORD', value: 'same', category: 'env', sensitive: true },
    ]);
    expect(requests(seen)[1]).toEqual({
      method: 'PATCH',
      path: '/api/v2/workspaces/ws-1/vars/var-s',
      body: { data: { type: 'vars', id: 'var-s', attributes: { value: 'same', sensitive: true } } },
    });
    expect(result.updated).toEqual([{ id: 'var-s', key: 'DB_PASSWORD', category: 'env' }]);
  });

  it('keeps what the workspace has for hcl, sensitive and description when they are left out', async () => {
    const seen = workspace([
      { id: 'var-h', key: 'tags', value: '{a = 1}', category: 'terraform', hcl: true, description: 'tags' },
    ]);
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'tags', value: '{a = 1}', category: 'terraform' },
    ]);
    expect(seen.map((s) => s.method)).toEqual(['GET']);
    expect(result.unchanged).toEqual([{ id: 'var-h', key: 'tags', category: 'terraform' }]);
  });

  it.each([
    ['hcl', { hcl: true }],
    ['sensitive', { sensitive: true }],
    ['description', { description: 'now documented' }],
  ])('updates a variable whose %s differs', async (_name, change) => {
    const seen = workspace([{ id: 'var-1', key: 'a', value: 'v', category: 'terraform' }]);
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'a', value: 'v', category: 'terraform', ...change },
    ]);
    expect(requests(seen)[1]?.body).toEqual({
      data: { type: 'vars', id: 'var-1', attributes: { value: 'v', ...change } },
    });
    expect(result.updated).toHaveLength(1);
  });

  it('lists every page of variables before deciding', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/workspaces/ws-1/vars`, async ({ request }) => {
        await record(request);
        const page = Number(new URL(request.url).searchParams.get('page[number]') ?? 1);
        const v = page === 1 ? { id: 'var-1', key: 'a', value: '1' } : { id: 'var-2', key: 'b', value: '2' };
        return jsonApi({
          data: [resource({ ...v, category: 'terraform' })],
          meta: {
            pagination: {
              'current-page': page,
              'next-page': page === 1 ? 2 : null,
              'prev-page': page === 1 ? null : 1,
              'total-pages': 2,
              'total-count': 2,
            },
          },
        });
      }),
    );
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'a', value: '1', category: 'terraform' },
      { key: 'b', value: '2', category: 'terraform' },
    ]);
    expect(seen.map((s) => s.url.search)).toEqual(['', '?page%5Bnumber%5D=2']);
    expect(result.unchanged.map((v) => v.id)).toEqual(['var-1', 'var-2']);
  });

  it('refuses to make a sensitive variable non-sensitive, before writing anything', async () => {
    const seen = workspace([
      { id: 'var-n', key: 'fresh', value: 'x', category: 'terraform' },
      { id: 'var-s', key: 'secret', value: 'x', category: 'terraform', sensitive: true },
    ]);
    const attempt = testClient().variables.upsert('ws-1', [
      { key: 'fresh', value: 'changed', category: 'terraform' },
      { key: 'secret', value: 'x', category: 'terraform', sensitive: false },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({
      field: 'variables.1.sensitive',
      message: expect.stringContaining('"secret" is sensitive'),
    });
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });

  it.each([
    [
      [
        { key: 'a', value: '1', category: 'terraform' },
        { key: 'a', value: '2', category: 'terraform' },
      ],
      'variables.1.key',
      'repeats the terraform variable "a"',
    ],
    [
      [
        { key: 'ok', value: '1', category: 'env' },
        { key: 'NOT-OK', value: '1', category: 'env' },
      ],
      'variables.1.key',
      'environment variable name',
    ],
    [[{ key: 'a', category: 'terraform' }], 'variables.0.value', 'expected string'],
    [[{ key: 'A', value: '1', category: 'env', hcl: true }], 'variables.0.hcl', 'HCL values'],
  ])('rejects %j before sending anything', async (variables, field, message) => {
    const attempt = testClient().variables.upsert('ws-1', variables as never);
    await expect(attempt).rejects.toMatchObject({ field, message: expect.stringContaining(message) });
  });

  it('reports keys and ids, never values', async () => {
    workspace([
      { id: 'var-s', key: 'API_KEY', value: null, category: 'env', sensitive: true },
      { id: 'var-p', key: 'plain', value: 'visible-value', category: 'terraform' },
    ]);
    const result = await testClient().variables.upsert('ws-1', [
      { key: 'API_KEY', value: 'the-api-key-value', category: 'env', sensitive: true },
      { key: 'plain', value: 'visible-value', category: 'terraform' },
      { key: 'NEW_SECRET', value: 'brand-new-secret', category: 'env', sensitive: true },
    ]);
    const shown = JSON.stringify(result) + inspect(result, { depth: Infinity });
    for (const value of ['the-api-key-value', 'visible-value', 'brand-new-secret']) {
      expect(shown).not.toContain(value);
    }
  });

  it('keeps a sensitive value out of the error when an update answers 422 echoing it', async () => {
    const secret = 'rotated-db-password-123';
    workspace([{ id: 'var-s', key: 'db_password', value: null, category: 'terraform', sensitive: true }]);
    server.use(
      http.patch(`${API}/workspaces/ws-1/vars/var-s`, () =>
        jsonApi(
          { errors: [{ status: '422', title: 'invalid', detail: `value ${secret} is too weak` }] },
          422,
        ),
      ),
    );
    const err = (await testClient()
      .variables.upsert('ws-1', [
        { key: 'db_password', value: secret, category: 'terraform', sensitive: true },
      ])
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(err.message).toContain('value [REDACTED] is too weak');
    for (const text of [
      err.message,
      JSON.stringify(err),
      inspect(err, { depth: Infinity, showHidden: true }),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('converges when run again after a failure part way', async () => {
    const existing: Existing[] = [];
    let failNext = true;
    server.use(
      http.get(`${API}/workspaces/ws-1/vars`, () => jsonApi({ data: existing.map(resource) })),
      http.post(`${API}/workspaces/ws-1/vars`, async ({ request }) => {
        const { attributes } = ((await request.json()) as { data: { attributes: Existing } }).data;
        if (attributes.key === 'b' && failNext) {
          failNext = false;
          return new HttpResponse(null, { status: 500 });
        }
        const v = { ...attributes, id: `var-${attributes.key}` };
        existing.push(v);
        return jsonApi({ data: resource(v) }, 201);
      }),
    );
    const wanted = [
      { key: 'a', value: '1', category: 'terraform' as const },
      { key: 'b', value: '2', category: 'terraform' as const },
    ];
    const tfe = testClient();
    await expect(tfe.variables.upsert('ws-1', wanted)).rejects.toMatchObject({ status: 500 });
    const second = await tfe.variables.upsert('ws-1', wanted);
    expect(second).toEqual({
      created: [{ id: 'var-b', key: 'b', category: 'terraform' }],
      updated: [],
      unchanged: [{ id: 'var-a', key: 'a', category: 'terraform' }],
    });
  });
});
