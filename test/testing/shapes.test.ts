import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import {
  api,
  createRun,
  type Doc,
  fastFake,
  JSONAPI,
  pollRun,
  uploadConfig,
  workspaceId,
} from './helpers.js';

const fixture = (name: string): Doc =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const keys = (o: object) => Object.keys(o).sort();

let fake: FakeTfe;
afterEach(() => fake?.close());

describe('documents have the attribute names of the API docs', () => {
  it('a run has every attribute and relationship of get-run-details', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { message: 'Custom message' }, await uploadConfig(fake))).body.data;
    const doc = fixture('get-run-details.json').data;
    expect(keys(run.attributes)).toEqual(expect.arrayContaining(keys(doc.attributes)));
    expect(keys(run.relationships)).toEqual(expect.arrayContaining(keys(doc.relationships)));
    expect(keys(run.attributes.actions)).toEqual(keys(doc.attributes.actions));
    expect(run.attributes.permissions).toEqual(doc.attributes.permissions);
    expect(run.id).toMatch(/^run-[0-9A-Za-z]{16}$/);
    expect(run.links.self).toBe(`/api/v2/runs/${run.id}`);
    expect(run.relationships.workspace.data).toEqual({ id: workspaceId(fake), type: 'workspaces' });
  });

  it('a new run looks like the documented pending run', async () => {
    fake = await fastFake({ stepMs: 1000, uploadProcessingMs: 1 });
    const run = (await createRun(fake, { message: 'Custom message' }, await uploadConfig(fake))).body.data;
    const doc = fixture('get-run-details.json').data.attributes;
    for (const key of [
      'status',
      'source',
      'trigger-reason',
      'has-changes',
      'is-destroy',
      'message',
      'plan-only',
    ]) {
      expect(run.attributes[key], key).toEqual(doc[key]);
    }
    expect(keys(run.attributes['status-timestamps'])).toEqual(['plan-queueable-at']);
    expect(run.attributes['status-timestamps']['plan-queueable-at']).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/,
    );
    expect(run.attributes['created-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a workspace has every attribute of show-workspace', async () => {
    fake = await fastFake();
    const ws = (await api(fake, 'GET', `/organizations/${fake.organization}/workspaces/demo`)).body.data;
    const doc = fixture('show-workspace.json').data;
    const documented = keys(doc.attributes).filter((k) => !k.includes('_'));
    expect(keys(ws.attributes)).toEqual(expect.arrayContaining(documented));
    expect(keys(ws.relationships)).toEqual(
      expect.arrayContaining([
        'organization',
        'current-run',
        'current-configuration-version',
        'locked-by',
        'latest-run',
      ]),
    );
    expect(ws.links.self).toBe(`/api/v2/organizations/${fake.organization}/workspaces/demo`);
    expect(ws.id).toMatch(/^ws-[0-9A-Za-z]{16}$/);
  });

  it('a configuration version has every attribute of create-a-configuration-version', async () => {
    fake = await fastFake();
    const res = await api(fake, 'POST', `/workspaces/${workspaceId(fake)}/configuration-versions`, {
      data: { type: 'configuration-versions' },
    });
    const doc = fixture('create-a-configuration-version.json').data;
    expect(res.status).toBe(201);
    expect(keys(res.body.data.attributes)).toEqual(expect.arrayContaining(keys(doc.attributes)));
    expect(res.body.data.attributes['upload-url']).toMatch(new RegExp(`^${fake.uploadUrl}/v1/object/`));
    expect(res.body.data.relationships['ingress-attributes']).toEqual({
      data: null,
      links: { related: `/api/v2/configuration-versions/${res.body.data.id}/ingress-attributes` },
    });
  });

  it('a plan and an apply have every attribute of show-a-plan and show-an-apply', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
    await pollRun(fake, run.id, ['applied']);
    const plan = (await api(fake, 'GET', `/plans/${run.relationships.plan.data.id}`)).body.data;
    const apply = (await api(fake, 'GET', `/applies/${run.relationships.apply.data.id}`)).body.data;
    expect(keys(plan.attributes)).toEqual(
      expect.arrayContaining(keys(fixture('show-a-plan.json').data.attributes)),
    );
    expect(keys(apply.attributes)).toEqual(
      expect.arrayContaining(keys(fixture('show-an-apply.json').data.attributes)),
    );
    expect(plan.id).toMatch(/^plan-[0-9A-Za-z]{16}$/);
    expect(apply.id).toMatch(/^apply-[0-9A-Za-z]{16}$/);
    expect(keys(plan.attributes['status-timestamps'])).toEqual(['finished-at', 'queued-at', 'started-at']);
  });

  it('answers with the JSON:API media type', async () => {
    fake = await fastFake();
    const res = await api(fake, 'GET', `/workspaces/${workspaceId(fake)}`);
    expect(res.headers.get('content-type')).toBe(JSONAPI);
  });

  it('includes related resources asked for with include', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const include =
      'plan,apply,created_by,cost_estimate,configuration_version,configuration_version.ingress_attributes';
    const res = await api(fake, 'GET', `/runs/${run.id}?include=${include}`);
    const types = res.body.included.map((r: Doc) => r.type).sort();
    expect(types).toEqual(['applies', 'configuration-versions', 'cost-estimates', 'plans', 'users']);
    const user = res.body.included.find((r: Doc) => r.type === 'users');
    expect(user.id).toBe(res.body.data.relationships['created-by'].data.id);
    expect(user.attributes.username).toBe('fake-user');
  });

  it('rejects an include the endpoint does not have with 400', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    const res = await api(fake, 'GET', `/runs/${run.id}?include=nonsense`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].title).toBe('Invalid include parameter');
  });

  it('returns 404 as a JSON:API error object for an unknown run', async () => {
    fake = await fastFake();
    const res = await api(fake, 'GET', '/runs/run-doesNotExist0000');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ status: '404', title: 'not found' }] });
  });

  it('renders errors as plain strings when configured', async () => {
    fake = await fastFake({ plainErrors: /\/runs\// });
    const res = await api(fake, 'GET', '/runs/run-doesNotExist0000');
    expect(res.body).toEqual({ errors: ['not found'] });
  });

  it('answers 415 to a POST, PATCH or DELETE without the JSON:API type, even with no body', async () => {
    fake = await fastFake();
    const ws = workspaceId(fake);
    const statuses: number[] = [];
    for (const [method, path] of [
      ['POST', `/workspaces/${ws}/actions/unlock`],
      ['PATCH', `/workspaces/${ws}`],
      ['DELETE', `/workspaces/${ws}`],
    ] as const) {
      const res = await fetch(`${fake.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${fake.token}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([415, 415, 415]);
    // Still there: the refused DELETE did nothing.
    expect((await api(fake, 'GET', `/workspaces/${ws}`)).status).toBe(200);
    // A GET needs no Content-Type.
    const read = await fetch(`${fake.apiUrl}/workspaces/${ws}`, {
      headers: { authorization: `Bearer ${fake.token}` },
    });
    expect(read.status).toBe(200);
  });

  it('rejects a body that is not application/vnd.api+json with 415', async () => {
    fake = await fastFake();
    const res = await api(
      fake,
      'POST',
      `/workspaces/${workspaceId(fake)}/actions/lock`,
      { reason: 'x' },
      {
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(res.status).toBe(415);
  });
});
