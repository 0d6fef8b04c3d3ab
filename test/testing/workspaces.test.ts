import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TfeClient } from '../../src/index.js';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, fastFake, pollRun, uploadConfig, workspaceId } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

const wsDoc = (attributes: Record<string, unknown>) => ({ data: { type: 'workspaces', attributes } });

describe('workspaces', () => {
  it('reads a workspace by organization and name, and by id', async () => {
    fake = await fastFake();
    const byName = await api(fake, 'GET', `/organizations/${fake.organization}/workspaces/demo`);
    const byId = await api(fake, 'GET', `/workspaces/${byName.body.data.id}`);
    expect(byId.body.data).toEqual(byName.body.data);
  });

  it('returns 404 for an unknown organization', async () => {
    fake = await fastFake();
    expect((await api(fake, 'GET', '/organizations/nope/workspaces/demo')).status).toBe(404);
  });

  it('creates a workspace with its attributes', async () => {
    fake = await fastFake();
    const res = await api(fake, 'POST', `/organizations/${fake.organization}/workspaces`, {
      data: {
        type: 'workspaces',
        attributes: { name: 'new', 'auto-apply': true, 'working-directory': 'infra' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.attributes).toMatchObject({
      name: 'new',
      'auto-apply': true,
      'working-directory': 'infra',
    });
  });

  it('refuses a duplicate name with 422', async () => {
    fake = await fastFake();
    const res = await api(
      fake,
      'POST',
      `/organizations/${fake.organization}/workspaces`,
      wsDoc({ name: 'demo' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors[0].source.pointer).toBe('/data/attributes/name');
  });

  it('updates a workspace by id and by name', async () => {
    fake = await fastFake();
    const byId = await api(fake, 'PATCH', `/workspaces/${workspaceId(fake)}`, wsDoc({ 'auto-apply': true }));
    expect(byId.body.data.attributes['auto-apply']).toBe(true);
    const path = `/organizations/${fake.organization}/workspaces/demo`;
    const byName = await api(fake, 'PATCH', path, wsDoc({ terraform_version: '1.6.0' }));
    expect(byName.body.data.attributes['terraform-version']).toBe('1.6.0');
  });

  it('deletes a workspace', async () => {
    fake = await fastFake();
    const id = workspaceId(fake);
    expect((await api(fake, 'DELETE', `/workspaces/${id}`)).status).toBe(204);
    expect((await api(fake, 'GET', `/workspaces/${id}`)).status).toBe(404);
  });

  it('refuses safe-delete of a workspace that manages resources', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['applied']);
    expect((await api(fake, 'POST', `/workspaces/${workspaceId(fake)}/actions/safe-delete`)).status).toBe(
      409,
    );
  });

  it('locks with a reason and refuses a second lock with 409 naming the holder', async () => {
    fake = await fastFake();
    const path = `/workspaces/${workspaceId(fake)}/actions/lock`;
    const locked = await api(fake, 'POST', path, { reason: 'maintenance' });
    expect(locked.body.data.attributes).toMatchObject({ locked: true, 'locked-reason': 'maintenance' });
    const again = await api(fake, 'POST', path, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].detail).toContain('locked by User fake-user');
  });

  it('refuses to unlock a lock held by another user, but force-unlock releases it', async () => {
    fake = await fastFake();
    const other = fake.core.createToken('someone-else');
    const id = workspaceId(fake);
    await api(fake, 'POST', `/workspaces/${id}/actions/lock`, { reason: 'mine' }, { token: other });
    const unlock = await api(fake, 'POST', `/workspaces/${id}/actions/unlock`);
    expect(unlock.status).toBe(409);
    expect(unlock.body.errors[0].detail).toContain('is locked by User someone-else');
    const forced = await api(fake, 'POST', `/workspaces/${id}/actions/force-unlock`);
    expect(forced.body.data.attributes.locked).toBe(false);
  });

  it('refuses to unlock a workspace held by a run', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    const res = await api(fake, 'POST', `/workspaces/${workspaceId(fake)}/actions/unlock`);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].detail).toContain(`is locked by Run ${run.id}`);
  });

  it('starts a waiting run when its user unlocks the workspace', async () => {
    fake = await fastFake();
    const id = workspaceId(fake);
    await api(fake, 'POST', `/workspaces/${id}/actions/lock`, { reason: 'hold' });
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.core.run(run.id)?.status).toBe('pending');
    await api(fake, 'POST', `/workspaces/${id}/actions/unlock`);
    await pollRun(fake, run.id, ['policy_checked']);
  });

  it('points current-run and current-configuration-version at the latest work', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const run = (await createRun(fake, {}, cv)).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    const ws = (await api(fake, 'GET', `/workspaces/${workspaceId(fake)}?include=current_run`)).body;
    expect(ws.data.relationships['current-run'].data.id).toBe(run.id);
    expect(ws.data.relationships['current-configuration-version'].data.id).toBe(cv);
    expect(ws.included[0].id).toBe(run.id);
  });
});

describe('workspaces by name through the SDK', () => {
  const client = (f: FakeTfe) => new TfeClient({ token: f.token, address: f.url, env: {}, rateLimit: 1000 });

  it('deleteByName removes the workspace', async () => {
    fake = await fastFake();
    const tfe = client(fake);
    await tfe.workspaces.deleteByName(fake.organization, 'demo');
    await expect(tfe.workspaces.read(fake.organization, 'demo')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('safeDeleteByName removes a workspace that manages nothing', async () => {
    fake = await fastFake();
    const tfe = client(fake);
    await tfe.workspaces.safeDeleteByName(fake.organization, 'demo');
    await expect(tfe.workspaces.read(fake.organization, 'demo')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('safeDeleteByName refuses a workspace that manages resources with a ConflictError', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['applied']);
    await expect(client(fake).workspaces.safeDeleteByName(fake.organization, 'demo')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});
