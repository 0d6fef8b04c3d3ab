import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe, RunScenario } from '../../src/testing/index.js';
import { api, createRun, type Doc, fastFake, pollRun, uploadConfig } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

const T = 15_000;

async function start(scenario: RunScenario, attributes: Record<string, unknown> = {}) {
  fake = await fastFake();
  fake.core.nextRun(scenario);
  const run = (await createRun(fake, attributes, await uploadConfig(fake))).body.data;
  return run.id as string;
}

async function stages(runId: string): Promise<Doc[]> {
  return (await api(fake, 'GET', `/runs/${runId}/task-stages`)).body.data;
}

const failingScanner = { name: 'scanner', result: 'failed' as const, url: 'https://scanner.example/r/1' };

describe('fake TFE: run task stages', () => {
  it.each([
    ['pre_plan', 'pre_plan_awaiting_decision'],
    ['post_plan', 'post_plan_awaiting_decision'],
  ] as const)('a failed mandatory %s task holds the run in %s until overridden', async (stage, waiting) => {
    const runId = await start({ runTasks: [{ ...failingScanner, stage }] });
    const run = await pollRun(fake, runId, [waiting], T);
    expect(run.attributes.actions['is-discardable']).toBe(true);
    const [ts] = await stages(runId);
    expect(ts.attributes).toMatchObject({
      stage,
      status: 'awaiting_override',
      actions: { 'is-overridable': true },
      permissions: { 'can-override': true, 'can-override-tasks': true, 'can-override-policy': true },
    });
    expect(ts.relationships.run.data.id).toBe(runId);
    const res = await api(fake, 'POST', `/task-stages/${ts.id}/actions/override`, { comment: 'accepted' });
    expect(res.status).toBe(200);
    expect(res.body.data.attributes.status).toBe('running');
    expect(res.body.data.attributes['status-timestamps']).toHaveProperty('awaiting-override-at');
    await pollRun(fake, runId, ['policy_checked'], T);
    const [after] = await stages(runId);
    // Its result still failed: the stage ends failed, though the run went on.
    expect(after.attributes.status).toBe('failed');
    expect(fake.core.run(runId)?.statusTimestamps).toHaveProperty(`${stage.replace('_', '-')}-completed-at`);
  });

  it('a passing stage runs and completes without a pause', async () => {
    const runId = await start({ runTasks: [{ name: 'linter', stage: 'pre_plan' }] });
    await pollRun(fake, runId, ['policy_checked'], T);
    const [ts] = await stages(runId);
    expect(ts.attributes).toMatchObject({
      stage: 'pre_plan',
      status: 'passed',
      actions: { 'is-overridable': false },
    });
    expect(Object.keys(ts.attributes['status-timestamps'])).toEqual(['running-at', 'passed-at']);
  });

  it('an advisory failure marks the stage failed and the run goes on', async () => {
    const runId = await start({ runTasks: [{ ...failingScanner, enforcementLevel: 'advisory' }] });
    await pollRun(fake, runId, ['policy_checked'], T);
    const [ts] = await stages(runId);
    expect(ts.attributes.status).toBe('failed');
    const result = (await api(fake, 'GET', `/task-results/${ts.relationships['task-results'].data[0].id}`))
      .body.data;
    expect(result.attributes).toMatchObject({
      status: 'failed',
      'task-name': 'scanner',
      'workspace-task-enforcement-level': 'advisory',
      url: 'https://scanner.example/r/1',
      stage: 'post_plan',
    });
    expect(result.relationships['task-stage'].data.id).toBe(ts.id);
  });

  it('a failed mandatory pre-apply task errors the run; the apply never runs', async () => {
    const runId = await start(
      { runTasks: [{ ...failingScanner, stage: 'pre_apply' }] },
      { 'auto-apply': true },
    );
    await pollRun(fake, runId, ['errored'], T);
    const timeline = Object.keys(fake.core.run(runId)?.statusTimestamps ?? {});
    expect(timeline).toContain('pre-apply-running-at');
    expect(timeline).not.toContain('applying-at');
    expect((await api(fake, 'GET', `/runs/${runId}/apply`)).body.data.attributes.status).toBe('unreachable');
    expect((await stages(runId))[0].attributes).toMatchObject({ stage: 'pre_apply', status: 'failed' });
    expect(fake.core.workspace('demo').lock).toBeNull();
  });

  it('a failed post-apply task marks its stage failed; the run is applied', async () => {
    const runId = await start(
      { runTasks: [{ ...failingScanner, stage: 'post_apply' }] },
      { 'auto-apply': true },
    );
    await pollRun(fake, runId, ['applied'], T);
    const timeline = Object.keys(fake.core.run(runId)?.statusTimestamps ?? {});
    expect(timeline.indexOf('post-apply-running-at')).toBeGreaterThan(timeline.indexOf('applying-at'));
    expect((await api(fake, 'GET', `/runs/${runId}/apply`)).body.data.attributes.status).toBe('finished');
    expect((await stages(runId))[0].attributes).toMatchObject({ stage: 'post_apply', status: 'failed' });
  });

  it('reads a stage with its task results and policy evaluations included', async () => {
    const runId = await start({
      runTasks: [failingScanner, { name: 'linter', enforcementLevel: 'advisory' }],
      policySets: [{ name: 'opa-set', policies: [{ name: 'tags' }] }],
    });
    await pollRun(fake, runId, ['post_plan_awaiting_decision'], T);
    const [listed] = await stages(runId);
    const res = await api(
      fake,
      'GET',
      `/task-stages/${listed.id}?include=task_results,policy_evaluations,run`,
    );
    expect(res.status).toBe(200);
    const types = res.body.included.map((r: Doc) => r.type).sort();
    expect(types).toEqual(['policy-evaluations', 'runs', 'task-results', 'task-results']);
    const bad = await api(fake, 'GET', `/task-stages/${listed.id}?include=nonsense`);
    expect(bad.status).toBe(400);
    expect((await api(fake, 'GET', '/task-stages/ts-missing')).status).toBe(404);
    expect((await api(fake, 'GET', '/task-results/taskrs-missing')).status).toBe(404);
  });

  it('refuses an override that nothing waits for (409) and one the token may not make (403)', async () => {
    const runId = await start({ runTasks: [{ name: 'linter' }] });
    await pollRun(fake, runId, ['policy_checked'], T);
    const [ts] = await stages(runId);
    expect((await api(fake, 'POST', `/task-stages/${ts.id}/actions/override`)).status).toBe(409);

    fake.core.nextRun({ runTasks: [failingScanner], canOverride: false });
    const cv = await uploadConfig(fake);
    await api(fake, 'POST', `/runs/${runId}/actions/discard`);
    const second = (await createRun(fake, {}, cv)).body.data.id as string;
    await pollRun(fake, second, ['post_plan_awaiting_decision'], T);
    const [held] = await stages(second);
    expect(held.attributes.permissions['can-override']).toBe(false);
    expect((await api(fake, 'POST', `/task-stages/${held.id}/actions/override`)).status).toBe(403);
  });

  it('pages a run’s task stages', async () => {
    const runId = await start({
      runTasks: [
        { name: 'a', stage: 'pre_plan' },
        { name: 'b', stage: 'post_plan' },
      ],
    });
    await pollRun(fake, runId, ['policy_checked'], T);
    const page = (await api(fake, 'GET', `/runs/${runId}/task-stages?page%5Bsize%5D=1`)).body;
    expect(page.data).toHaveLength(1);
    expect(page.meta.pagination['total-count']).toBe(2);
  });
});

describe('fake TFE: policy evaluations', () => {
  const sets = (overridable: boolean): RunScenario => ({
    policySets: [
      {
        name: 'opa-prod',
        overridable,
        policies: [
          { name: 'require-tags', result: 'failed' },
          { name: 'cost-note', enforcementLevel: 'advisory', result: 'failed' },
          { name: 'ok', result: 'passed' },
        ],
      },
      { name: 'opa-clean', policies: [{ name: 'fine' }] },
    ],
  });

  it('a soft mandatory failure holds the post-plan stage; the override marks the evaluation overridden', async () => {
    const runId = await start(sets(true));
    await pollRun(fake, runId, ['post_plan_awaiting_decision'], T);
    const [ts] = await stages(runId);
    const evals = (await api(fake, 'GET', `/task-stages/${ts.id}/policy-evaluations`)).body.data;
    expect(evals).toHaveLength(1);
    expect(evals[0].attributes).toMatchObject({
      status: 'failed',
      'policy-kind': 'opa',
      'result-count': { 'advisory-failed': 1, errored: 0, 'mandatory-failed': 1, passed: 2 },
    });
    expect(evals[0].relationships['policy-attachable'].data).toEqual({ id: ts.id, type: 'task-stages' });
    await api(fake, 'POST', `/task-stages/${ts.id}/actions/override`);
    await pollRun(fake, runId, ['policy_checked'], T);
    const after = (await api(fake, 'GET', `/task-stages/${ts.id}/policy-evaluations`)).body.data[0];
    expect(after.attributes.status).toBe('overridden');
  });

  it('a hard mandatory failure errors the run', async () => {
    const runId = await start(sets(false));
    await pollRun(fake, runId, ['errored'], T);
    const [ts] = await stages(runId);
    expect(ts.attributes.status).toBe('failed');
  });

  it('lists policy set outcomes, filtered as the docs describe, and reads one', async () => {
    const runId = await start(sets(true));
    await pollRun(fake, runId, ['post_plan_awaiting_decision'], T);
    const [ts] = await stages(runId);
    const evalId = (await api(fake, 'GET', `/task-stages/${ts.id}/policy-evaluations`)).body.data[0].id;
    const all = (await api(fake, 'GET', `/policy-evaluations/${evalId}/policy-set-outcomes`)).body;
    expect(all.data.map((o: Doc) => o.attributes['policy-set-name'])).toEqual(['opa-prod', 'opa-clean']);
    expect(all.meta.pagination['total-count']).toBe(2);
    const q = (s: string) => api(fake, 'GET', `/policy-evaluations/${evalId}/policy-set-outcomes?${s}`);
    const failedMandatory = (
      await q('filter%5B0%5D%5Bstatus%5D=failed&filter%5B0%5D%5BenforcementLevel%5D=mandatory')
    ).body;
    expect(failedMandatory.data.map((o: Doc) => o.attributes['policy-set-name'])).toEqual(['opa-prod']);
    // A matching set comes back whole, every outcome in it.
    expect(failedMandatory.data[0].attributes.outcomes).toHaveLength(3);
    expect(failedMandatory.data[0].attributes.outcomes[0]).toEqual({
      policy_name: 'require-tags',
      enforcement_level: 'mandatory',
      status: 'failed',
      query: 'data.terraform.opa-prod.require-tags',
      description: '',
    });
    const goTfeSpelling = (
      await q('filter%5B0%5D%5Bstatus%5D=passed&filter%5B0%5D%5Benforcement_level%5D=advisory')
    ).body;
    expect(goTfeSpelling.data).toHaveLength(0);
    const errored = (await q('filter%5B0%5D%5Bstatus%5D=errored')).body;
    expect(errored.data).toHaveLength(0);
    expect((await q('filter%5B0%5D%5Bstatus%5D=soft_failed')).status).toBe(400);
    const one = await api(fake, 'GET', `/policy-set-outcomes/${all.data[0].id}`);
    expect(one.body.data.attributes).toMatchObject({
      'policy-set-name': 'opa-prod',
      overridable: true,
      'result-count': { 'mandatory-failed': 1, 'advisory-failed': 1, passed: 1, errored: 0 },
    });
    expect((await api(fake, 'GET', '/policy-set-outcomes/psout-missing')).status).toBe(404);
  });

  it('evaluates Sentinel sets in their own evaluation', async () => {
    const runId = await start({
      policySets: [
        { name: 'opa', policies: [{ name: 'a' }] },
        {
          name: 'sentinel',
          kind: 'sentinel',
          policies: [{ name: 'b', enforcementLevel: 'advisory', result: 'failed' }],
        },
      ],
    });
    await pollRun(fake, runId, ['policy_checked'], T);
    const [ts] = await stages(runId);
    const evals = (await api(fake, 'GET', `/task-stages/${ts.id}/policy-evaluations`)).body.data;
    expect(evals.map((e: Doc) => [e.attributes['policy-kind'], e.attributes.status])).toEqual([
      ['opa', 'passed'],
      ['sentinel', 'failed'],
    ]);
  });

  it('serves outcomes only once the evaluation has run', async () => {
    fake = await fastFake({ stepMsByStatus: { post_plan_running: 60_000 } });
    fake.core.nextRun(sets(true));
    const runId = (await createRun(fake, {}, await uploadConfig(fake))).body.data.id;
    await pollRun(fake, runId, ['post_plan_running'], T);
    const [ts] = await stages(runId);
    const evalDoc = (await api(fake, 'GET', `/task-stages/${ts.id}/policy-evaluations`)).body.data[0];
    expect(evalDoc.attributes.status).toBe('running');
    expect(
      (await api(fake, 'GET', `/policy-evaluations/${evalDoc.id}/policy-set-outcomes`)).body.data,
    ).toEqual([]);
  });
});
