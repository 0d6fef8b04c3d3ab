import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe, RunScenario } from '../../src/testing/index.js';
import { api, createRun, fastFake, pollRun, uploadConfig } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

/** Every status each run enters, recorded from before its creation. */
function statusLog(f: FakeTfe): (runId: string) => string[] {
  const log = new Map<string, string[]>();
  f.core.onRunStatus((r) => {
    const seen = log.get(r.id) ?? [];
    if (seen.at(-1) !== r.status) seen.push(r.status);
    log.set(r.id, seen);
  });
  return (runId) => log.get(runId) ?? [];
}

const COMPLETED = new Set(['planned', 'post_plan_completed', 'cost_estimated', 'policy_checked']);

// The Run States page: a run that needs confirmation pauses in the completed state of its last stage.
const setups: { setup: string; scenario: RunScenario; pause: string; path: string[] }[] = [
  {
    setup: 'run tasks, cost estimation and Sentinel policies',
    scenario: {},
    pause: 'policy_checked',
    path: ['planned', 'post_plan_completed', 'cost_estimated', 'policy_checked'],
  },
  {
    setup: 'run tasks and cost estimation, no policies',
    scenario: { policyCheck: false },
    pause: 'cost_estimated',
    path: ['planned', 'post_plan_completed', 'cost_estimated'],
  },
  {
    setup: 'post-plan run tasks only',
    scenario: { policyCheck: false, costEstimation: false },
    pause: 'post_plan_completed',
    path: ['planned', 'post_plan_completed'],
  },
  {
    setup: 'nothing after the plan',
    scenario: { policyCheck: false, costEstimation: false, postPlanTasks: false },
    pause: 'planned',
    path: ['planned'],
  },
];

describe('where a run stops (Run States page)', () => {
  for (const { setup, scenario, pause, path } of setups) {
    it(`with ${setup}: pauses confirmable in ${pause}, and apply there is accepted`, async () => {
      fake = await fastFake({ scenario });
      const statuses = statusLog(fake);
      const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
      const paused = await pollRun(fake, run.id, [pause]);
      expect(paused.attributes.actions).toMatchObject({ 'is-confirmable': true, 'is-discardable': true });
      // Still there a while later: it waits for someone.
      await new Promise((r) => setTimeout(r, 50));
      expect(fake.core.run(run.id)?.status).toBe(pause);
      expect(statuses(run.id).filter((s) => COMPLETED.has(s))).toEqual(path);
      expect((await api(fake, 'POST', `/runs/${run.id}/actions/apply`, {})).status).toBe(202);
      await pollRun(fake, run.id, ['applied']);
    });

    it(`with ${setup}: an auto-applied run goes on from ${pause}`, async () => {
      fake = await fastFake({ scenario });
      const statuses = statusLog(fake);
      const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
      await pollRun(fake, run.id, ['applied']);
      const seen = statuses(run.id);
      expect(seen.slice(seen.indexOf(pause), seen.indexOf(pause) + 2)).toEqual([pause, 'confirmed']);
    });
  }

  it('is not confirmable in the completed state of a stage that another follows', async () => {
    fake = await fastFake({ stepMsByStatus: { cost_estimated: 1500 } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const passing = await pollRun(fake, run.id, ['cost_estimated']);
    expect(passing.attributes.actions['is-confirmable']).toBe(false);
    expect((await api(fake, 'POST', `/runs/${run.id}/actions/apply`, {})).status).toBe(409);
    await pollRun(fake, run.id, ['policy_checked'], 5000);
  });

  it('pauses in policy_checked after a soft-failed policy is overridden', async () => {
    fake = await fastFake({ scenario: { policySoftFail: true } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const override = await pollRun(fake, run.id, ['policy_override']);
    expect(override.attributes.actions['is-confirmable']).toBe(false);
    const [check] = (await api(fake, 'GET', `/runs/${run.id}/policy-checks`)).body.data;
    await api(fake, 'POST', `/policy-checks/${check.id}/actions/override`);
    const paused = await pollRun(fake, run.id, ['policy_checked']);
    expect(paused.attributes.actions['is-confirmable']).toBe(true);
  });

  it('ends a plan with no changes planned_and_finished after the stages that still run', async () => {
    fake = await fastFake({ scenario: { noChanges: true } });
    const statuses = statusLog(fake);
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['planned_and_finished']);
    expect(statuses(run.id).slice(-2)).toEqual(['policy_checked', 'planned_and_finished']);
  });

  it('ends a plan errored without going to later stages', async () => {
    fake = await fastFake({ scenario: { errorDuring: 'plan' } });
    const statuses = statusLog(fake);
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['errored']);
    expect(statuses(run.id)).toEqual(['pending', 'plan_queued', 'planning', 'errored']);
  });
});
