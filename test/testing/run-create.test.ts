import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, fastFake, uploadConfig, workspaceId } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

describe('POST /runs', () => {
  it('echoes the create attributes on the run', async () => {
    fake = await fastFake();
    const attributes = {
      message: 'Custom message',
      'is-destroy': false,
      refresh: false,
      'target-addrs': ['null_resource.a'],
      'replace-addrs': ['null_resource.b'],
      'allow-empty-apply': true,
      'debugging-mode': true,
      'auto-apply': true,
      variables: [{ key: 'replicas', value: '2' }],
    };
    const res = await createRun(fake, attributes, await uploadConfig(fake));
    expect(res.status).toBe(201);
    expect(res.body.data.attributes).toMatchObject(attributes);
    expect(res.body.data.attributes.source).toBe('tfe-api');
  });

  it('defaults the message and refresh like the docs', async () => {
    fake = await fastFake();
    const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
    expect(run.attributes.message).toBe('Queued manually via the Terraform Enterprise API');
    expect(run.attributes.refresh).toBe(true);
  });

  it("uses the workspace's latest configuration version when none is given", async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const run = (await createRun(fake)).body.data;
    expect(run.relationships['configuration-version'].data.id).toBe(cv);
  });

  it('returns 404 for an unknown workspace', async () => {
    fake = await fastFake();
    const res = await api(fake, 'POST', '/runs', {
      data: { type: 'runs', relationships: { workspace: { data: { type: 'workspaces', id: 'ws-nope' } } } },
    });
    expect(res.status).toBe(404);
  });

  it('returns 422 for is-destroy with refresh-only', async () => {
    fake = await fastFake();
    const res = await createRun(fake, { 'is-destroy': true, 'refresh-only': true }, await uploadConfig(fake));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].source.pointer).toBe('/data/attributes/refresh-only');
  });

  it('returns 422 for terraform-version on a run that is not plan-only', async () => {
    fake = await fastFake();
    const res = await createRun(fake, { 'terraform-version': '1.5.7' }, await uploadConfig(fake));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].source.pointer).toBe('/data/attributes/terraform-version');
  });

  it('accepts terraform-version on a plan-only run', async () => {
    fake = await fastFake();
    const res = await createRun(
      fake,
      { 'terraform-version': '1.5.7', 'plan-only': true },
      await uploadConfig(fake),
    );
    expect(res.status).toBe(201);
    expect(res.body.data.attributes['terraform-version']).toBe('1.5.7');
  });

  it('returns 422 for a configuration version still being processed', async () => {
    fake = await fastFake();
    const cv = await api(fake, 'POST', `/workspaces/${workspaceId(fake)}/configuration-versions`, {
      data: { type: 'configuration-versions' },
    });
    const res = await createRun(fake, {}, cv.body.data.id);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].detail).toBe('Configuration version is still being processed');
  });

  it('returns 422 when the workspace has no configuration version', async () => {
    fake = await fastFake();
    expect((await createRun(fake)).status).toBe(422);
  });

  it('returns 422 for an attribute of the wrong type', async () => {
    fake = await fastFake();
    const res = await createRun(fake, { 'plan-only': 'yes' }, await uploadConfig(fake));
    expect(res.status).toBe(422);
    expect(res.body.errors[0].source.pointer).toBe('/data/attributes/plan-only');
  });

  it('returns 400 for a body that is not JSON', async () => {
    fake = await fastFake();
    const res = await fetch(`${fake.apiUrl}/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/vnd.api+json' },
      body: '{"data":',
    });
    expect(res.status).toBe(400);
  });
});
