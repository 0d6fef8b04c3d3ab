import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import {
  api,
  createRun,
  type Doc,
  fastFake,
  pollRun,
  uploadConfig,
  waitFor,
  workspaceId,
} from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

const varDoc = (attributes: Record<string, unknown>) => ({ data: { type: 'vars', attributes } });

const OUTPUTS_TF = `resource "null_resource" "a" {}
output "name" { value = "demo" }
output "count" {
  value = 3
}
output "secret" {
  value     = "hunter2"
  sensitive = true
}
`;

describe('variables', () => {
  it('creates, lists, updates and deletes a workspace variable', async () => {
    fake = await fastFake();
    const base = `/workspaces/${workspaceId(fake)}/vars`;
    const created = await api(
      fake,
      'POST',
      base,
      varDoc({ key: 'region', value: 'eu', category: 'terraform' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect(id).toMatch(/^var-/);
    expect((await api(fake, 'GET', base)).body.data.map((v: Doc) => v.attributes.key)).toEqual(['region']);
    const updated = await api(fake, 'PATCH', `${base}/${id}`, varDoc({ value: 'us' }));
    expect(updated.body.data.attributes.value).toBe('us');
    expect((await api(fake, 'DELETE', `${base}/${id}`)).status).toBe(204);
    expect((await api(fake, 'GET', base)).body.data).toEqual([]);
  });

  it('refuses a duplicate key in the same category with 422', async () => {
    fake = await fastFake();
    const base = `/workspaces/${workspaceId(fake)}/vars`;
    await api(fake, 'POST', base, varDoc({ key: 'k', value: '1', category: 'env' }));
    const again = await api(fake, 'POST', base, varDoc({ key: 'k', value: '2', category: 'env' }));
    expect(again.status).toBe(422);
    expect(again.body.errors[0].source.pointer).toBe('/data/attributes/key');
  });

  it('never shows the value of a sensitive variable', async () => {
    fake = await fastFake();
    const base = `/workspaces/${workspaceId(fake)}/vars`;
    const created = await api(
      fake,
      'POST',
      base,
      varDoc({ key: 's', value: 'x', category: 'env', sensitive: true }),
    );
    expect(created.body.data.attributes.value).toBeNull();
  });
});

describe('comments and run events', () => {
  it('turns an action comment and a posted comment into run comments', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['policy_checked']);
    await api(fake, 'POST', `/runs/${run.id}/actions/apply`, { comment: 'ship it' });
    const posted = await api(fake, 'POST', `/runs/${run.id}/comments`, {
      data: { type: 'comments', attributes: { body: 'done' } },
    });
    expect(posted.status).toBe(201);
    const list = await api(fake, 'GET', `/runs/${run.id}/comments`);
    expect(list.body.data.map((c: Doc) => c.attributes.body)).toEqual(['ship it', 'done']);
  });

  it('lists a run event per status change', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { 'plan-only': true }, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['planned_and_finished']);
    const events = (await api(fake, 'GET', `/runs/${run.id}/run-events?include=actor`)).body;
    const actions = events.data.map((e: Doc) => e.attributes.action);
    expect(actions[0]).toBe('queued');
    expect(actions.at(-1)).toBe('planned_and_finished');
    expect(events.included[0].type).toBe('users');
  });
});

describe('state versions', () => {
  it('leaves a state version with the outputs of the configuration after an apply', async () => {
    fake = await fastFake();
    const run = (
      await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake, { 'main.tf': OUTPUTS_TF }))
    ).body.data;
    await pollRun(fake, run.id, ['applied']);
    const ws = workspaceId(fake);
    await waitFor(
      () =>
        fake.core.store.stateVersions.size === 1 &&
        [...fake.core.store.stateVersions.values()][0]!.resourcesProcessed,
    );
    const current = (await api(fake, 'GET', `/workspaces/${ws}/current-state-version`)).body.data;
    expect(current.attributes).toMatchObject({ serial: 1, 'resources-processed': true, status: 'finalized' });
    expect(current.relationships.run.data.id).toBe(run.id);
    const outputs = (await api(fake, 'GET', `/state-versions/${current.id}/outputs`)).body.data;
    const byName = Object.fromEntries(outputs.map((o: Doc) => [o.attributes.name, o]));
    expect(byName.name.attributes).toMatchObject({ value: 'demo', type: 'string', sensitive: false });
    expect(byName.count.attributes.value).toBe(3);
    expect(byName.secret.attributes).toMatchObject({ sensitive: true, value: null });
    const secret = (await api(fake, 'GET', `/state-version-outputs/${byName.secret.id}`)).body.data;
    expect(secret.attributes.value).toBe('hunter2');
  });

  it('answers 404 for the current state of a workspace never applied', async () => {
    fake = await fastFake();
    expect((await api(fake, 'GET', `/workspaces/${workspaceId(fake)}/current-state-version`)).status).toBe(
      404,
    );
  });
});

describe('tags', () => {
  it('adds and removes flat tags through the tags relationship', async () => {
    fake = await fastFake();
    const path = `/workspaces/${workspaceId(fake)}/relationships/tags`;
    const doc = (...names: string[]) => ({
      data: names.map((name) => ({ type: 'tags', attributes: { name } })),
    });
    expect((await api(fake, 'POST', path, doc('a', 'b'))).status).toBe(204);
    await api(fake, 'DELETE', path, doc('a'));
    expect(
      (await api(fake, 'GET', `/workspaces/${workspaceId(fake)}`)).body.data.attributes['tag-names'],
    ).toEqual(['b']);
  });

  it('sets key/value tag bindings', async () => {
    fake = await fastFake();
    const path = `/workspaces/${workspaceId(fake)}/tag-bindings`;
    await api(fake, 'PATCH', path, {
      data: [{ type: 'tag-bindings', attributes: { key: 'env', value: 'dev' } }],
    });
    expect((await api(fake, 'GET', path)).body.data[0].attributes).toEqual({ key: 'env', value: 'dev' });
  });
});
