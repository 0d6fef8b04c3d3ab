import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, type ClockedCore, clockedCore, createRun, fastFake, pollRun, uploadConfig } from './helpers.js';

let fake: FakeTfe;
let clocked: ClockedCore | undefined;
afterEach(() => {
  clocked?.close();
  clocked = undefined;
  return fake?.close();
});

describe('scenario hooks', () => {
  it('errors during plan', async () => {
    fake = await fastFake({ scenario: { errorDuring: 'plan' } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['errored']);
    const plan = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data.attributes;
    expect(plan.status).toBe('errored');
    expect((await api(fake, 'GET', `/runs/${run.id}/apply`)).body.data.attributes.status).toBe('unreachable');
  });

  it('errors during apply and frees the workspace', async () => {
    fake = await fastFake();
    fake.core.setScenario('demo', { errorDuring: 'apply' });
    const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['errored']);
    expect((await api(fake, 'GET', `/runs/${run.id}/apply`)).body.data.attributes.status).toBe('errored');
    expect(fake.core.workspace('demo').lock).toBeNull();
  });

  it('plans no changes whatever the configuration', async () => {
    fake = await fastFake();
    fake.core.nextRun({ noChanges: true });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    expect((await pollRun(fake, run.id, ['planned_and_finished'])).attributes['has-changes']).toBe(false);
  });

  it('forces resource counts', async () => {
    fake = await fastFake();
    fake.core.nextRun({ resources: { additions: 1, changes: 3, destructions: 2 } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    const plan = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data.attributes;
    expect([plan['resource-additions'], plan['resource-changes'], plan['resource-destructions']]).toEqual([
      1, 3, 2,
    ]);
  });

  it('soft-fails a policy: policy_override until overridden, then goes on', async () => {
    fake = await fastFake({ scenario: { policySoftFail: true } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const waiting = await pollRun(fake, run.id, ['policy_override']);
    expect(waiting.attributes.actions).toMatchObject({ 'is-confirmable': false, 'is-discardable': true });
    const checks = (await api(fake, 'GET', `/runs/${run.id}/policy-checks`)).body.data;
    expect(checks[0].attributes.status).toBe('soft_failed');
    const override = await api(fake, 'POST', `/policy-checks/${checks[0].id}/actions/override`);
    expect(override.body.data.attributes.status).toBe('overridden');
    await pollRun(fake, run.id, ['policy_checked']);
  });

  it('ends a plan-only run with a soft-failed policy policy_soft_failed', async () => {
    clocked = await clockedCore({ scenario: { policySoftFail: true } });
    const run = await clocked.createRun({ 'plan-only': true });
    await clocked.advance(1000);
    const read = (await clocked.call('GET', `/runs/${run}`)).body.data.attributes;
    expect(read.status).toBe('policy_soft_failed');
    expect(read.actions).toMatchObject({ 'is-confirmable': false, 'is-discardable': false });
    const checks = (await clocked.call('GET', `/runs/${run}/policy-checks`)).body.data;
    expect(checks[0].attributes.status).toBe('soft_failed');
  });

  it('keeps a run in plan_queued for a slow queue', async () => {
    clocked = await clockedCore();
    clocked.core.nextRun({ queueMs: 500 }, 'demo');
    const run = await clocked.createRun();
    await clocked.advance(400);
    expect(clocked.core.run(run)?.status).toBe('plan_queued');
    await clocked.advance(1000);
    expect(clocked.core.run(run)?.status).toBe('policy_checked');
  });

  it('waits for a post-plan run task decision, then goes on after the override', async () => {
    fake = await fastFake({ scenario: { awaitDecision: 'post_plan' } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['post_plan_awaiting_decision']);
    const stages = (await api(fake, 'GET', `/runs/${run.id}/task-stages`)).body.data;
    expect(stages[0].attributes).toMatchObject({ stage: 'post_plan', status: 'awaiting_override' });
    await api(fake, 'POST', `/task-stages/${stages[0].id}/actions/override`);
    await pollRun(fake, run.id, ['policy_checked']);
  });

  it('waits for a pre-plan run task decision and can be discarded there', async () => {
    fake = await fastFake({ scenario: { awaitDecision: 'pre_plan' } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const waiting = await pollRun(fake, run.id, ['pre_plan_awaiting_decision']);
    expect(waiting.attributes.actions['is-discardable']).toBe(true);
    expect((await api(fake, 'POST', `/runs/${run.id}/actions/discard`)).status).toBe(202);
  });

  it('skips phases that are turned off', async () => {
    fake = await fastFake({ scenario: { costEstimation: false, policyCheck: false, postPlanTasks: false } });
    const seen = new Set<string>();
    fake.core.onRunStatus((r) => seen.add(r.status));
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['planned']);
    expect([...seen]).toEqual(['pending', 'plan_queued', 'planning', 'planned']);
  });

  it('uses a next-run scenario once, then the workspace scenario again', async () => {
    fake = await fastFake();
    fake.core.setScenario('demo', { noChanges: true });
    fake.core.nextRun({ noChanges: false });
    const cv = await uploadConfig(fake);
    const first = (await createRun(fake, { 'plan-only': true }, cv)).body.data;
    const second = (await createRun(fake, { 'plan-only': true }, cv)).body.data;
    expect((await pollRun(fake, first.id, ['planned_and_finished'])).attributes['has-changes']).toBe(true);
    expect((await pollRun(fake, second.id, ['planned_and_finished'])).attributes['has-changes']).toBe(false);
  });
});
