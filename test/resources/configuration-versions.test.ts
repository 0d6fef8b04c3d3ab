import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  type ConfigurationVersion,
  ConfigurationVersionError,
  ConfigurationVersionTimeoutError,
  ConflictError,
  InputValidationError,
  NotFoundError,
  PackError,
  TimeoutError,
  UnprocessableEntityError,
} from '../../src/index.js';
import {
  API,
  fixture,
  HttpResponse,
  http,
  jsonApi,
  recorder,
  TOKEN,
  testClient,
  useMsw,
} from '../helpers/api.js';

const server = useMsw();
const CV_ID = 'cv-ntv3HbhJqvFzamy7';
const UPLOAD_ORIGIN = 'https://archivist.test';

/** A configuration version document with the given status (and error fields). */
function cvDoc(status: string, extra: Record<string, unknown> = {}) {
  return { data: { id: 'cv-1', type: 'configuration-versions', attributes: { status, ...extra } } };
}

/** Answers successive reads of cv-1 with these statuses, repeating the last; counts the reads. */
function statusSequence(...statuses: string[]) {
  let reads = 0;
  server.use(
    http.get(`${API}/configuration-versions/cv-1`, () => {
      const status = statuses[Math.min(reads, statuses.length - 1)]!;
      reads++;
      return jsonApi(cvDoc(status));
    }),
  );
  return () => reads;
}

describe('configurationVersions.create', () => {
  it('posts the documented payload and returns the version with its upload URL', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-2Qhk7LHgbMrm3grF/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('configuration-versions/create-a-configuration-version.json'), 201);
      }),
    );
    const cv = await testClient().configurationVersions.create('ws-2Qhk7LHgbMrm3grF', {
      autoQueueRuns: true,
    });
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(seen[0]!.body)).toEqual(
      fixture('configuration-versions/requests/create-a-configuration-version.json'),
    );
    expect(cv).toMatchObject({
      id: 'cv-UYwHEakurukz85nW',
      type: 'configuration-versions',
      status: 'pending',
      source: 'tfe-api',
      autoQueueRuns: true,
      speculative: false,
      provisional: false,
      error: null,
      errorMessage: null,
      statusTimestamps: {},
      uploadUrl: 'https://archivist.terraform.io/v1/object/9224c6b3-2e14-4cd7-adff-ed484d7294c2',
    });
    expect(cv.relationships.ingressAttributes).toBeNull();
    expect(cv.links).toEqual({ self: '/api/v2/configuration-versions/cv-UYwHEakurukz85nW' });
  });

  it('sends no attributes when none are given, as the API-driven workflow documents', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('configuration-versions/create-a-configuration-version.json'), 201);
      }),
    );
    await testClient().configurationVersions.create('ws-1');
    expect(JSON.parse(seen[0]!.body)).toEqual(
      fixture('configuration-versions/requests/api-driven-run-workflow-create-configuration-version.json'),
    );
  });

  it('sends speculative and provisional kebab-cased', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('configuration-versions/create-a-configuration-version.json'), 201);
      }),
    );
    await testClient().configurationVersions.create('ws-1', {
      autoQueueRuns: false,
      speculative: true,
      provisional: true,
    });
    expect(JSON.parse(seen[0]!.body).data.attributes).toEqual({
      'auto-queue-runs': false,
      speculative: true,
      provisional: true,
    });
  });

  it('rejects a misspelled option before sending', async () => {
    await expect(
      testClient().configurationVersions.create('ws-1', { autoQueueRun: true } as never),
    ).rejects.toThrow('configurationVersions.create: unknown option "autoQueueRun".');
  });

  it('rejects a workspace id that would change the path', async () => {
    const err = await testClient()
      .configurationVersions.create('ws-1/../x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'workspaceId' });
  });
});

describe('configurationVersions.read', () => {
  it('parses the documented version and keeps the raw resource', async () => {
    server.use(
      http.get(`${API}/configuration-versions/${CV_ID}`, () =>
        jsonApi(fixture('configuration-versions/show-a-configuration-version.json')),
      ),
    );
    const cv = await testClient().configurationVersions.read(CV_ID);
    expect(cv).toMatchObject({ id: CV_ID, status: 'uploaded', source: 'gitlab', speculative: false });
    expect(cv.uploadUrl).toBeUndefined();
    expect(cv.relationships.ingressAttributes).toEqual({
      id: 'ia-i4MrTxmQXYxH2nYD',
      type: 'ingress-attributes',
    });
    expect(cv.links?.download).toBe(`/api/v2/configuration-versions/${CV_ID}/download`);
    expect(cv.raw).toEqual(
      fixture<{ data: unknown }>('configuration-versions/show-a-configuration-version.json').data,
    );
  });

  it('sends include and types the included ingress attributes', async () => {
    const { seen, record } = recorder();
    const ingress = fixture<{ data: { id: string } }>(
      'configuration-versions/show-a-configuration-versions-commit-information.json',
    ).data;
    server.use(
      http.get(`${API}/configuration-versions/${CV_ID}`, async ({ request }) => {
        await record(request);
        const doc = fixture<{ data: { relationships: Record<string, unknown> } }>(
          'configuration-versions/show-a-configuration-version.json',
        );
        doc.data.relationships['ingress-attributes'] = {
          data: { id: ingress.id, type: 'ingress-attributes' },
        };
        return jsonApi({ ...doc, included: [ingress] });
      }),
    );
    const cv = await testClient().configurationVersions.read(CV_ID, { include: ['ingress_attributes'] });
    expect(seen[0]!.url.search).toBe('?include=ingress_attributes');
    expect(cv.ingressAttributes).toMatchObject({
      branch: 'add-cool-stuff',
      commitSha: '1e1c1018d1bbc0b8517d072718e0d87c1a0eda95',
      isPullRequest: true,
      pullRequestNumber: 163,
      tag: null,
    });
  });

  it('rejects a misspelled include option before sending', async () => {
    const err = await testClient()
      .configurationVersions.read(CV_ID, { includes: ['ingress_attributes'] } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({
      field: 'includes',
      message: 'configurationVersions.read: unknown option "includes".',
    });
  });

  it('rejects an include that is not a list of names before sending', async () => {
    const err = await testClient()
      .configurationVersions.read(CV_ID, { include: 'ingress_attributes' } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'include' });
  });

  it('percent-encodes the id in the path', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/configuration-versions/:id`, async ({ request }) => {
        await record(request);
        return jsonApi(cvDoc('uploaded'));
      }),
    );
    await testClient().configurationVersions.read('cv-é+1');
    expect(seen[0]!.url.pathname).toBe('/api/v2/configuration-versions/cv-%C3%A9%2B1');
  });

  it('throws NotFoundError for an unknown version', async () => {
    server.use(
      http.get(`${API}/configuration-versions/cv-x`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    await expect(testClient().configurationVersions.read('cv-x')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('configurationVersions.list', () => {
  it('sends paging and include with encoded brackets and parses the documented list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/workspaces/ws-1/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi({
          ...fixture<object>('configuration-versions/list-configuration-versions.json'),
          meta: fixture<{ meta: object }>('common/pagination.json').meta,
        });
      }),
    );
    const page = await testClient().configurationVersions.list('ws-1', {
      pageNumber: 1,
      pageSize: 20,
      include: ['ingress_attributes'],
    });
    expect(seen[0]!.url.search).toBe('?page%5Bnumber%5D=1&page%5Bsize%5D=20&include=ingress_attributes');
    expect(page.items.map((cv) => [cv.id, cv.status, cv.source])).toEqual([
      ['cv-ntv3HbhJqvFzamy7', 'uploaded', 'gitlab'],
    ]);
    expect(page.pagination).toMatchObject({ currentPage: 1, nextPage: 2, totalPages: 2 });
  });

  it('iterates every version across pages', async () => {
    server.use(
      http.get(`${API}/workspaces/ws-1/configuration-versions`, ({ request }) => {
        const n = Number(new URL(request.url).searchParams.get('page[number]') ?? '1');
        return jsonApi({
          data: [{ id: `cv-${n}`, type: 'configuration-versions', attributes: { status: 'uploaded' } }],
          meta: { pagination: { 'current-page': n, 'next-page': n < 3 ? n + 1 : null, 'total-pages': 3 } },
        });
      }),
    );
    const ids: string[] = [];
    for await (const cv of testClient().configurationVersions.list('ws-1')) ids.push(cv.id);
    expect(ids).toEqual(['cv-1', 'cv-2', 'cv-3']);
  });

  it('rejects a page size above 100', async () => {
    await expect(testClient().configurationVersions.list('ws-1', { pageSize: 101 })).rejects.toMatchObject({
      field: 'pageSize',
    });
  });
});

describe('configurationVersions.readIngressAttributes', () => {
  it('reads the commit behind a version', async () => {
    server.use(
      http.get(`${API}/configuration-versions/${CV_ID}/ingress-attributes`, () =>
        jsonApi(fixture('configuration-versions/show-a-configuration-versions-commit-information.json')),
      ),
    );
    const ia = await testClient().configurationVersions.readIngressAttributes(CV_ID);
    expect(ia).toMatchObject({
      id: 'ia-zqHjxJzaB9Ae6i9t',
      identifier: 'hashicorp/foobar',
      senderUsername: 'chrisarcand',
      onDefaultBranch: false,
    });
    expect(ia.relationships.createdBy).toEqual({ id: 'user-PQk2Z3dfXAax18P6s', type: 'users' });
  });
});

describe('configurationVersions.archive', () => {
  it('posts to actions/archive with no body', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/configuration-versions/cv-1/actions/archive`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 202 });
      }),
    );
    await expect(testClient().configurationVersions.archive('cv-1')).resolves.toBeUndefined();
    expect(seen[0]!.body).toBe('');
  });
});

describe('configurationVersions.download', () => {
  it('follows the redirect to the object store without sending the token there', async () => {
    const { seen, record } = recorder();
    const tarball = Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]);
    server.use(
      http.get(`${API}/configuration-versions/cv-1/download`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, {
          status: 302,
          headers: { Location: `${UPLOAD_ORIGIN}/v1/object/dmF1bHQ?sig=abc` },
        });
      }),
      http.get(`${UPLOAD_ORIGIN}/v1/object/dmF1bHQ`, async ({ request }) => {
        await record(request);
        return new HttpResponse(tarball, { headers: { 'Content-Type': 'application/octet-stream' } });
      }),
    );
    const stream = await testClient().configurationVersions.download('cv-1');
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(tarball)).toBe(true);
    expect(seen.map((s) => s.url.origin)).toEqual(['https://tfe.test', UPLOAD_ORIGIN]);
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen[1]!.headers.get('authorization')).toBeNull();
    expect(seen[1]!.url.search).toBe('?sig=abc');
  });

  it('throws NotFoundError when the version has no files', async () => {
    server.use(
      http.get(`${API}/configuration-versions/cv-1/download`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    await expect(testClient().configurationVersions.download('cv-1')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('configurationVersions.waitForUpload', () => {
  it('polls until the version leaves pending and returns the uploaded version', async () => {
    const reads = statusSequence('pending', 'pending', 'uploaded');
    const cv = await testClient().configurationVersions.waitForUpload('cv-1', { pollIntervalMs: 1 });
    expect(cv.status).toBe('uploaded');
    expect(reads()).toBe(3);
  });

  it('treats fetching as still processing', async () => {
    const reads = statusSequence('fetching', 'uploaded');
    await expect(
      testClient().configurationVersions.waitForUpload('cv-1', { pollIntervalMs: 1 }),
    ).resolves.toMatchObject({
      status: 'uploaded',
    });
    expect(reads()).toBe(2);
  });

  it('returns an archived version as it is', async () => {
    statusSequence('archived');
    await expect(testClient().configurationVersions.waitForUpload('cv-1')).resolves.toMatchObject({
      status: 'archived',
    });
  });

  it('throws ConfigurationVersionError carrying error and errorMessage when processing failed', async () => {
    server.use(
      http.get(`${API}/configuration-versions/cv-1`, () =>
        jsonApi(
          cvDoc('errored', {
            error: 'unprocessable_archive',
            'error-message': 'The archive is not a valid tar.gz',
          }),
        ),
      ),
    );
    const err = await testClient()
      .configurationVersions.waitForUpload('cv-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationVersionError);
    expect(err).toMatchObject({
      configurationVersionId: 'cv-1',
      status: 'errored',
      error: 'unprocessable_archive',
      errorMessage: 'The archive is not a valid tar.gz',
      message: 'Configuration version cv-1 is errored: The archive is not a valid tar.gz',
    });
    expect((err as ConfigurationVersionError).configurationVersion.id).toBe('cv-1');
    expect(JSON.stringify(err)).not.toContain('raw');
  });

  it('times out with the last version seen', async () => {
    statusSequence('pending');
    const err = await testClient()
      .configurationVersions.waitForUpload('cv-1', { timeoutMs: 40, pollIntervalMs: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationVersionTimeoutError);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ timeoutMs: 40 });
    expect((err as ConfigurationVersionTimeoutError).configurationVersion?.status).toBe('pending');
    expect((err as Error).message).toBe('Configuration version cv-1 was still pending after 40 ms.');
  });

  it('times out even while a read hangs', async () => {
    server.use(http.get(`${API}/configuration-versions/cv-1`, () => new Promise<never>(() => {})));
    const err = await testClient()
      .configurationVersions.waitForUpload('cv-1', { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationVersionTimeoutError);
    expect((err as ConfigurationVersionTimeoutError).configurationVersion).toBeUndefined();
  });

  it('a deadline past setTimeout’s range (30 days) does not end the wait at once', async () => {
    statusSequence('pending', 'pending', 'pending', 'uploaded');
    const cv = await testClient().configurationVersions.waitForUpload('cv-1', {
      timeoutMs: 30 * 86_400_000,
      pollIntervalMs: 5,
    });
    expect(cv.status).toBe('uploaded');
  });

  it('stops with AbortError when the caller aborts between polls', async () => {
    statusSequence('pending');
    const controller = new AbortController();
    const wait = testClient().configurationVersions.waitForUpload('cv-1', {
      signal: controller.signal,
      pollIntervalMs: 60_000,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(wait).rejects.toBeInstanceOf(AbortError);
  });

  it('stops with AbortError at once for an already-aborted signal', async () => {
    const reads = statusSequence('pending');
    await expect(
      testClient().configurationVersions.waitForUpload('cv-1', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(reads()).toBe(0);
  });

  it('rejects a bad poll interval', async () => {
    await expect(
      testClient().configurationVersions.waitForUpload('cv-1', { pollIntervalMs: 0 }),
    ).rejects.toMatchObject({
      field: 'pollIntervalMs',
    });
  });
});

describe('configurationVersions.createAndUpload', () => {
  it('creates without auto-queueing, uploads without the token, and waits until processed', async () => {
    const { seen, record } = recorder();
    let reads = 0;
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi(cvDoc('pending', { 'upload-url': `${UPLOAD_ORIGIN}/v1/object/up-1?sig=s` }), 201);
      }),
      http.put(`${UPLOAD_ORIGIN}/v1/object/up-1`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 200 });
      }),
      http.get(`${API}/configuration-versions/cv-1`, async ({ request }) => {
        await record(request);
        return jsonApi(cvDoc(reads++ === 0 ? 'pending' : 'uploaded'));
      }),
    );
    const cv: ConfigurationVersion = await testClient().configurationVersions.createAndUpload(
      'ws-1',
      Buffer.from('tarball'),
      { pollIntervalMs: 1 },
    );
    expect(cv.status).toBe('uploaded');
    expect(seen.map((s) => `${s.method} ${s.url.origin}${s.url.pathname}`)).toEqual([
      'POST https://tfe.test/api/v2/workspaces/ws-1/configuration-versions',
      `PUT ${UPLOAD_ORIGIN}/v1/object/up-1`,
      'GET https://tfe.test/api/v2/configuration-versions/cv-1',
      'GET https://tfe.test/api/v2/configuration-versions/cv-1',
    ]);
    expect(JSON.parse(seen[0]!.body)).toEqual({
      data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false } },
    });
    expect(seen[1]!.body).toBe('tarball');
    expect(seen[1]!.headers.get('content-type')).toBe('application/octet-stream');
    expect(seen[1]!.headers.get('authorization')).toBeNull();
  });

  it('checks the source before creating anything', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi(cvDoc('pending'), 201);
      }),
    );
    await expect(
      testClient().configurationVersions.createAndUpload('ws-1', '/definitely/not/here'),
    ).rejects.toBeInstanceOf(InputValidationError);
    expect(seen).toHaveLength(0);
  });

  it.each([
    [{ gzipLevel: 42 }, 'gzipLevel', 'gzipLevel must be an integer from 0 to 9, got 42'],
    [{ gzipLvl: 9 }, 'gzipLvl', 'gzipLvl is not a pack option'],
    [{ ignoreRules: '*.tfstate' }, 'ignoreRules', undefined],
  ])('checks pack options %j before creating anything', async (pack, path, message) => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, async ({ request }) => {
        await record(request);
        return jsonApi(cvDoc('pending', { 'upload-url': `${UPLOAD_ORIGIN}/v1/object/up-1` }), 201);
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tfe-cv-'));
    try {
      const err = await testClient()
        .configurationVersions.createAndUpload('ws-1', dir, { pack: pack as never })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PackError);
      expect(err).toMatchObject({ code: 'INVALID_OPTION', path, ...(message && { message }) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(seen).toHaveLength(0);
  });

  it('a deadline past setTimeout’s range (30 days) does not end the operation at once', async () => {
    let reads = 0;
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, () =>
        jsonApi(cvDoc('pending', { 'upload-url': `${UPLOAD_ORIGIN}/v1/object/up-3` }), 201),
      ),
      http.put(`${UPLOAD_ORIGIN}/v1/object/up-3`, () => new HttpResponse(null, { status: 200 })),
      http.get(`${API}/configuration-versions/cv-1`, () =>
        jsonApi(cvDoc(reads++ < 3 ? 'pending' : 'uploaded')),
      ),
    );
    const cv = await testClient().configurationVersions.createAndUpload('ws-1', Buffer.from('x'), {
      timeoutMs: 30 * 86_400_000,
      pollIntervalMs: 5,
    });
    expect(cv.status).toBe('uploaded');
  });

  it('bounds the whole operation with timeoutMs, carrying the created version', async () => {
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, () =>
        jsonApi(cvDoc('pending', { 'upload-url': `${UPLOAD_ORIGIN}/v1/object/up-2` }), 201),
      ),
      http.put(`${UPLOAD_ORIGIN}/v1/object/up-2`, () => new Promise<never>(() => {})),
    );
    const err = await testClient()
      .configurationVersions.createAndUpload('ws-1', Buffer.from('x'), { timeoutMs: 40 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationVersionTimeoutError);
    expect((err as ConfigurationVersionTimeoutError).configurationVersion?.id).toBe('cv-1');
  });
});

describe('configurationVersions.createAndUpload deadline', () => {
  it("a version that stays pending ends with the operation's own timeout, never the inner wait's", async () => {
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, () =>
        jsonApi(cvDoc('pending', { 'upload-url': `${UPLOAD_ORIGIN}/v1/object/up-4` }), 201),
      ),
      http.put(`${UPLOAD_ORIGIN}/v1/object/up-4`, () => new HttpResponse(null, { status: 200 })),
      http.get(`${API}/configuration-versions/cv-1`, () => jsonApi(cvDoc('pending'))),
    );
    const tfe = testClient();
    // Both deadlines fell due at once: which fired first was a race, so it is run a number of times.
    for (let i = 0; i < 20; i++) {
      const err = await tfe.configurationVersions
        .createAndUpload('ws-1', Buffer.from('x'), { timeoutMs: 25, pollIntervalMs: 1 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigurationVersionTimeoutError);
      expect((err as ConfigurationVersionTimeoutError).timeoutMs).toBe(25);
      expect((err as Error).message).toContain('took longer than 25 ms');
    }
  });
});

describe('an upload answered 409 after a retry', () => {
  const UPLOAD_URL = `${UPLOAD_ORIGIN}/v1/object/up-5?sig=s`;
  const pendingCv = { id: 'cv-1', status: 'pending', uploadUrl: UPLOAD_URL } as ConfigurationVersion;

  /** The archivist answers the first PUT with `firstStatus` (stored or not); every later PUT gets 409. */
  function refusedAfter(firstStatus = 503) {
    let puts = 0;
    server.use(
      http.put(`${UPLOAD_ORIGIN}/v1/object/up-5`, () => {
        puts++;
        return puts === 1
          ? new HttpResponse('busy', { status: firstStatus })
          : HttpResponse.json({ errors: ['object already uploaded'] }, { status: 409 });
      }),
    );
    return () => puts;
  }

  it('upload(version) ends in a ConflictError saying the first attempt may have been stored, reading nothing', async () => {
    const puts = refusedAfter();
    const reads = statusSequence('uploaded');
    const err = await testClient()
      .configurationVersions.upload(pendingCv, Buffer.from('tarball'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).status).toBe(409);
    expect((err as Error).message).toMatch(
      /^409 Conflict on PUT .*object already uploaded\. An earlier attempt of this upload may have been stored/,
    );
    expect(puts()).toBe(2);
    expect(reads()).toBe(0);
  });

  it("a 409 to the first PUT is the caller's: passed on as it is", async () => {
    const puts = refusedAfter(409);
    const err = await testClient()
      .configurationVersions.upload(UPLOAD_URL, Buffer.from('tarball'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).not.toContain('earlier attempt');
    expect(puts()).toBe(1);
  });

  function createsCv1() {
    server.use(
      http.post(`${API}/workspaces/ws-1/configuration-versions`, () =>
        jsonApi(cvDoc('pending', { 'upload-url': UPLOAD_URL }), 201),
      ),
    );
  }

  it('createAndUpload, whose fresh version only it uploads to, waits and returns the processed version', async () => {
    createsCv1();
    const puts = refusedAfter();
    const reads = statusSequence('pending', 'uploaded');
    const cv = await testClient().configurationVersions.createAndUpload('ws-1', Buffer.from('tarball'), {
      pollIntervalMs: 1,
    });
    expect(cv.status).toBe('uploaded');
    expect(puts()).toBe(2);
    expect(reads()).toBe(2);
  });

  it('createAndUpload passes on a 409 to its first PUT', async () => {
    createsCv1();
    refusedAfter(409);
    const reads = statusSequence('uploaded');
    const err = await testClient()
      .configurationVersions.createAndUpload('ws-1', Buffer.from('tarball'), { pollIntervalMs: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(reads()).toBe(0);
  });
});

describe('runs.create on a configuration version still processing', () => {
  it('says to waitForUpload first when the 422 is about the configuration version', async () => {
    server.use(
      http.post(`${API}/runs`, () =>
        jsonApi(
          {
            errors: [
              {
                status: '422',
                title: 'invalid attribute',
                detail: 'Configuration version is still being processed',
                source: { pointer: '/data/relationships/configuration-version' },
              },
            ],
          },
          422,
        ),
      ),
    );
    const err = await testClient()
      .runs.create({ workspaceId: 'ws-1', configurationVersionId: 'cv-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect((err as Error).message).toBe(
      '422 Unprocessable Entity on POST /api/v2/runs: invalid attribute: Configuration version is still being ' +
        'processed — if the configuration version is still being processed, wait for it with ' +
        'configurationVersions.waitForUpload(id) before creating the run',
    );
  });

  it('adds no hint to a 422 about something else', async () => {
    server.use(
      http.post(`${API}/runs`, () =>
        jsonApi(
          { errors: [{ status: '422', title: 'invalid attribute', detail: 'Message is too long' }] },
          422,
        ),
      ),
    );
    const err = await testClient()
      .runs.create({ workspaceId: 'ws-1' })
      .catch((e: unknown) => e);
    expect((err as Error).message).not.toContain('waitForUpload');
  });
});

describe('configuration version fixtures', () => {
  it('every response fixture is exercised by a test above', () => {
    const dir = new URL('../fixtures/configuration-versions/', import.meta.url);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([
      'create-a-configuration-version.json',
      'list-configuration-versions.json',
      'show-a-configuration-version.json',
      'show-a-configuration-versions-commit-information.json',
    ]);
  });
});
