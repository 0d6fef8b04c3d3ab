import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InputValidationError,
  NotFoundError,
  PermissionDeniedError,
  type Run,
  RunStatus,
} from '../../src/index.js';
import {
  API,
  fixture,
  HttpResponse,
  http,
  jsonApi,
  recorder,
  runsPage,
  TOKEN,
  testClient,
  useMsw,
} from '../helpers/api.js';

const server = useMsw();
const RUN_ID = 'run-CZcmD7eagjhyX0vN';

describe('runs.create', () => {
  it('sends the JSON:API document with kebab-case attributes and both relationships', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('runs/create-a-run.json'), 201);
      }),
    );
    const run = await testClient().runs.create({
      workspaceId: 'ws-LLGHCr4SWy28wyGN',
      configurationVersionId: 'cv-n4XQPBa2QnecZJ4G',
      message: 'Custom message',
      isDestroy: false,
      refresh: true,
      replaceAddrs: ['aws_instance.a'],
      targetAddrs: ['module.b'],
      planOnly: true,
      autoApply: false,
      allowEmptyApply: true,
      terraformVersion: '1.9.0',
      savePlan: false,
      debuggingMode: true,
      variables: [{ key: 'replicas', value: '2' }],
    });
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(req.headers.get('accept')).toBe('application/vnd.api+json');
    expect(req.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(req.headers.get('user-agent')).toMatch(/^tfe-client\/\d+\.\d+\.\d+ node\//);
    expect(JSON.parse(req.body)).toEqual({
      data: {
        type: 'runs',
        attributes: {
          message: 'Custom message',
          'is-destroy': false,
          refresh: true,
          'replace-addrs': ['aws_instance.a'],
          'target-addrs': ['module.b'],
          'plan-only': true,
          'auto-apply': false,
          'allow-empty-apply': true,
          'terraform-version': '1.9.0',
          'save-plan': false,
          'debugging-mode': true,
          variables: [{ key: 'replicas', value: '2' }],
        },
        relationships: {
          workspace: { data: { type: 'workspaces', id: 'ws-LLGHCr4SWy28wyGN' } },
          'configuration-version': { data: { type: 'configuration-versions', id: 'cv-n4XQPBa2QnecZJ4G' } },
        },
      },
    });
    expect(run.id).toBe(RUN_ID);
    expect(run.status).toBe(RunStatus.Pending);
  });

  it('matches the documented sample payload for a message and a configuration version', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('runs/create-a-run.json'), 201);
      }),
    );
    await testClient().runs.create({
      workspaceId: 'ws-LLGHCr4SWy28wyGN',
      configurationVersionId: 'cv-n4XQPBa2QnecZJ4G',
      message: 'Custom message',
      invokeActionAddrs: ['action.aws_lambda_invoke.example'],
    });
    expect(JSON.parse(seen[0]!.body)).toEqual(fixture('runs/requests/create-a-run.json'));
  });

  it('leaves out the configuration version when none is given', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('runs/create-a-run.json'), 201);
      }),
    );
    await testClient().runs.create({ workspaceId: 'ws-1' });
    const body = JSON.parse(seen[0]!.body);
    expect(body.data.relationships).toEqual({ workspace: { data: { type: 'workspaces', id: 'ws-1' } } });
    expect(body.data.attributes).toBeUndefined();
  });

  it.each([
    [{ workspaceId: 'ws-1', isDestroy: true, refreshOnly: true }, 'refreshOnly', 'cannot both be true'],
    [{ workspaceId: 'ws-1', terraformVersion: '1.9.0' }, 'terraformVersion', 'only allowed with planOnly'],
    [{ workspaceId: '' }, 'workspaceId', 'workspaceId'],
    [{ workspaceId: 'ws-1', planonly: true }, 'planonly', 'unknown option "planonly"'],
    [{ workspaceId: 'ws-1', variables: [{ key: 'a', value: 1 }] }, 'variables.0.value', 'expected string'],
    [
      { workspaceId: 'ws-1', invokeActionAddrs: ['action.a.b'], targetAddrs: ['aws_instance.x'] },
      'invokeActionAddrs',
      'cannot be combined with targetAddrs or isDestroy',
    ],
    [
      { workspaceId: 'ws-1', invokeActionAddrs: ['action.a.b'], isDestroy: true },
      'invokeActionAddrs',
      'cannot be combined with targetAddrs or isDestroy',
    ],
    [
      { workspaceId: 'ws-1', invokeActionAddrs: ['action.a.b', 'action.a.c'] },
      'invokeActionAddrs',
      'one action address',
    ],
  ])('rejects %j before sending', async (params, field, message) => {
    const attempt = testClient().runs.create(params as never);
    await expect(attempt).rejects.toBeInstanceOf(InputValidationError);
    await expect(attempt).rejects.toMatchObject({ field, message: expect.stringContaining(message) });
  });
});

describe('runs.read', () => {
  it('parses the documented run', async () => {
    server.use(http.get(`${API}/runs/${RUN_ID}`, () => jsonApi(fixture('runs/get-run-details.json'))));
    const run = await testClient().runs.read(RUN_ID);
    expect(run).toMatchObject({
      id: RUN_ID,
      type: 'runs',
      status: 'pending',
      message: 'Custom message',
      hasChanges: false,
      autoApply: false,
      source: 'tfe-api',
      triggerReason: 'manual',
      actions: { isCancelable: true, isConfirmable: false, isDiscardable: false, isForceCancelable: false },
      permissions: { canApply: true, canForceExecute: true, canOverridePolicyCheck: true },
      targetAddrs: null,
      variables: [],
    });
    expect(run.createdAt).toEqual(new Date('2021-05-24T07:38:04.171Z'));
    expect(run.statusTimestamps?.planQueueableAt).toEqual(new Date('2021-05-24T07:38:04+00:00'));
    expect(run.canceledAt).toBeNull();
    expect(run.raw).toEqual(fixture<{ data: unknown }>('runs/get-run-details.json').data);
    expect(Object.keys(run)).not.toContain('raw');
  });

  it('sends run variables as the documented key/value list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('runs/create-a-run.json'), 201);
      }),
    );
    const { attributes } = fixture<{ attributes: { variables: Array<{ key: string; value: string }> } }>(
      'runs/requests/create-a-run-sample-run-variables.json',
    );
    await testClient().runs.create({ workspaceId: 'ws-1', variables: attributes.variables });
    expect(JSON.parse(seen[0]!.body).data.attributes).toEqual(attributes);
  });

  it('sends include as a comma list and types the included plan, apply and user', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1`, async ({ request }) => {
        await record(request);
        return jsonApi({
          data: {
            id: 'run-1',
            type: 'runs',
            attributes: { status: 'applied', 'has-changes': true },
            relationships: {
              plan: { data: { id: 'plan-1', type: 'plans' } },
              apply: { data: { id: 'apply-1', type: 'applies' } },
              'created-by': { data: { id: 'user-1', type: 'users' } },
              'configuration-version': { data: { id: 'cv-1', type: 'configuration-versions' } },
              workspace: { data: { id: 'ws-1', type: 'workspaces' } },
              'cost-estimate': { data: null },
            },
          },
          included: [
            { ...fixture<{ data: object }>('plans/show-a-plan.json').data, id: 'plan-1' },
            { ...fixture<{ data: object }>('applies/show-an-apply.json').data, id: 'apply-1' },
            { id: 'user-1', type: 'users', attributes: { username: 'ci-bot', 'is-service-account': true } },
            {
              id: 'cv-1',
              type: 'configuration-versions',
              attributes: { status: 'uploaded', source: 'tfe-api' },
              relationships: { 'ingress-attributes': { data: { id: 'ia-1', type: 'ingress-attributes' } } },
            },
            {
              id: 'ia-1',
              type: 'ingress-attributes',
              attributes: { 'commit-sha': 'abc123', branch: 'main' },
            },
          ],
        });
      }),
    );
    const run = await testClient().runs.read('run-1', {
      include: ['plan', 'apply', 'created_by', 'configuration_version.ingress_attributes'],
    });
    expect(seen[0]!.url.search).toBe(
      '?include=plan%2Capply%2Ccreated_by%2Cconfiguration_version.ingress_attributes',
    );
    expect(run.plan).toMatchObject({
      id: 'plan-1',
      status: 'finished',
      resourceChanges: 1,
      hasChanges: true,
    });
    expect(run.apply).toMatchObject({ id: 'apply-1', resourceAdditions: 1 });
    expect(run.createdBy).toMatchObject({ username: 'ci-bot', isServiceAccount: true });
    expect(run.configurationVersion?.ingressAttributes).toMatchObject({
      commitSha: 'abc123',
      branch: 'main',
    });
    expect(run.relationships.workspace).toEqual({ id: 'ws-1', type: 'workspaces' });
    expect(run.relationships.costEstimate).toBeNull();
    expect(run.workspace).toBeUndefined();
  });

  it('keeps a status and attributes the SDK has never heard of', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi({
          data: { id: 'run-1', type: 'runs', attributes: { status: 'quantum_planning', 'new-thing': 7 } },
        }),
      ),
    );
    const run: Run = await testClient().runs.read('run-1');
    expect(run.status).toBe('quantum_planning');
    expect(run.newThing).toBe(7);
    expect(run.actions.isConfirmable).toBe(false);
  });

  it('throws NotFoundError that says it may also mean no permission', async () => {
    server.use(
      http.get(`${API}/runs/run-404`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404, { 'X-Request-Id': 'req-9' }),
      ),
    );
    const err = await testClient()
      .runs.read('run-404')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ status: 404, requestId: 'req-9', path: '/api/v2/runs/run-404' });
    expect((err as Error).message).toContain('or this token is not allowed to see it');
  });

  it('rejects a path-changing id without sending anything', async () => {
    await expect(testClient().runs.read('../workspaces/ws-1')).rejects.toThrow(InputValidationError);
  });
});

describe('runs.list', () => {
  it('sends paging and filters with encoded brackets and returns the page with its pagination', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/workspaces/ws-yF7z4gyEQRhaCNG9/runs`, async ({ request }) => {
        await record(request);
        return jsonApi({
          ...fixture<object>('runs/list-runs-in-a-workspace.json'),
          meta: fixture<{ meta: object }>('common/pagination.json').meta,
        });
      }),
    );
    const page = await testClient().runs.list('ws-yF7z4gyEQRhaCNG9', {
      pageNumber: 1,
      pageSize: 50,
      status: ['planned', 'applied'],
      operation: 'plan_only',
      source: 'tfe-api',
      statusGroup: 'non_final',
      include: ['plan'],
    });
    expect(seen[0]!.url.search).toBe(
      '?page%5Bnumber%5D=1&page%5Bsize%5D=50&filter%5Bstatus%5D=planned%2Capplied&filter%5Boperation%5D=plan_only' +
        '&filter%5Bsource%5D=tfe-api&filter%5Bstatus_group%5D=non_final&include=plan',
    );
    expect(page.items.map((r) => r.id)).toEqual(['run-CZcmD7eagjhyX0vN']);
    expect(page.pagination).toEqual({
      currentPage: 1,
      prevPage: null,
      nextPage: 2,
      totalPages: 2,
      totalCount: 21,
    });
  });

  it('iterates every run across pages with for await', async () => {
    server.use(http.get(`${API}/workspaces/ws-1/runs`, ({ request }) => jsonApi(runsPage(request, 3, 2))));
    const ids: string[] = [];
    for await (const run of testClient().runs.list('ws-1', { pageSize: 2 })) ids.push(run.id);
    expect(ids).toEqual(['run-1-0', 'run-1-1', 'run-2-0', 'run-2-1', 'run-3-0', 'run-3-1']);
  });

  it('fetches later pages `concurrency` at a time and still yields them in order', async () => {
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    let inFlight = 0;
    let maxInFlight = 0;
    let release!: () => void;
    const full = new Promise<void>((r) => (release = r));
    server.use(
      http.get(`${API}/workspaces/ws-1/runs`, async ({ request }) => {
        const n = Number(new URL(request.url).searchParams.get('page[number]') ?? '1');
        if (n > 1) {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          // Held until three pages are in flight at once, or long enough to show they never are.
          if (inFlight === 3) release();
          await Promise.race([full, sleep(500)]);
          // Page 2 answers last: order must come from the iterator, not from arrival.
          if (n === 2) await sleep(20);
          inFlight--;
        }
        return jsonApi(runsPage(request, 6, 1));
      }),
    );
    const runs = await testClient()
      .runs.list('ws-1', { pageSize: 1, concurrency: 3 })
      .toArray({ limit: 100 });
    expect(runs.map((r) => r.id)).toEqual(['run-1-0', 'run-2-0', 'run-3-0', 'run-4-0', 'run-5-0', 'run-6-0']);
    // Three, as asked: not one at a time, and not the default four.
    expect(maxInFlight).toBe(3);
  });

  it('toArray stops at the limit without fetching further pages', async () => {
    let requests = 0;
    server.use(
      http.get(`${API}/workspaces/ws-1/runs`, ({ request }) => {
        requests++;
        return jsonApi(runsPage(request, 10, 2));
      }),
    );
    const runs = await testClient().runs.list('ws-1').toArray({ limit: 3 });
    expect(runs).toHaveLength(3);
    expect(requests).toBe(2);
  });

  it('toArray requires a limit', async () => {
    await expect(
      testClient()
        .runs.list('ws-1')
        .toArray({} as never),
    ).rejects.toThrow('toArray needs { limit }');
  });

  it('sends the agent pool and timeframe filters the docs list for both run lists', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/workspaces/ws-1/runs`, async ({ request }) => {
        await record(request);
        return jsonApi({ data: [] });
      }),
      http.get(`${API}/organizations/acme/runs`, async ({ request }) => {
        await record(request);
        return jsonApi({ data: [] });
      }),
    );
    const tfe = testClient();
    await tfe.runs.list('ws-1', { agentPoolNames: ['pool a', 'pool-b'], timeframe: 2024 });
    await tfe.runs.listForOrganization('acme', {
      workspaceNames: ['net', 'dns'],
      agentPoolNames: 'pool-b',
      timeframe: 'year',
      operation: ['plan_only', 'action_only'],
    });
    expect(seen.map((r) => r.url.search)).toEqual([
      '?filter%5Bagent_pool_names%5D=pool%20a%2Cpool-b&filter%5Btimeframe%5D=2024',
      '?filter%5Boperation%5D=plan_only%2Caction_only&filter%5Bagent_pool_names%5D=pool-b' +
        '&filter%5Btimeframe%5D=year&filter%5Bworkspace_names%5D=net%2Cdns',
    ]);
  });

  it.each([
    [{ timeframe: 'last-year' }, 'timeframe'],
    [{ timeframe: 24 }, 'timeframe'],
    [{ workspaceNames: ['net'] }, 'workspaceNames'],
  ])(
    'refuses the workspace list filter %j before sending (workspaceNames is for organization lists)',
    async (params, field) => {
      const attempt = testClient()
        .runs.list('ws-1', params as never)
        .toArray({ limit: 1 });
      await expect(attempt).rejects.toMatchObject({ name: 'InputValidationError', field });
    },
  );

  it('lists an organization’s runs', async () => {
    server.use(
      http.get(`${API}/organizations/acme-corp_1/runs`, () =>
        jsonApi(fixture('runs/list-runs-in-an-organization.json')),
      ),
    );
    const page = await testClient().runs.listForOrganization('acme-corp_1');
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0]!.type).toBe('runs');
  });
});

describe('run actions', () => {
  it.each([
    ['apply', 'apply', 'Looks good to me'],
    ['discard', 'discard', 'This run was discarded'],
    ['cancel', 'cancel', 'This run was stuck and would never finish.'],
    ['forceCancel', 'force-cancel', 'This run was stuck and would never finish.'],
  ] as const)('%s posts {comment} to actions/%s and resolves on 202', async (method, action, comment) => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs/run-DQGdmrWMX8z9yWQB/actions/${action}`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await expect(testClient().runs[method]('run-DQGdmrWMX8z9yWQB', { comment })).resolves.toBeUndefined();
    expect(JSON.parse(seen[0]!.body)).toEqual({ comment });
    expect(seen[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
  });

  it('sends no body when there is no comment', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs/run-1/actions/apply`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await testClient().runs.apply('run-1');
    expect(seen[0]!.body).toBe('');
  });

  it('forceExecute posts with no body', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/runs/run-1/actions/force-execute`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await testClient().runs.forceExecute('run-1');
    expect(seen[0]!.body).toBe('');
  });

  it('a 409 is a ConflictError carrying the server’s detail, and is not retried', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/runs/run-1/actions/apply`, () => {
        calls++;
        return jsonApi(
          { errors: [{ status: '409', title: 'transition not allowed', detail: 'Run is not confirmable' }] },
          409,
        );
      }),
    );
    const err = await testClient()
      .runs.apply('run-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).errors).toEqual([
      { status: '409', title: 'transition not allowed', detail: 'Run is not confirmable' },
    ]);
    expect((err as Error).message).toBe(
      '409 Conflict on POST /api/v2/runs/run-1/actions/apply: transition not allowed: Run is not confirmable',
    );
    expect(calls).toBe(1);
  });

  it('a 403 from force-execute is a PermissionDeniedError', async () => {
    server.use(
      http.post(`${API}/runs/run-1/actions/force-execute`, () =>
        jsonApi({ errors: [{ status: '403', title: 'forbidden', detail: 'Run is not pending' }] }, 403),
      ),
    );
    await expect(testClient().runs.forceExecute('run-1')).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('rejects an unknown action option', async () => {
    await expect(testClient().runs.apply('run-1', { coment: 'x' } as never)).rejects.toThrow(
      'runs.apply: unknown option "coment".',
    );
  });
});

describe('runs.events', () => {
  it('lists the run’s events from /runs/:id/run-events', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/run-events`, async ({ request }) => {
        await record(request);
        return jsonApi({
          data: [
            {
              id: 're-1',
              type: 'run-events',
              attributes: { action: 'queued', 'created-at': '2024-01-01T00:00:00Z' },
            },
          ],
        });
      }),
    );
    const page = await testClient().runs.events('run-1');
    expect(seen).toHaveLength(1);
    expect(page.items.map((e) => [e.id, e.action])).toEqual([['re-1', 'queued']]);
  });
});

describe('runs.read options', () => {
  it('rejects a misspelled option before sending', async () => {
    await expect(testClient().runs.read('run-1', { inclde: ['plan'] } as never)).rejects.toThrow(
      'runs.read: unknown option "inclde".',
    );
  });
});
