import { describe, expect, it } from 'vitest';
import { readDecision } from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

const run = (status: string) => ({
  data: {
    id: 'run-1',
    type: 'runs',
    attributes: {
      status,
      actions: { 'is-cancelable': false, 'is-confirmable': false, 'is-discardable': true },
    },
  },
});

function taskResult(id: string, name: string, level: string, status: string) {
  const doc = fixture<{ data: { attributes: Record<string, unknown> } }>(
    'task-stages/show-a-run-task-result.json',
  );
  return {
    ...doc.data,
    id,
    attributes: {
      ...doc.data.attributes,
      'task-name': name,
      'workspace-task-enforcement-level': level,
      status,
      message: `${name} says ${status}`,
      url: `https://scanner.example/${name}`,
    },
  };
}

/** A post-plan stage awaiting an override: a failed mandatory task, a passed advisory one, a failed OPA set. */
function stageDocument(permissions: Record<string, boolean> = { 'can-override': true }) {
  const evaluation = fixture<{ data: Array<{ attributes: Record<string, unknown> }> }>(
    'policy-evaluations/list-policy-evaluations-in-the-task-stage.json',
  ).data[0]!;
  return {
    data: [
      {
        id: 'ts-1',
        type: 'task-stages',
        attributes: {
          status: 'awaiting_override',
          stage: 'post_plan',
          'status-timestamps': {},
          actions: { 'is-overridable': true },
          permissions,
        },
        relationships: {
          run: { data: { id: 'run-1', type: 'runs' } },
          'task-results': {
            data: [
              { id: 'taskrs-1', type: 'task-results' },
              { id: 'taskrs-2', type: 'task-results' },
            ],
          },
          'policy-evaluations': { data: [{ id: 'poleval-8Jj9Hfoz892D9WMX', type: 'policy-evaluations' }] },
        },
      },
    ],
    included: [
      taskResult('taskrs-1', 'scanner', 'mandatory', 'failed'),
      taskResult('taskrs-2', 'linter', 'advisory', 'passed'),
      {
        ...evaluation,
        attributes: {
          ...evaluation.attributes,
          status: 'failed',
          'result-count': { 'advisory-failed': 1, errored: 0, 'mandatory-failed': 0, passed: 0 },
        },
      },
    ],
  };
}

describe('readDecision', () => {
  it('reads a task stage’s failed tasks and policies in two requests', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/task-stages`, async ({ request }) => {
        await record(request);
        return jsonApi(stageDocument());
      }),
      http.get(
        `${API}/policy-evaluations/poleval-8Jj9Hfoz892D9WMX/policy-set-outcomes`,
        async ({ request }) => {
          await record(request);
          return jsonApi(fixture('policy-evaluations/list-policy-outcomes.json'));
        },
      ),
    );
    const decision = await readDecision(testClient(), { id: 'run-1', status: 'post_plan_awaiting_decision' });
    expect(seen.map((s) => s.url.pathname + s.url.search)).toEqual([
      '/api/v2/runs/run-1/task-stages?include=task_results%2Cpolicy_evaluations',
      '/api/v2/policy-evaluations/poleval-8Jj9Hfoz892D9WMX/policy-set-outcomes?filter%5B0%5D%5Bstatus%5D=failed&filter%5B1%5D%5Bstatus%5D=errored',
    ]);
    expect(decision).toEqual({
      kind: 'task_stage',
      stage: 'post_plan',
      taskStageId: 'ts-1',
      policyCheckIds: [],
      failedTasks: [
        {
          taskResultId: 'taskrs-1',
          name: 'scanner',
          enforcementLevel: 'mandatory',
          status: 'failed',
          message: 'scanner says failed',
          url: 'https://scanner.example/scanner',
        },
      ],
      failedPolicies: [
        {
          kind: 'opa',
          policySetName: 'opa-policies-vcs',
          policyName: 'policyVCS',
          enforcementLevel: 'advisory',
          status: 'failed',
          description: null,
          overridable: true,
          sourceId: 'psout-cu8E9a97LBepZZXd',
        },
      ],
      canOverride: true,
    });
  });

  it('says the token may not override when the stage’s permissions say no for tasks', async () => {
    server.use(
      http.get(`${API}/runs/run-1/task-stages`, () =>
        jsonApi(stageDocument({ 'can-override': true, 'can-override-tasks': false })),
      ),
      http.get(`${API}/policy-evaluations/:id/policy-set-outcomes`, () => jsonApi({ data: [] })),
    );
    const decision = await readDecision(testClient(), { id: 'run-1', status: 'post_plan_awaiting_decision' });
    expect(decision?.canOverride).toBe(false);
    expect(decision?.failedTasks).toHaveLength(1);
  });

  it('reads the task results one by one when the server ignores include', async () => {
    const doc = stageDocument();
    server.use(
      http.get(`${API}/runs/run-1/task-stages`, () => jsonApi({ data: doc.data })),
      http.get(`${API}/task-results/:id`, ({ params }) =>
        jsonApi({ data: doc.included.find((r) => (r as { id?: string }).id === params.id) }),
      ),
      http.get(`${API}/task-stages/ts-1/policy-evaluations`, () => jsonApi({ data: [] })),
    );
    const decision = await readDecision(testClient(), { id: 'run-1', status: 'post_plan_awaiting_decision' });
    expect(decision?.failedTasks.map((t) => t.name)).toEqual(['scanner']);
  });

  it('reads the soft-failed Sentinel checks of a run in policy_override', async () => {
    server.use(
      http.get(`${API}/runs/run-1/policy-checks`, () =>
        jsonApi(fixture('policy-checks/list-policy-checks.json')),
      ),
    );
    const decision = await readDecision(testClient(), { id: 'run-1', status: 'policy_override' });
    expect(decision).toMatchObject({
      kind: 'policy_check',
      stage: null,
      policyCheckIds: [],
      failedPolicies: [{ kind: 'sentinel', status: 'soft_failed', enforcementLevel: 'soft-mandatory' }],
      // The documented check is overridable, but its permissions say this token may not.
      canOverride: false,
    });
  });

  it('is undefined for a run that waits on nothing', async () => {
    await expect(readDecision(testClient(), { id: 'run-1', status: 'applied' })).resolves.toBeUndefined();
  });
});

describe('runs.waitFor with a run awaiting a decision', () => {
  it('carries the decision, read once the run settles there', async () => {
    let polls = 0;
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi(run(polls++ === 0 ? 'post_plan_running' : 'post_plan_awaiting_decision')),
      ),
      http.get(`${API}/runs/run-1/task-stages`, () => jsonApi(stageDocument())),
      http.get(`${API}/policy-evaluations/:id/policy-set-outcomes`, () => jsonApi({ data: [] })),
    );
    const result = await testClient().runs.waitFor('run-1', { pollIntervalMs: 1 });
    expect(result.outcome).toBe('awaiting_decision');
    expect(result.decision).toMatchObject({ kind: 'task_stage', taskStageId: 'ts-1', canOverride: true });
  });

  it('makes no extra request for a run that settles otherwise', async () => {
    // Any request but the run's own would be unhandled and fail the test.
    server.use(http.get(`${API}/runs/run-1`, () => jsonApi(run('discarded'))));
    const result = await testClient().runs.waitFor('run-1', { pollIntervalMs: 1 });
    expect(result.outcome).toBe('discarded');
    expect(result).not.toHaveProperty('decision');
  });

  it('still ends the wait when the decision cannot be read', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () => jsonApi(run('post_plan_awaiting_decision'))),
      http.get(`${API}/runs/run-1/task-stages`, () => jsonApi({ errors: [{ status: '404' }] }, 404)),
    );
    const result = await testClient().runs.waitFor('run-1', { pollIntervalMs: 1 });
    expect(result.outcome).toBe('awaiting_decision');
    expect(result.decision).toBeUndefined();
  });
});
