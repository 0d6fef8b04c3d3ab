import { describe, expect, it } from 'vitest';
import {
  InputValidationError,
  NotFoundError,
  type PolicyEvaluation,
  type TaskResult,
  TaskStageStatus,
} from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, TOKEN, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

describe('taskStages.list', () => {
  it('GETs the run’s task stages and parses the documented list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-XdgtChJuuUwLoSmw/task-stages`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('task-stages/list-the-run-task-stages-in-a-run.json'));
      }),
    );
    const page = await testClient().taskStages.list('run-XdgtChJuuUwLoSmw');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    const stage = page.items[0]!;
    expect(stage).toMatchObject({
      id: 'ts-rL5ZsuwfjqfPJcdi',
      status: TaskStageStatus.Passed,
      stage: 'post_plan',
      duration: 1000,
      actions: { isOverridable: false },
    });
    expect(stage.statusTimestamps?.passedAt).toEqual(new Date('2022-06-08T20:32:12+08:00'));
    expect(stage.createdAt).toEqual(new Date('2022-06-08T12:31:56.94Z'));
    expect(stage.relationships.run).toEqual({ id: 'run-XdgtChJuuUwLoSmw', type: 'runs' });
    expect(stage.relationships.taskResults).toEqual([
      { id: 'taskrs-EmnmsEDL1jgd1GTP', type: 'task-results' },
    ]);
    expect(stage.relationships.policyEvaluations).toEqual([
      { id: 'poleval-iouaha9KLgGWkBRQ', type: 'policy-evaluations' },
    ]);
  });

  it('sends paging and include with brackets encoded', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/task-stages`, async ({ request }) => {
        await record(request);
        return jsonApi({ data: [] });
      }),
    );
    await testClient().taskStages.list('run-1', {
      pageNumber: 2,
      pageSize: 5,
      include: ['task_results', 'policy_evaluations'],
    });
    expect(seen[0]!.url.search).toBe(
      '?page%5Bnumber%5D=2&page%5Bsize%5D=5&include=task_results%2Cpolicy_evaluations',
    );
  });

  it('refuses an unknown option before sending', async () => {
    await expect(testClient().taskStages.list('run-1', { pagesize: 5 } as never)).rejects.toBeInstanceOf(
      InputValidationError,
    );
  });
});

describe('taskStages.read', () => {
  it('types included task results and policy evaluations on the stage', async () => {
    const { seen, record } = recorder();
    const stage = fixture<{ data: Record<string, unknown> }>('task-stages/show-a-run-task-stage.json').data;
    const result = fixture<{ data: Record<string, unknown> }>('task-stages/show-a-run-task-result.json').data;
    const evaluation = fixture<{ data: Array<Record<string, unknown>> }>(
      'policy-evaluations/list-policy-evaluations-in-the-task-stage.json',
    ).data[0]!;
    server.use(
      http.get(`${API}/task-stages/ts-rL5ZsuwfjqfPJcdi`, async ({ request }) => {
        await record(request);
        return jsonApi({
          data: stage,
          included: [
            { ...result, id: 'taskrs-EmnmsEDL1jgd1GTP' },
            { ...evaluation, id: 'poleval-iouaha9KLgGWkBRQ' },
          ],
        });
      }),
    );
    const read = await testClient().taskStages.read('ts-rL5ZsuwfjqfPJcdi', {
      include: ['task_results', 'policy_evaluations'],
    });
    expect(seen[0]!.url.search).toBe('?include=task_results%2Cpolicy_evaluations');
    const results: TaskResult[] = read.taskResults ?? [];
    expect(results[0]).toMatchObject({
      taskName: 'example-task',
      workspaceTaskEnforcementLevel: 'mandatory',
    });
    const evaluations: PolicyEvaluation[] = read.policyEvaluations ?? [];
    expect(evaluations[0]).toMatchObject({
      policyKind: 'opa',
      resultCount: { passed: 1, mandatoryFailed: 0 },
    });
  });

  it('says a 404 may mean no permission', async () => {
    server.use(
      http.get(`${API}/task-stages/ts-x`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    const err = await testClient()
      .taskStages.read('ts-x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
  });

  it('refuses an id that is not a path segment', async () => {
    await expect(testClient().taskStages.read('../runs/run-1')).rejects.toBeInstanceOf(InputValidationError);
  });
});

describe('taskStages.override', () => {
  it('POSTs to the override action with the comment and parses the documented answer', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/task-stages/ts-F7MumZQcJzVh1ZZk/actions/override`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('task-stages/override-a-task-stage.json'));
      }),
    );
    const stage = await testClient().taskStages.override('ts-F7MumZQcJzVh1ZZk', { comment: 'accepted risk' });
    expect(seen[0]!.method).toBe('POST');
    expect(JSON.parse(seen[0]!.body)).toEqual({ comment: 'accepted risk' });
    expect(stage).toMatchObject({
      status: 'running',
      permissions: { canOverridePolicy: true, canOverrideTasks: false, canOverride: true },
      actions: { isOverridable: false },
    });
    expect(stage.statusTimestamps?.awaitingOverrideAt).toEqual(new Date('2022-09-21T06:31:50+00:00'));
  });

  it('sends no body without a comment', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/task-stages/ts-1/actions/override`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('task-stages/override-a-task-stage.json'));
      }),
    );
    await testClient().taskStages.override('ts-1');
    expect(seen[0]!.body).toBe('');
  });

  it('is not retried after a 503, which may have reached the server', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/task-stages/ts-1/actions/override`, () => {
        calls++;
        return jsonApi({ errors: [{ status: '503', title: 'unavailable' }] }, 503);
      }),
    );
    await expect(testClient().taskStages.override('ts-1')).rejects.toThrow();
    expect(calls).toBe(1);
  });
});

describe('taskResults.read', () => {
  it('GETs the documented result: task, enforcement level, message and link', async () => {
    server.use(
      http.get(`${API}/task-results/taskrs-EmnmsEDL1jgd1GZz`, () =>
        jsonApi(fixture('task-stages/show-a-run-task-result.json')),
      ),
    );
    const r = await testClient().taskResults.read('taskrs-EmnmsEDL1jgd1GZz');
    expect(r).toMatchObject({
      status: 'passed',
      message: 'No issues found.\nSeverity threshold is set to low.',
      url: 'https://external.service/project/task-123abc',
      taskName: 'example-task',
      stage: 'post_plan',
      isSpeculative: false,
      workspaceTaskEnforcementLevel: 'mandatory',
    });
    expect(r.relationships.taskStage).toEqual({ id: 'ts-rL5ZsuwfjqfPJczZ', type: 'task-stages' });
  });
});
