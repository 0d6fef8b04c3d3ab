import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InputValidationError,
  type Workspace,
  type WorkspaceCreateParams,
  WorkspaceLockedError,
} from '../../src/index.js';
import {
  API,
  fixture,
  HttpResponse,
  http,
  jsonApi,
  recorder,
  TOKEN,
  testClient,
  useMsw,
} from '../helpers/api.js';

const server = useMsw();
const WS_ID = 'ws-6jrRyVDv1J8zQMB5';

type Doc = { data: Record<string, unknown> & { attributes?: Record<string, unknown> } };

/**
 * A documented request payload as this SDK sends it: the docs' `terraform_version` spelled `terraform-version`
 * (the documented attribute), read-only attributes left out.
 */
function documentedRequest(name: string, readOnly: string[] = []): Doc {
  const doc = fixture<Doc>(`workspaces/requests/${name}`);
  const attributes = { ...doc.data.attributes };
  if ('terraform_version' in attributes) {
    attributes['terraform-version'] = attributes.terraform_version;
    delete attributes.terraform_version;
  }
  for (const key of readOnly) delete attributes[key];
  return { data: { ...doc.data, attributes } };
}

/** Answers `method url` with a fixture, recording the request. */
function answer(method: 'get' | 'post' | 'patch' | 'delete', url: string, body: unknown, status = 200) {
  const { seen, record } = recorder();
  server.use(
    http[method](url, async ({ request }) => {
      await record(request);
      return body === null ? new HttpResponse(null, { status }) : jsonApi(body as never, status);
    }),
  );
  return seen;
}

function conflict(detail: string) {
  return jsonApi({ errors: [{ status: '409', title: 'conflict', detail }] }, 409);
}

describe('workspaces.read', () => {
  it('reads by organization and name and parses the documented workspace, duplicate keys and all', async () => {
    const seen = answer(
      'get',
      `${API}/organizations/my-organization/workspaces/workspace-1`,
      fixture('workspaces/show-workspace.json'),
    );
    const ws = await testClient().workspaces.read('my-organization', 'workspace-1');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(ws).toMatchObject({
      id: WS_ID,
      type: 'workspaces',
      name: 'workspace-1',
      locked: true,
      lockedReason: null,
      executionMode: 'agent',
      terraformVersion: '1.9.4',
      autoApply: false,
      allowDestroyPlan: true,
      fileTriggersEnabled: true,
      speculativeEnabled: true,
      queueAllRuns: false,
      globalRemoteState: false,
      resourceCount: 10,
      applyDurationAverage: 35000,
      planDurationAverage: 53000,
      runFailures: 3,
      workspaceKpisRunsCount: 8,
      tagNames: [],
      triggerPrefixes: [],
      workingDirectory: null,
      vcsRepo: null,
      actions: { isDestroyable: true },
      settingOverwrites: { executionMode: true, agentPool: true },
      inheritsProjectAutoDestroy: null,
      // Not in the schema: still there, camelCased.
      unarchivedWorkspaceChangeRequestsCount: 0,
    });
    expect(ws.permissions).toMatchObject({
      canQueueRun: true,
      canForceUnlock: true,
      canManageEphemeralWorkspaces: false,
    });
    expect(ws.createdAt).toEqual(new Date('2021-08-16T21:22:49.566Z'));
    expect(ws.lastAssessmentResultAt).toEqual(new Date('2021-08-17T21:20:12.908Z'));
    expect(ws.autoDestroyAt).toBeNull();
    // The later of the duplicate `current-configuration-version` keys wins, as in JSON.parse.
    expect(ws.relationships.currentConfigurationVersion).toEqual({
      id: 'cv-hjy7ndEkmCtn31ps',
      type: 'configuration-versions',
    });
    expect(ws.relationships.lockedBy).toEqual({ id: 'user-hjy7ndEkmCtn31ps', type: 'users' });
    expect(ws.relationships.project).toEqual({ id: 'prj-hjy7ndEkmCtn31ps', type: 'projects' });
    expect(ws.relationships.agentPool).toEqual({ id: 'apool-QxGd2tRjympfMvQc', type: 'agent-pools' });
    expect(ws.relationships.readme).toBeNull();
    expect(ws.relationships.outputs).toHaveLength(2);
    // Links-only relationships carry no id: left out.
    expect(ws.relationships).not.toHaveProperty('tagBindings');
    expect(ws.relationships).not.toHaveProperty('remoteStateConsumers');
    expect(ws.raw).toEqual(fixture<Doc>('workspaces/show-workspace.json').data);
  });

  it('percent-encodes the organization and name and sends include', async () => {
    const seen = answer(
      'get',
      `${API}/organizations/:org/workspaces/:name`,
      fixture('workspaces/show-workspace.json'),
    );
    await testClient().workspaces.read('acme&corp', 'app+prod', { include: ['current_run', 'locked_by'] });
    expect(seen[0]!.url.pathname).toBe('/api/v2/organizations/acme%26corp/workspaces/app%2Bprod');
    expect(seen[0]!.url.search).toBe('?include=current_run%2Clocked_by');
  });

  it('rejects a name that would change the path, naming the argument', async () => {
    const err = await testClient()
      .workspaces.read('acme', '../runs')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'name' });
  });

  it('types the included current run and lock holder', async () => {
    const doc = fixture<Doc & { included?: unknown[] }>('workspaces/show-workspace.json');
    doc.included = [
      { id: 'run-hjy7ndEkmCtn31ps', type: 'runs', attributes: { status: 'planning' } },
      { id: 'user-hjy7ndEkmCtn31ps', type: 'users', attributes: { username: 'alice' } },
    ];
    answer('get', `${API}/workspaces/${WS_ID}`, doc);
    const ws = await testClient().workspaces.readById(WS_ID, { include: ['current_run', 'locked_by'] });
    expect(ws.currentRun).toMatchObject({ id: 'run-hjy7ndEkmCtn31ps', status: 'planning' });
    expect(ws.lockedBy).toMatchObject({ username: 'alice' });
  });

  it('rejects a misspelled option before sending, naming it', async () => {
    const err = await testClient()
      .workspaces.read('acme', 'app', { includes: ['current_run'] } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'includes', message: 'workspaces.read: unknown option "includes".' });
  });

  it('rejects an include that is not a list of names, naming the field', async () => {
    const err = await testClient()
      .workspaces.read('acme', 'app', { include: 'current_run' } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'include' });
  });
});

describe('workspaces.readById', () => {
  it('reads GET /workspaces/:id', async () => {
    const seen = answer('get', `${API}/workspaces/${WS_ID}`, fixture('workspaces/show-workspace.json'));
    const ws = await testClient().workspaces.readById(WS_ID);
    expect(seen[0]!.url.search).toBe('');
    expect(ws.name).toBe('workspace-1');
  });

  it('rejects a misspelled option before sending, naming it', async () => {
    const err = await testClient()
      .workspaces.readById(WS_ID, { inclde: ['locked_by'] } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'inclde', message: 'workspaces.readById: unknown option "inclde".' });
  });
});

describe('workspaces.list', () => {
  it('sends every filter under the API’s own query names, brackets encoded', async () => {
    const seen = answer(
      'get',
      `${API}/organizations/my-organization/workspaces`,
      fixture('workspaces/list-workspaces.json'),
    );
    await testClient().workspaces.list('my-organization', {
      pageNumber: 2,
      pageSize: 50,
      search: 'app',
      tags: ['prod', 'eu'],
      excludeTags: ['legacy'],
      wildcardName: '*-prod',
      projectId: 'prj-1',
      currentRunStatus: 'planned',
      sort: '-current-run.created-at',
      include: ['current_run'],
    });
    expect(seen[0]!.url.search).toBe(
      '?page%5Bnumber%5D=2&page%5Bsize%5D=50&search%5Bname%5D=app&search%5Btags%5D=prod%2Ceu' +
        '&search%5Bexclude-tags%5D=legacy&search%5Bwildcard-name%5D=*-prod&filter%5Bproject%5D%5Bid%5D=prj-1' +
        '&filter%5Bcurrent-run%5D%5Bstatus%5D=planned&sort=-current-run.created-at&include=current_run',
    );
  });

  it('filters by key/value tags with indexed filter[tagged] parameters', async () => {
    const seen = answer(
      'get',
      `${API}/organizations/org/workspaces`,
      fixture('workspaces/list-workspaces.json'),
    );
    await testClient().workspaces.list('org', {
      tagBindings: [{ key: 'env', value: 'prod' }, { key: 'team' }],
    });
    expect([...seen[0]!.url.searchParams]).toEqual([
      ['filter[tagged][0][key]', 'env'],
      ['filter[tagged][0][value]', 'prod'],
      ['filter[tagged][1][key]', 'team'],
    ]);
  });

  it('parses the documented list and its pagination', async () => {
    answer(
      'get',
      `${API}/organizations/my-organization/workspaces`,
      fixture('workspaces/list-workspaces.json'),
    );
    const page = await testClient().workspaces.list('my-organization');
    expect(page.items.map((w) => [w.id, w.name])).toEqual([[WS_ID, 'workspace-1']]);
    expect(page.pagination).toEqual({
      currentPage: 1,
      prevPage: null,
      nextPage: null,
      totalPages: 1,
      totalCount: 1,
    });
  });

  it('iterates every workspace across pages', async () => {
    server.use(
      http.get(`${API}/organizations/org/workspaces`, ({ request }) => {
        const n = Number(new URL(request.url).searchParams.get('page[number]') ?? '1');
        return jsonApi({
          data: [{ id: `ws-${n}`, type: 'workspaces', attributes: { name: `w${n}` } }],
          meta: { pagination: { 'current-page': n, 'next-page': n < 2 ? n + 1 : null, 'total-pages': 2 } },
        });
      }),
    );
    expect((await testClient().workspaces.list('org').toArray({ limit: 10 })).map((w) => w.name)).toEqual([
      'w1',
      'w2',
    ]);
  });

  it('rejects an unknown filter', async () => {
    await expect(testClient().workspaces.list('org', { name: 'x' } as never)).rejects.toThrow(
      'workspaces.list: unknown option "name".',
    );
  });
});

describe('workspaces.create', () => {
  const createdAt = `${API}/organizations/my-organization/workspaces`;

  it.each<[string, WorkspaceCreateParams, Doc]>([
    [
      'without-a-vcs-repository',
      { name: 'workspace-1' },
      documentedRequest('create-a-workspace-without-a-vcs-repository.json'),
    ],
    [
      'with-a-project',
      { name: 'workspace-in-project', projectId: 'prj-jT92VLSFpv8FwKtc' },
      documentedRequest('create-a-workspace-with-a-project.json'),
    ],
    [
      'with-key-value-tags',
      { name: 'workspace-1', tagBindings: [{ key: 'env', value: 'test' }] },
      documentedRequest('create-a-workspace-with-key-value-tags.json'),
    ],
    [
      'with-a-vcs-repository',
      {
        name: 'workspace-2',
        terraformVersion: '0.11.1',
        workingDirectory: '',
        vcsRepo: {
          identifier: 'example/terraform-test-proj',
          oauthTokenId: 'ot-hmAyP66qk2AMVdbJ',
          branch: '',
          tagsRegex: null,
        },
      },
      documentedRequest('create-a-workspace-with-a-vcs-repository.json'),
    ],
    [
      'using-git-tags',
      {
        name: 'workspace-3',
        terraformVersion: '0.12.1',
        fileTriggersEnabled: false,
        workingDirectory: '/networking',
        vcsRepo: {
          identifier: 'example/terraform-test-proj-monorepo',
          oauthTokenId: 'ot-hmAyP66qk2AMVdbJ',
          branch: '',
          tagsRegex: '\\d+.\\d+.\\d+',
        },
      },
      documentedRequest('create-a-workspace-using-git-tags.json'),
    ],
    [
      'for-a-monorepo-using-trigger-prefixes',
      {
        name: 'workspace-3',
        terraformVersion: '0.12.1',
        fileTriggersEnabled: true,
        triggerPrefixes: ['/modules', '/vendor'],
        workingDirectory: '/networking',
        vcsRepo: {
          identifier: 'example/terraform-test-proj-monorepo',
          oauthTokenId: 'ot-hmAyP66qk2AMVdbJ',
          branch: '',
        },
      },
      documentedRequest('create-a-workspace-for-a-monorepo-using-trigger-prefixes.json', ['updated-at']),
    ],
    [
      'for-a-monorepo-using-trigger-patterns',
      {
        name: 'workspace-4',
        terraformVersion: '1.2.2',
        fileTriggersEnabled: true,
        triggerPatterns: ['/**/networking/*.tf', '/base/*', '/submodule/**/*'],
        vcsRepo: {
          identifier: 'example/terraform-test-proj-monorepo',
          oauthTokenId: 'ot-hmAyP66qk2AMVdbJ',
          branch: '',
        },
      },
      documentedRequest('create-a-workspace-for-a-monorepo-using-trigger-patterns.json', ['updated-at']),
    ],
    [
      'using-hcp-terraform-agents (type inside data, where the docs misplace it)',
      { name: 'workspace-1', executionMode: 'agent', agentPoolId: 'apool-ZjT6A7mVFm5WHT5a' },
      {
        data: {
          type: 'workspaces',
          ...documentedRequest('create-a-workspace-using-hcp-terraform-agents.json').data,
        },
      },
    ],
    [
      'using-a-project-level-default-execution-mode',
      { name: 'workspace-with-default', settingOverwrites: { executionMode: false } },
      {
        data: {
          type: 'workspaces',
          ...documentedRequest('create-a-workspace-using-a-project-level-default-execution-mode.json').data,
        },
      },
    ],
    [
      'with-key-value-tags-2',
      { name: 'workspace-in-project' },
      documentedRequest('create-a-workspace-with-key-value-tags-2.json'),
    ],
  ])('sends the documented payload: %s', async (_, params, expected) => {
    const seen = answer('post', createdAt, fixture('workspaces/create-a-workspace-with-a-project.json'), 201);
    await testClient().workspaces.create('my-organization', params);
    expect(seen[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(JSON.parse(seen[0]!.body)).toEqual(expected);
  });

  it('sends flat string tags and the pipeline settings kebab-cased', async () => {
    const seen = answer('post', createdAt, fixture('workspaces/create-a-workspace-with-a-project.json'), 201);
    await testClient().workspaces.create('my-organization', {
      name: 'ci',
      description: 'from CI',
      autoApply: true,
      allowDestroyPlan: false,
      queueAllRuns: true,
      speculativeEnabled: false,
      globalRemoteState: true,
      assessmentsEnabled: false,
      executionMode: 'remote',
      tagNames: ['ci', 'prod'],
    });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: {
        type: 'workspaces',
        attributes: {
          name: 'ci',
          description: 'from CI',
          'auto-apply': true,
          'allow-destroy-plan': false,
          'queue-all-runs': true,
          'speculative-enabled': false,
          'global-remote-state': true,
          'assessments-enabled': false,
          'execution-mode': 'remote',
        },
        relationships: {
          tags: {
            data: [
              { type: 'tags', attributes: { name: 'ci' } },
              { type: 'tags', attributes: { name: 'prod' } },
            ],
          },
        },
      },
    });
  });

  it.each([
    ['create-a-workspace-with-a-project.json', 'ws-HRkJLSYWF97jucqQ', 'workspace-in-project'],
    ['create-a-workspace-with-a-vcs-repository.json', 'ws-KTuq99JSzgmDSvYj', 'workspace-2'],
    ['create-a-workspace-without-a-vcs-repository.json', WS_ID, 'workspace-1'],
  ])('parses the documented response %s', async (file, id, name) => {
    answer('post', createdAt, fixture(`workspaces/${file}`), 201);
    const ws = await testClient().workspaces.create('my-organization', { name });
    expect(ws).toMatchObject({ id, name });
  });

  it('parses the VCS settings of a created workspace', async () => {
    answer('post', createdAt, fixture('workspaces/create-a-workspace-with-a-vcs-repository.json'), 201);
    const ws = await testClient().workspaces.create('my-organization', { name: 'workspace-2' });
    expect(ws.vcsRepo).toMatchObject({
      identifier: 'example/terraform-test-proj',
      serviceProvider: 'github',
      tagsRegex: null,
    });
    expect(ws.lockedReason).toBe('');
  });

  it.each([
    [{}, 'name', 'expected string'],
    [{ name: 'has space' }, 'name', 'must be 1 to 90 letters'],
    [
      { name: 'w', executionMode: 'remote', agentPoolId: 'apool-1' },
      'agentPoolId',
      'requires executionMode "agent"',
    ],
    [{ name: 'w', executionMode: 'cloud' }, 'executionMode', ''],
    [{ name: 'w', autoapply: true }, 'autoapply', 'unknown option "autoapply"'],
    [{ name: 'w', tagBindings: [{ key: '' }] }, 'tagBindings.0.key', ''],
  ])('rejects %j before sending', async (params, field, message) => {
    const attempt = testClient().workspaces.create('my-organization', params as never);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({ field, message: expect.stringContaining(message) });
  });
});

describe('workspaces.update', () => {
  it('patches by id with the documented payload (read-only attributes left out)', async () => {
    const seen = answer(
      'patch',
      `${API}/workspaces/ws-KTuq99JSzgmDSvYj`,
      fixture('workspaces/update-a-workspace.json'),
    );
    const ws = await testClient().workspaces.update('ws-KTuq99JSzgmDSvYj', {
      name: 'workspace-2',
      terraformVersion: '0.11.1',
      workingDirectory: '',
      vcsRepo: {
        identifier: 'example/terraform-test-proj',
        branch: '',
        ingressSubmodules: false,
        oauthTokenId: 'ot-hmAyP66qk2AMVdbJ',
      },
      projectId: 'prj-7HWWPGY3fYxztELU',
      tagBindings: [{ key: 'environment', value: 'development' }],
    });
    expect(seen[0]!.method).toBe('PATCH');
    expect(JSON.parse(seen[0]!.body)).toEqual(
      documentedRequest('update-a-workspace.json', ['resource-count', 'updated-at']),
    );
    expect(ws).toMatchObject({ id: 'ws-KTuq99JSzgmDSvYj', name: 'workspace-2', terraformVersion: '1.9.4' });
  });

  it('sends only the settings given, and null to clear', async () => {
    const seen = answer('patch', `${API}/workspaces/ws-1`, fixture('workspaces/update-a-workspace.json'));
    await testClient().workspaces.update('ws-1', { autoApply: true, vcsRepo: null, agentPoolId: null });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: {
        type: 'workspaces',
        attributes: { 'auto-apply': true, 'vcs-repo': null, 'agent-pool-id': null },
      },
    });
  });

  it('patches by organization and name', async () => {
    const seen = answer(
      'patch',
      `${API}/organizations/my-organization/workspaces/workspace-2`,
      fixture('workspaces/update-a-workspace.json'),
    );
    await testClient().workspaces.updateByName('my-organization', 'workspace-2', { description: 'x' });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: { type: 'workspaces', attributes: { description: 'x' } },
    });
  });

  it('rejects a misspelled setting, naming the one meant', async () => {
    await expect(
      testClient().workspaces.update('ws-1', { terraform_version: '1.9.0' } as never),
    ).rejects.toThrow(
      'workspaces.update: unknown option "terraform_version"; did you mean "terraformVersion"?',
    );
  });
});

describe('workspaces.delete and safeDelete', () => {
  it('deletes with DELETE /workspaces/:id', async () => {
    const seen = answer('delete', `${API}/workspaces/ws-1`, null, 204);
    await expect(testClient().workspaces.delete('ws-1')).resolves.toBeUndefined();
    expect(seen[0]!.method).toBe('DELETE');
    expect(seen[0]!.body).toBe('');
  });

  it('safe-deletes with POST actions/safe-delete', async () => {
    const seen = answer('post', `${API}/workspaces/ws-1/actions/safe-delete`, null, 204);
    await testClient().workspaces.safeDelete('ws-1');
    expect(seen[0]!.body).toBe('');
  });

  it('a safe-delete refused because the workspace manages resources is a ConflictError, not retried', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/workspaces/ws-1/actions/safe-delete`, () => {
        calls++;
        return conflict('Workspace is currently managing resources');
      }),
    );
    await expect(testClient().workspaces.safeDelete('ws-1')).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toBe(1);
  });
});

describe('workspaces.deleteByName and safeDeleteByName', () => {
  it('deletes with DELETE /organizations/:org/workspaces/:name and no body', async () => {
    const seen = answer('delete', `${API}/organizations/my-organization/workspaces/workspace-1`, null, 204);
    await expect(
      testClient().workspaces.deleteByName('my-organization', 'workspace-1'),
    ).resolves.toBeUndefined();
    expect(seen[0]!.method).toBe('DELETE');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.body).toBe('');
  });

  it('refuses an empty workspace name before sending, naming the field', async () => {
    await expect(testClient().workspaces.deleteByName('my-organization', '')).rejects.toMatchObject({
      name: 'InputValidationError',
      field: 'name',
    });
  });

  it('safe-deletes with POST /organizations/:org/workspaces/:name/actions/safe-delete and no body', async () => {
    const seen = answer(
      'post',
      `${API}/organizations/my-organization/workspaces/workspace-1/actions/safe-delete`,
      null,
      204,
    );
    await expect(
      testClient().workspaces.safeDeleteByName('my-organization', 'workspace-1'),
    ).resolves.toBeUndefined();
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.body).toBe('');
  });

  it('a safe-delete by name refused because the workspace manages resources is a ConflictError, not retried', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/organizations/my-organization/workspaces/workspace-1/actions/safe-delete`, () => {
        calls++;
        return conflict('Workspace is currently managing resources');
      }),
    );
    await expect(
      testClient().workspaces.safeDeleteByName('my-organization', 'workspace-1'),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toBe(1);
  });
});

describe('workspaces.addTags and removeTags', () => {
  const TAGS = `${API}/workspaces/ws-1/relationships/tags`;

  it('addTags POSTs names as the documented payload and resolves on 204', async () => {
    const seen = answer('post', TAGS, null, 204);
    await expect(testClient().workspaces.addTags('ws-1', ['foo', 'bar'])).resolves.toBeUndefined();
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(JSON.parse(seen[0]!.body)).toEqual(
      fixture('workspaces/requests/add-flat-string-tags-to-a-workspace.json'),
    );
  });

  it('removeTags DELETEs ids as the documented payload and resolves on 204', async () => {
    const seen = answer('delete', TAGS, null, 204);
    await expect(
      testClient().workspaces.removeTags('ws-1', [{ id: 'tag-Yfha4YpPievQ8wJw' }]),
    ).resolves.toBeUndefined();
    expect(seen[0]!.method).toBe('DELETE');
    expect(JSON.parse(seen[0]!.body)).toEqual(fixture('workspaces/requests/remove-tags-from-workspace.json'));
  });

  it('mixes names and ids, and sends only the id of a tag listTags returned', async () => {
    answer('get', TAGS, fixture('workspaces/list-workspace-tags.json'));
    const seen = answer('delete', TAGS, null, 204);
    const tfe = testClient();
    const { items } = await tfe.workspaces.listTags('ws-1');
    await tfe.workspaces.removeTags('ws-1', ['old', items[1]!]);
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: [
        { type: 'tags', attributes: { name: 'old' } },
        { type: 'tags', id: 'tag-2' },
      ],
    });
  });

  it.each([
    ['an empty list', [], 'tags', 'workspaces.addTags: "tags" must name at least one tag.'],
    ['an empty name', ['a', ''], 'tags.1', 'workspaces.addTags: "tags.1" must not be empty.'],
    ['an empty id', [{ id: '' }], 'tags.0.id', 'workspaces.addTags: "tags.0.id" must not be empty.'],
    [
      'an object without an id',
      [{ name: 'a' }],
      'tags.0',
      'workspaces.addTags: "tags.0" expected a tag name or { id }.',
    ],
  ])('addTags refuses %s before sending, naming the field', async (_, tags, field, message) => {
    const err = await testClient()
      .workspaces.addTags('ws-1', tags as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field, message });
  });

  it('removeTags names itself in a refusal', async () => {
    await expect(testClient().workspaces.removeTags('ws-1', [])).rejects.toThrow(
      'workspaces.removeTags: "tags" must name at least one tag.',
    );
  });
});

describe('workspace locks', () => {
  it('lock posts the documented reason and returns the locked workspace', async () => {
    const seen = answer(
      'post',
      `${API}/workspaces/${WS_ID}/actions/lock`,
      fixture('workspaces/lock-a-workspace.json'),
    );
    const ws = await testClient().workspaces.lock(WS_ID, { reason: 'Locking workspace-1' });
    expect(JSON.parse(seen[0]!.body)).toEqual(fixture('workspaces/requests/lock-a-workspace.json'));
    expect(ws).toMatchObject({ id: WS_ID, locked: true });
  });

  it('lock without a reason sends no body', async () => {
    const seen = answer(
      'post',
      `${API}/workspaces/${WS_ID}/actions/lock`,
      fixture('workspaces/lock-a-workspace.json'),
    );
    await testClient().workspaces.lock(WS_ID);
    expect(seen[0]!.body).toBe('');
  });

  it.each([
    ['unlock', 'unlock', 'unlock-a-workspace.json', WS_ID],
    ['forceUnlock', 'force-unlock', 'force-unlock-a-workspace.json', 'ws-KTuq99JSzgmDSvYj'],
  ] as const)(
    '%s posts to actions/%s with no body and parses the documented answer',
    async (method, action, file, id) => {
      const seen = answer('post', `${API}/workspaces/${id}/actions/${action}`, fixture(`workspaces/${file}`));
      const ws = await testClient().workspaces[method](id);
      expect(seen[0]!.body).toBe('');
      expect(ws.id).toBe(id);
    },
  );

  it('a 409 on lock is a WorkspaceLockedError naming the user who holds the lock', async () => {
    let posts = 0;
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-1/actions/lock`, () => {
        posts++;
        return conflict('Unable to lock workspace. The workspace is already locked.');
      }),
      http.get(`${API}/workspaces/ws-1`, async ({ request }) => {
        await record(request);
        return jsonApi({
          data: {
            id: 'ws-1',
            type: 'workspaces',
            attributes: { name: 'app', locked: true, 'locked-reason': 'deploying hotfix' },
            relationships: { 'locked-by': { data: { id: 'user-9', type: 'users' } } },
          },
          included: [{ id: 'user-9', type: 'users', attributes: { username: 'alice' } }],
        });
      }),
    );
    const err = await testClient()
      .workspaces.lock('ws-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceLockedError);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({
      status: 409,
      workspaceId: 'ws-1',
      lockedBy: { id: 'user-9', type: 'users' },
      lockedByName: 'alice',
      lockedReason: 'deploying hotfix',
      errors: [
        {
          status: '409',
          title: 'conflict',
          detail: 'Unable to lock workspace. The workspace is already locked.',
        },
      ],
    });
    expect((err as Error).message).toBe(
      '409 Conflict on POST /api/v2/workspaces/ws-1/actions/lock: conflict: Unable to lock workspace. The workspace ' +
        'is already locked. — workspace ws-1 is locked by user alice (reason: "deploying hotfix")',
    );
    expect(posts).toBe(1);
    expect(seen[0]!.url.search).toBe('?include=locked_by');
  });

  it('a 409 on unlock of a run’s lock names the run', async () => {
    server.use(
      http.post(`${API}/workspaces/ws-1/actions/unlock`, () => conflict('Unable to unlock workspace.')),
      http.get(`${API}/workspaces/ws-1`, () =>
        jsonApi({
          data: {
            id: 'ws-1',
            type: 'workspaces',
            attributes: { name: 'app', locked: true },
            relationships: { 'locked-by': { data: { id: 'run-7', type: 'runs' } } },
          },
        }),
      ),
    );
    const err = await testClient()
      .workspaces.unlock('ws-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceLockedError);
    expect(err).toMatchObject({ lockedBy: { id: 'run-7', type: 'runs' }, lockedByName: 'run-7' });
    expect((err as Error).message).toContain('— workspace ws-1 is locked by run run-7');
  });

  it('a 409 on unlock of a workspace that is not locked stays a plain ConflictError', async () => {
    server.use(
      http.post(`${API}/workspaces/ws-1/actions/unlock`, () => conflict('The workspace is not locked.')),
      http.get(`${API}/workspaces/ws-1`, () =>
        jsonApi({ data: { id: 'ws-1', type: 'workspaces', attributes: { name: 'app', locked: false } } }),
      ),
    );
    const err = await testClient()
      .workspaces.unlock('ws-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).not.toBeInstanceOf(WorkspaceLockedError);
  });

  it('a 409 on lock is still a WorkspaceLockedError when the holder cannot be read', async () => {
    server.use(
      http.post(`${API}/workspaces/ws-1/actions/lock`, () => conflict('The workspace is already locked.')),
      http.get(`${API}/workspaces/ws-1`, () =>
        jsonApi({ errors: [{ status: '403', title: 'forbidden' }] }, 403),
      ),
    );
    const err = await testClient()
      .workspaces.lock('ws-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceLockedError);
    expect(err).toMatchObject({ lockedBy: undefined, lockedByName: undefined });
    expect((err as Error).message).toMatch(/— workspace ws-1 is locked$/);
  });

  it('rejects an unknown lock option', async () => {
    await expect(testClient().workspaces.lock('ws-1', { reson: 'x' } as never)).rejects.toThrow(
      'workspaces.lock: unknown option "reson".',
    );
  });
});

describe('workspace SSH keys', () => {
  it('assigns a key with the documented payload', async () => {
    const seen = answer(
      'patch',
      `${API}/workspaces/ws-KTuq99JSzgmDSvYj/relationships/ssh-key`,
      fixture('workspaces/assign-an-ssh-key-to-a-workspace.json'),
    );
    const ws = await testClient().workspaces.assignSshKey('ws-KTuq99JSzgmDSvYj', 'sshkey-GxrePWre1Ezug7aM');
    expect(JSON.parse(seen[0]!.body)).toEqual(
      fixture('workspaces/requests/assign-an-ssh-key-to-a-workspace.json'),
    );
    expect(ws.relationships.sshKey).toEqual({ id: 'sshkey-hjy7ndEkmCtn31ps', type: 'ssh-keys' });
  });

  it('unassigns with a null id', async () => {
    const seen = answer(
      'patch',
      `${API}/workspaces/ws-KTuq99JSzgmDSvYj/relationships/ssh-key`,
      fixture('workspaces/unassign-an-ssh-key-from-a-workspace.json'),
    );
    await testClient().workspaces.unassignSshKey('ws-KTuq99JSzgmDSvYj');
    expect(JSON.parse(seen[0]!.body)).toEqual(
      fixture('workspaces/requests/unassign-an-ssh-key-from-a-workspace.json'),
    );
  });
});

describe('workspace tags and remote state consumers', () => {
  it.each(['list-workspace-tag-bindings.json', 'add-update-tag-bindings-on-a-workspace.json'])(
    'listTagBindings parses %s',
    async (file) => {
      answer('get', `${API}/workspaces/ws-1/tag-bindings`, fixture(`workspaces/${file}`));
      const { items } = await testClient().workspaces.listTagBindings('ws-1');
      expect(items.length).toBeGreaterThan(0);
      expect(items[0]).toMatchObject({ type: 'tag-bindings', key: 'costcenter', value: '123' });
    },
  );

  it('listEffectiveTagBindings keeps where an inherited binding comes from', async () => {
    answer(
      'get',
      `${API}/workspaces/ws-1/effective-tag-bindings`,
      fixture('workspaces/list-workspace-effective-tag-bindings.json'),
    );
    const { items } = await testClient().workspaces.listEffectiveTagBindings('ws-1');
    expect(items.map((b) => [b.key, b.value])).toEqual([
      ['costcenter', '123'],
      ['dept', 'r+d'],
    ]);
    expect(items[1]!.links).toEqual({ 'inherited-from': '/api/v2/projects/prj-Lg4wmRZEpDUf8ZhB' });
  });

  it('listTags parses the documented tags', async () => {
    const seen = answer(
      'get',
      `${API}/workspaces/ws-1/relationships/tags`,
      fixture('workspaces/list-workspace-tags.json'),
    );
    const { items } = await testClient().workspaces.listTags('ws-1', { pageSize: 10 });
    expect(seen[0]!.url.search).toBe('?page%5Bsize%5D=10');
    expect(items.map((t) => [t.name, t.instanceCount])).toEqual([
      ['tag1', 1],
      ['tag2', 2],
    ]);
    expect(items[0]!.createdAt).toEqual(new Date('2022-03-09T06:04:39.585Z'));
    expect(items[0]!.relationships.organization).toEqual({ id: 'my-organization', type: 'organizations' });
  });

  it('listRemoteStateConsumers parses the documented workspaces', async () => {
    answer(
      'get',
      `${API}/workspaces/ws-1/relationships/remote-state-consumers`,
      fixture('workspaces/get-remote-state-consumers.json'),
    );
    const page = await testClient().workspaces.listRemoteStateConsumers('ws-1');
    expect(page.items.map((w: Workspace) => w.name)).toEqual(['workspace-1']);
    expect(page.pagination?.totalCount).toBe(1);
  });
});

describe('workspace fixtures', () => {
  it('every response fixture is exercised by a test above', () => {
    const dir = fileURLToPath(new URL('../fixtures/workspaces/', import.meta.url));
    const used = [
      'show-workspace.json',
      'list-workspaces.json',
      'create-a-workspace-with-a-project.json',
      'create-a-workspace-with-a-vcs-repository.json',
      'create-a-workspace-without-a-vcs-repository.json',
      'update-a-workspace.json',
      'lock-a-workspace.json',
      'unlock-a-workspace.json',
      'force-unlock-a-workspace.json',
      'assign-an-ssh-key-to-a-workspace.json',
      'unassign-an-ssh-key-from-a-workspace.json',
      'list-workspace-tag-bindings.json',
      'add-update-tag-bindings-on-a-workspace.json',
      'list-workspace-effective-tag-bindings.json',
      'list-workspace-tags.json',
      'get-remote-state-consumers.json',
    ];
    const present = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(present.sort()).toEqual(used.sort());
  });
});
