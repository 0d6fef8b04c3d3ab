import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, fastFake, pollRun, uploadConfig } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

describe('run lifecycle', () => {
  it('plans, pauses for confirmation, then applies after apply', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const run = (await createRun(fake, {}, cv)).body.data;
    // Every stage is on by default: the run pauses in the Sentinel check's completed state.
    const planned = await pollRun(fake, run.id, ['policy_checked']);
    expect(planned.attributes.actions).toEqual({
      'is-cancelable': false,
      'is-confirmable': true,
      'is-discardable': true,
      'is-force-cancelable': false,
    });
    expect(planned.attributes['has-changes']).toBe(true);
    expect((await api(fake, 'POST', `/runs/${run.id}/actions/apply`, { comment: 'lgtm' })).status).toBe(202);
    const applied = await pollRun(fake, run.id, ['applied']);
    expect(Object.keys(applied.attributes['status-timestamps'])).toEqual(
      expect.arrayContaining([
        'plan-queueable-at',
        'planning-at',
        'planned-at',
        'confirmed-at',
        'applied-at',
      ]),
    );
    expect(fake.core.run(run.id)?.comments).toEqual([
      expect.objectContaining({ action: 'apply', body: 'lgtm' }),
    ]);
  });

  it('goes through every plan phase in order', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const seen: string[] = [];
    fake.core.onRunStatus((r) => {
      if (seen.at(-1) !== r.status) seen.push(r.status);
    });
    const run = (await createRun(fake, { 'auto-apply': true }, cv)).body.data;
    await fake.core.waitForRunStatus(run.id, 'applied');
    expect(seen).toEqual([
      'pending',
      'plan_queued',
      'planning',
      'planned',
      'post_plan_running',
      'post_plan_completed',
      'cost_estimating',
      'cost_estimated',
      'policy_checking',
      'policy_checked',
      'confirmed',
      'apply_queued',
      'applying',
      'applied',
    ]);
  });

  it('ends a plan-only run planned_and_finished', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { 'plan-only': true }, await uploadConfig(fake))).body.data;
    const done = await pollRun(fake, run.id, ['planned_and_finished']);
    expect(done.attributes['plan-only']).toBe(true);
    expect(done.attributes['has-changes']).toBe(true);
  });

  it('ends a run with nothing to change planned_and_finished with has-changes false', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake, { 'main.tf': 'terraform {}\n' });
    const run = (await createRun(fake, {}, cv)).body.data;
    const done = await pollRun(fake, run.id, ['planned_and_finished']);
    expect(done.attributes['has-changes']).toBe(false);
  });

  it('plans no changes once the same configuration is applied', async () => {
    fake = await fastFake();
    fake.core.workspace('demo').autoApply = true;
    const cv = await uploadConfig(fake);
    const first = (await createRun(fake, {}, cv)).body.data;
    await pollRun(fake, first.id, ['applied']);
    const second = (await createRun(fake, {}, cv)).body.data;
    expect((await pollRun(fake, second.id, ['planned_and_finished'])).attributes['has-changes']).toBe(false);
  });

  it('ends a save-plan run planned_and_saved, still confirmable', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { 'save-plan': true }, await uploadConfig(fake))).body.data;
    const saved = await pollRun(fake, run.id, ['planned_and_saved']);
    expect(saved.attributes.actions['is-confirmable']).toBe(true);
  });

  it('queues a run automatically after an upload with auto-queue-runs', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake, undefined, {});
    const list = await api(fake, 'GET', `/workspaces/${fake.core.workspace('demo').id}/runs`);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].attributes.source).toBe('tfe-configuration-version');
    expect(list.body.data[0].relationships['configuration-version'].data.id).toBe(cv);
  });

  it('counts additions and destructions on the plan and the apply', async () => {
    fake = await fastFake();
    fake.core.workspace('demo').autoApply = true;
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['applied']);
    const plan = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data.attributes;
    const apply = (await api(fake, 'GET', `/runs/${run.id}/apply`)).body.data.attributes;
    expect([plan['resource-additions'], plan['resource-changes'], plan['resource-destructions']]).toEqual([
      2, 0, 0,
    ]);
    expect(plan.status).toBe('finished');
    expect(apply['resource-additions']).toBe(2);
    expect(apply.status).toBe('finished');
    const destroy = (await createRun(fake, { 'is-destroy': true })).body.data;
    await pollRun(fake, destroy.id, ['applied']);
    const dplan = (await api(fake, 'GET', `/runs/${destroy.id}/plan`)).body.data.attributes;
    expect(dplan['resource-destructions']).toBe(2);
  });
});
