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

const action = (runId: string, name: string, body?: unknown) =>
  api(fake, 'POST', `/runs/${runId}/actions/${name}`, body);

describe('run actions follow the real rules', () => {
  it('answers 202 with an empty body', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    const res = await action(run.id, 'apply');
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
  });

  it('refuses to apply a run that is not confirmable with 409 transition not allowed', async () => {
    fake = await fastFake({ stepMs: 1000, uploadProcessingMs: 1 });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const res = await action(run.id, 'apply');
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ status: '409', title: 'transition not allowed' });
  });

  it('discards a run waiting for confirmation', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    expect((await action(run.id, 'discard', { comment: 'no' })).status).toBe(202);
    const done = await pollRun(fake, run.id, ['discarded']);
    expect(done.attributes.actions['is-discardable']).toBe(false);
    expect(fake.core.run(run.id)?.comments[0]).toMatchObject({ action: 'discard', body: 'no' });
  });

  it('refuses to discard a run that is applying', async () => {
    fake = await fastFake({ stepMsByStatus: { applying: 2000 } });
    const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['applying']);
    expect((await action(run.id, 'discard')).status).toBe(409);
  });

  it('cancels a planning run', async () => {
    fake = await fastFake({ stepMsByStatus: { planning: 2000 } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['planning']);
    expect((await action(run.id, 'cancel')).status).toBe(202);
    const done = await pollRun(fake, run.id, ['canceled']);
    expect(done.attributes['canceled-at']).not.toBeNull();
    expect((await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data.attributes.status).toBe('canceled');
  });

  it('refuses to cancel a run paused for confirmation', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    expect((await action(run.id, 'cancel')).status).toBe(409);
  });

  it('refuses force-cancel before a cancel', async () => {
    fake = await fastFake({ stepMsByStatus: { planning: 2000 } });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['planning']);
    expect((await action(run.id, 'force-cancel')).status).toBe(409);
  });

  it('allows force-cancel only after a cancel and the cool-off', async () => {
    // A cool-off long enough that the checks right after the cancel cannot outlast it on a busy machine.
    // Planning held long, so a poll on a busy machine cannot miss it (at 5 ms a state it once did).
    fake = await fastFake({
      forceCancelCoolOffMs: 500,
      stepMsByStatus: { planning: 60_000 },
      scenario: { cancelHangs: true },
    });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['planning']);
    await action(run.id, 'cancel');
    const waiting = (await api(fake, 'GET', `/runs/${run.id}`)).body.data.attributes;
    expect(waiting.actions['is-force-cancelable']).toBe(false);
    expect(waiting['force-cancel-available-at']).toEqual(expect.any(String));
    expect((await action(run.id, 'force-cancel')).status).toBe(409);
    const availableIn = Date.parse(waiting['force-cancel-available-at']) - Date.now();
    await new Promise((r) => setTimeout(r, availableIn + 10));
    expect(
      (await api(fake, 'GET', `/runs/${run.id}`)).body.data.attributes.actions['is-force-cancelable'],
    ).toBe(true);
    expect((await action(run.id, 'force-cancel')).status).toBe(202);
    await pollRun(fake, run.id, ['force_canceled']);
  });

  it('keeps a later run pending while an earlier one holds the workspace', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const first = (await createRun(fake, {}, cv)).body.data;
    await pollRun(fake, first.id, ['policy_checked']);
    const second = (await createRun(fake, {}, cv)).body.data;
    await new Promise((r) => setTimeout(r, 50));
    expect((await api(fake, 'GET', `/runs/${second.id}`)).body.data.attributes.status).toBe('pending');
    const ws = (await api(fake, 'GET', `/workspaces/${first.relationships.workspace.data.id}`)).body.data;
    expect(ws.attributes.locked).toBe(true);
    expect(ws.relationships['locked-by'].data).toEqual({ id: first.id, type: 'runs' });
    await action(first.id, 'discard');
    await pollRun(fake, second.id, ['policy_checked']);
  });

  it('refuses force-execute with 403 when the run is not pending', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    expect((await action(run.id, 'force-execute')).status).toBe(403);
  });

  it('refuses force-execute with 403 when nothing locks the workspace', async () => {
    fake = await fastFake({ stepMs: 500, uploadProcessingMs: 1 });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    expect((await action(run.id, 'force-execute')).status).toBe(403);
  });

  it('force-executes a pending run: the holder is discarded and the run starts', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const first = (await createRun(fake, {}, cv)).body.data;
    await pollRun(fake, first.id, ['policy_checked']);
    const second = (await createRun(fake, {}, cv)).body.data;
    expect((await action(second.id, 'force-execute')).status).toBe(202);
    expect((await api(fake, 'GET', `/runs/${first.id}`)).body.data.attributes.status).toBe('discarded');
    await pollRun(fake, second.id, ['policy_checked']);
  });

  it('runs plan-only runs beside a run that holds the workspace', async () => {
    clocked = await clockedCore();
    const { core } = clocked;
    const holder = await clocked.createRun();
    await clocked.advance(1000);
    expect(core.run(holder)?.status).toBe('policy_checked');
    const queued = await clocked.createRun();
    const speculative = await clocked.createRun({ 'plan-only': true });
    await clocked.advance(1000);
    expect([core.run(holder)?.status, core.run(queued)?.status, core.run(speculative)?.status]).toEqual([
      'policy_checked',
      'pending',
      'planned_and_finished',
    ]);
    expect(core.workspace('demo').lock).toMatchObject({ by: 'run', runId: holder });
  });
});
