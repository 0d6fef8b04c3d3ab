import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InputValidationError, NotFoundError, type StateVersionOutput } from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

describe('stateVersions.read', () => {
  it('GETs the state version and parses the documented one', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/state-versions/sv-g4rqST72reoHMM5a`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('state-versions/show-a-state-version.json'));
      }),
    );
    const sv = await testClient().stateVersions.read('sv-g4rqST72reoHMM5a');
    expect(seen[0]!.method).toBe('GET');
    expect(sv).toMatchObject({
      id: 'sv-g4rqST72reoHMM5a',
      status: 'finalized',
      serial: 9,
      stateVersion: 4,
      terraformVersion: '0.15.4',
      resourcesProcessed: true,
      intermediate: false,
      size: 940,
      hostedStateUploadUrl: null,
      vcsCommitSha: 'abcdef12345',
    });
    expect(sv.createdAt).toEqual(new Date('2021-06-08T01:22:03.794Z'));
    expect(sv.relationships.outputs).toHaveLength(3);
    expect(sv.relationships.createdBy).toEqual({ id: 'user-onZs69ThPZjBK2wo', type: 'users' });
  });

  it('keeps module names, provider addresses and resource types as written', async () => {
    server.use(
      http.get(`${API}/state-versions/sv-1`, () =>
        jsonApi(fixture('state-versions/show-a-state-version.json')),
      ),
    );
    const sv = await testClient().stateVersions.read('sv-1');
    expect(sv.modules).toEqual({ root: { 'null-resource': 1, 'data.terraform-remote-state': 1 } });
    expect(Object.keys(sv.providers ?? {})).toEqual([
      'provider["terraform.io/builtin/terraform"]',
      'provider["registry.terraform.io/hashicorp/null"]',
    ]);
    expect(sv.resources?.[0]).toMatchObject({ name: 'other_username', type: 'data.terraform_remote_state' });
  });
});

describe('stateVersions.readCurrent', () => {
  it('GETs the workspace’s current state version', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/workspaces/ws-6fHMCom98SDXSQUv/current-state-version`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('state-versions/show-a-state-version.json'));
      }),
    );
    const sv = await testClient().stateVersions.readCurrent('ws-6fHMCom98SDXSQUv');
    expect(seen).toHaveLength(1);
    expect(sv.id).toBe('sv-g4rqST72reoHMM5a');
  });

  it('throws NotFoundError when the workspace has no state yet', async () => {
    server.use(
      http.get(`${API}/workspaces/ws-new/current-state-version`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    await expect(testClient().stateVersions.readCurrent('ws-new')).rejects.toBeInstanceOf(NotFoundError);
  });
});

const sensitiveList = {
  data: [
    {
      id: 'wsout-plain',
      type: 'state-version-outputs',
      attributes: {
        name: 'url',
        sensitive: false,
        type: 'string',
        value: 'https://x',
        'detailed-type': 'string',
      },
    },
    {
      id: 'wsout-secret',
      type: 'state-version-outputs',
      attributes: {
        name: 'password',
        sensitive: true,
        type: 'string',
        value: 'hunter2-pw',
        'detailed-type': 'string',
      },
    },
  ],
};

describe('stateVersions.listOutputs', () => {
  it('GETs the outputs and parses the documented list, value and detailed_type untouched', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/state-versions/sv-SDboVZC8TCxXEneJ/outputs`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('state-version-outputs/list-state-version-outputs.json'));
      }),
    );
    const page = await testClient().stateVersions.listOutputs('sv-SDboVZC8TCxXEneJ');
    expect(seen[0]!.url.search).toBe('');
    expect(page.pagination).toMatchObject({ currentPage: 1, totalCount: 2 });
    expect(page.items[0]).toMatchObject({
      id: 'wsout-xFAmCR3VkBGepcee',
      name: 'fruits',
      sensitive: false,
      type: 'state-version-outputs',
      valueType: 'array',
      value: ['apple', 'strawberry', 'blueberry', 'rasberry'],
      detailedType: ['tuple', ['string', 'string', 'string', 'string']],
    });
  });

  it('sends page size and number with encoded brackets', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/state-versions/sv-1/outputs`, async ({ request }) => {
        await record(request);
        return jsonApi({ data: [] });
      }),
    );
    await testClient().stateVersions.listOutputs('sv-1', { pageNumber: 2, pageSize: 50 });
    expect(seen[0]!.url.search).toBe('?page%5Bnumber%5D=2&page%5Bsize%5D=50');
  });

  it('keeps the keys of an object value and of its type as Terraform wrote them', async () => {
    server.use(
      http.get(`${API}/state-versions/sv-1/outputs`, () =>
        jsonApi({
          data: [
            {
              id: 'wsout-1',
              type: 'state-version-outputs',
              attributes: {
                name: 'endpoints',
                sensitive: false,
                type: 'object',
                value: { 'api-gateway': { base_url: 'https://a' }, 'Admin-UI': 'https://b' },
                'detailed-type': ['object', { 'api-gateway': ['object', { base_url: 'string' }] }],
              },
            },
          ],
        }),
      ),
    );
    const { items } = await testClient().stateVersions.listOutputs('sv-1');
    expect(items[0]!.value).toEqual({ 'api-gateway': { base_url: 'https://a' }, 'Admin-UI': 'https://b' });
    expect(items[0]!.detailedType).toEqual(['object', { 'api-gateway': ['object', { base_url: 'string' }] }]);
  });

  it('masks a sensitive value, in the model and in its raw resource', async () => {
    server.use(http.get(`${API}/state-versions/sv-1/outputs`, () => jsonApi(sensitiveList)));
    const { items } = await testClient().stateVersions.listOutputs('sv-1');
    const secret = items[1]!;
    expect(secret).toMatchObject({ name: 'password', sensitive: true, value: undefined });
    expect(items[0]!.value).toBe('https://x');
    const shown = [
      JSON.stringify(items),
      inspect(items, { depth: Infinity, showHidden: true }),
      JSON.stringify(secret.raw),
    ];
    for (const text of shown) expect(text).not.toContain('hunter2-pw');
  });

  it('masks sensitive values on every page of an iteration', async () => {
    server.use(
      http.get(`${API}/state-versions/sv-1/outputs`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page[number]') ?? 1);
        return jsonApi({
          data: [{ ...sensitiveList.data[1]!, id: `wsout-${page}` }],
          meta: {
            pagination: { 'current-page': page, 'next-page': page < 2 ? page + 1 : null, 'total-pages': 2 },
          },
        });
      }),
    );
    const all: StateVersionOutput[] = [];
    for await (const o of testClient().stateVersions.listOutputs('sv-1')) all.push(o);
    expect(all.map((o) => [o.id, o.value])).toEqual([
      ['wsout-1', undefined],
      ['wsout-2', undefined],
    ]);
  });

  it('keeps sensitive values when asked explicitly', async () => {
    server.use(http.get(`${API}/state-versions/sv-1/outputs`, () => jsonApi(sensitiveList)));
    const { items } = await testClient().stateVersions.listOutputs('sv-1', { includeSensitive: true });
    expect(items[1]!.value).toBe('hunter2-pw');
  });

  it('rejects an unknown option', async () => {
    await expect(
      testClient().stateVersions.listOutputs('sv-1', { includeSecrets: true } as never),
    ).rejects.toBeInstanceOf(InputValidationError);
  });
});

describe('stateVersions.readOutput', () => {
  it('GETs one output and parses the documented one', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/state-version-outputs/wsout-J2zM24JPFbfc7bE5`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('state-version-outputs/show-a-state-version-output.json'));
      }),
    );
    const o = await testClient().stateVersions.readOutput('wsout-J2zM24JPFbfc7bE5');
    expect(seen).toHaveLength(1);
    expect(o).toMatchObject({
      name: 'flavor',
      valueType: 'string',
      value: 'Peanut Butter',
      detailedType: 'string',
    });
  });

  it('masks a sensitive value unless asked, and reveals it when asked', async () => {
    server.use(
      http.get(`${API}/state-version-outputs/wsout-secret`, () => jsonApi({ data: sensitiveList.data[1] })),
    );
    const tfe = testClient();
    expect((await tfe.stateVersions.readOutput('wsout-secret')).value).toBeUndefined();
    expect((await tfe.stateVersions.readOutput('wsout-secret', { includeSensitive: true })).value).toBe(
      'hunter2-pw',
    );
  });
});
