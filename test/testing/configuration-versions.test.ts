import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { TfeClient } from '../../src/index.js';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, fastFake, MAIN_TF, tarball, uploadConfig, waitFor, workspaceId } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

async function newVersion(attributes: Record<string, unknown> = {}) {
  const res = await api(fake, 'POST', `/workspaces/${workspaceId(fake)}/configuration-versions`, {
    data: { type: 'configuration-versions', attributes },
  });
  return res.body.data;
}

describe('configuration versions and the upload server', () => {
  it('creates a pending version with auto-queue-runs on by default', async () => {
    fake = await fastFake();
    const cv = await newVersion();
    expect(cv.id).toMatch(/^cv-[0-9A-Za-z]{16}$/);
    expect(cv.attributes).toMatchObject({
      status: 'pending',
      'auto-queue-runs': true,
      speculative: false,
      provisional: false,
    });
  });

  it('marks the version uploaded after the upload and remembers its files', async () => {
    fake = await fastFake();
    const cv = await newVersion({ 'auto-queue-runs': false });
    const put = await fetch(cv.attributes['upload-url'], {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: await tarball({ 'main.tf': MAIN_TF, 'modules/x/main.tf': '# x\n' }),
    });
    expect(put.status).toBe(200);
    await waitFor(() => fake.core.configurationVersion(cv.id)?.status === 'uploaded');
    const files = fake.core.uploadedFiles(cv.id);
    expect([...(files?.keys() ?? [])].sort()).toEqual(['main.tf', 'modules/x/main.tf']);
    expect(files?.get('main.tf')?.toString()).toBe(MAIN_TF);
    const read = await api(fake, 'GET', `/configuration-versions/${cv.id}`);
    expect(read.body.data.attributes.status).toBe('uploaded');
    // Only the create response carries upload-url (configuration-versions.mdx samples).
    expect(read.body.data.attributes).not.toHaveProperty('upload-url');
  });

  it('by default accepts a re-PUT of the same bytes (a retried upload) and changes nothing', async () => {
    fake = await fastFake();
    const cv = await newVersion({ 'auto-queue-runs': false });
    const body = await tarball({ 'main.tf': MAIN_TF });
    expect((await fetch(cv.attributes['upload-url'], { method: 'PUT', body })).status).toBe(200);
    await waitFor(() => fake.core.configurationVersion(cv.id)?.status === 'uploaded');
    const put = await fetch(cv.attributes['upload-url'], { method: 'PUT', body: Buffer.from(body) });
    expect([put.status, await put.text()]).toEqual([200, '']);
    expect(fake.core.configurationVersion(cv.id)).toMatchObject({ status: 'uploaded', archive: body });
  });

  it("with archivistRePut 'conflict' refuses a re-PUT of the same bytes with 409, changing nothing", async () => {
    fake = await fastFake({ archivistRePut: 'conflict' });
    const cv = await newVersion({ 'auto-queue-runs': false });
    const body = await tarball({ 'main.tf': MAIN_TF });
    expect((await fetch(cv.attributes['upload-url'], { method: 'PUT', body })).status).toBe(200);
    await waitFor(() => fake.core.configurationVersion(cv.id)?.status === 'uploaded');
    const put = await fetch(cv.attributes['upload-url'], { method: 'PUT', body: Buffer.from(body) });
    expect([put.status, await put.text()]).toEqual([409, 'object already uploaded\n']);
    expect(fake.core.configurationVersion(cv.id)).toMatchObject({ status: 'uploaded', archive: body });
  });

  it('createAndUpload against an archivist refusing every re-PUT: a stored PUT whose answer was lost still ends uploaded', async () => {
    // Processing outlasts the retry, so the version still reads pending right after the 409.
    fake = await fastFake({ archivistRePut: 'conflict', uploadProcessingMs: 300 });
    fake.core.injectFault({
      path: /^\/v1\/object\//,
      surface: 'archivist',
      phase: 'after',
      kind: 'status',
      status: 503,
    });
    const tfe = new TfeClient({
      token: fake.token,
      address: fake.url,
      env: {},
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    const body = await tarball({ 'main.tf': MAIN_TF });
    const cv = await tfe.configurationVersions.createAndUpload(workspaceId(fake), body, {
      pollIntervalMs: 20,
    });
    expect(cv.status).toBe('uploaded');
    expect(fake.core.configurationVersion(cv.id)?.archive?.equals(body)).toBe(true);
    const puts = fake.core.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.status)).toEqual([503, 409]);
    tfe.close();
  });

  it('refuses a PUT of other bytes once an archive is stored, keeping the first', async () => {
    fake = await fastFake();
    const cv = await newVersion({ 'auto-queue-runs': false });
    const body = await tarball({ 'main.tf': MAIN_TF });
    await fetch(cv.attributes['upload-url'], { method: 'PUT', body });
    const other = await tarball({ 'main.tf': '# another configuration\n' });
    const put = await fetch(cv.attributes['upload-url'], { method: 'PUT', body: other });
    expect([put.status, await put.text()]).toEqual([409, 'object already uploaded\n']);
    expect(fake.core.configurationVersion(cv.id)?.archive?.equals(body)).toBe(true);
  });

  it('accepts an upload that carries an Authorization header, as the service does, and records the header', async () => {
    fake = await fastFake();
    const cv = await newVersion();
    const put = await fetch(cv.attributes['upload-url'], {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${fake.token}` },
      body: await tarball({ 'main.tf': MAIN_TF }),
    });
    expect(put.status).toBe(200);
    const puts = fake.core.requests.filter((r) => r.surface === 'archivist' && r.method === 'PUT');
    expect(puts.map((r) => r.headers.authorization)).toEqual([`Bearer ${fake.token}`]);
  });

  it('marks the version errored for an archive that is not a tar.gz', async () => {
    fake = await fastFake();
    const cv = await newVersion();
    await fetch(cv.attributes['upload-url'], { method: 'PUT', body: 'definitely not gzip' });
    await waitFor(() => fake.core.configurationVersion(cv.id)?.status !== 'pending');
    const read = (await api(fake, 'GET', `/configuration-versions/${cv.id}`)).body.data.attributes;
    expect(read.status).toBe('errored');
    expect(read['error-message']).toEqual(expect.any(String));
    expect((await createRun(fake, {}, cv.id)).status).toBe(422);
  });

  it('accepts the archive of an empty directory', async () => {
    fake = await fastFake();
    const cv = await newVersion({ 'auto-queue-runs': false });
    await fetch(cv.attributes['upload-url'], { method: 'PUT', body: gzipSync(Buffer.alloc(10240)) });
    await waitFor(() => fake.core.configurationVersion(cv.id)?.status !== 'pending');
    expect(fake.core.configurationVersion(cv.id)?.status).toBe('uploaded');
    expect(fake.core.uploadedFiles(cv.id)?.size).toBe(0);
  });

  it('queues a plan-only run after uploading a speculative version', async () => {
    fake = await fastFake();
    await uploadConfig(fake, undefined, { speculative: true });
    const query = 'filter%5Boperation%5D=plan_only';
    const runs = (await api(fake, 'GET', `/workspaces/${workspaceId(fake)}/runs?${query}`)).body.data;
    expect(runs[0].attributes['plan-only']).toBe(true);
  });

  it('redirects download to the archive on the upload server', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const res = await api(fake, 'GET', `/configuration-versions/${cv}/download`);
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    expect(location.startsWith(fake.uploadUrl)).toBe(true);
    const archive = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('archives an uploaded version', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    expect((await api(fake, 'POST', `/configuration-versions/${cv}/actions/archive`)).status).toBe(202);
    expect((await api(fake, 'GET', `/configuration-versions/${cv}`)).body.data.attributes.status).toBe(
      'archived',
    );
    expect((await api(fake, 'POST', `/configuration-versions/${cv}/actions/archive`)).status).toBe(409);
  });
});
