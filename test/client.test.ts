import { inspect } from 'node:util';
import { delay } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InputValidationError,
  InternalServerError,
  MissingTokenError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  TfeClient,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
  VERSION,
} from '../src/index.js';
import { API, BASE, fixture, HttpResponse, http, jsonApi, TOKEN, testClient, useMsw } from './helpers/api.js';

const server = useMsw();
const RUN = { data: { id: 'run-1', type: 'runs', attributes: { status: 'planned' } } };

describe('options and environment defaults', () => {
  it('reads the token from TFE_TOKEN, then TF_API_TOKEN', async () => {
    const auth: string[] = [];
    server.use(
      http.get(`${API}/runs/run-1`, ({ request }) => {
        auth.push(request.headers.get('authorization') ?? '');
        return jsonApi(RUN);
      }),
    );
    await new TfeClient({
      address: BASE,
      env: { TFE_TOKEN: 'from-tfe-token', TF_API_TOKEN: 'other' },
    }).runs.read('run-1');
    await new TfeClient({ address: BASE, env: { TF_API_TOKEN: 'from-tf-api-token' } }).runs.read('run-1');
    expect(auth).toEqual(['Bearer from-tfe-token', 'Bearer from-tf-api-token']);
  });

  it('without a token, throws an error naming both variables', () => {
    expect(() => new TfeClient({ env: {} })).toThrow(MissingTokenError);
    expect(() => new TfeClient({ env: {} })).toThrow(/TFE_TOKEN.*TF_API_TOKEN/);
  });

  it.each([
    [{}, 'https://app.terraform.io', 'default'],
    [{ TFE_ADDRESS: 'https://tfe.example.com/' }, 'https://tfe.example.com', 'TFE_ADDRESS'],
    [{ TFE_HOSTNAME: 'tfe.internal' }, 'https://tfe.internal', 'TFE_HOSTNAME'],
    [{ TF_HOSTNAME: 'tfci.internal' }, 'https://tfci.internal', 'TF_HOSTNAME'],
    [{ TF_CLOUD_HOSTNAME: 'cloud.internal' }, 'https://cloud.internal', 'TF_CLOUD_HOSTNAME'],
    [{ TFE_ADDRESS: 'tfe.bare.host' }, 'https://tfe.bare.host', 'TFE_ADDRESS'],
    [{ TFE_ADDRESS: 'https://a.example', TF_HOSTNAME: 'a.example' }, 'https://a.example', 'TFE_ADDRESS'],
    [{ TFE_ADDRESS: 'https://tfe.example.com/api/v2/' }, 'https://tfe.example.com', 'TFE_ADDRESS'],
    [{ TFE_ADDRESS: '  ', TF_HOSTNAME: 'tfci.internal' }, 'https://tfci.internal', 'TF_HOSTNAME'],
  ])('resolves the address from %j', (env, address, source) => {
    const tfe = new TfeClient({ token: 'x', env });
    expect(tfe.address).toBe(address);
    expect(tfe.addressSource).toBe(source);
  });

  it('sends a token set with only TF_HOSTNAME to that host, never to app.terraform.io', async () => {
    const hosts: string[] = [];
    server.use(
      http.get('https://tfci.internal/api/v2/runs/run-1', ({ request }) => {
        hosts.push(`${new URL(request.url).host} ${request.headers.get('authorization')}`);
        return jsonApi(RUN);
      }),
    );
    await new TfeClient({ env: { TF_HOSTNAME: 'tfci.internal', TF_API_TOKEN: 'secret-token' } }).runs.read(
      'run-1',
    );
    expect(hosts).toEqual(['tfci.internal Bearer secret-token']);
  });

  it.each([
    [
      { TFE_ADDRESS: 'https://a.example', TFE_HOSTNAME: 'b.example' },
      /TFE_ADDRESS names https:\/\/a\.example but TFE_HOSTNAME names https:\/\/b\.example/,
    ],
    [
      { TF_HOSTNAME: 'tfe.corp', TF_CLOUD_HOSTNAME: 'app.terraform.io' },
      /TF_HOSTNAME names https:\/\/tfe\.corp but TF_CLOUD_HOSTNAME names https:\/\/app\.terraform\.io/,
    ],
    [
      { TFE_ADDRESS: 'http://a.example', TF_HOSTNAME: 'a.example' },
      /http:\/\/a\.example but TF_HOSTNAME names https:\/\/a\.example/,
    ],
  ])('refuses variables that name different hosts, naming both: %j', (env, message) => {
    const make = () => new TfeClient({ token: 'x', env });
    expect(make).toThrow(InputValidationError);
    expect(make).toThrow(message);
  });

  it('prefers the address option over the environment, even one that disagrees', () => {
    const tfe = new TfeClient({
      token: 'x',
      address: 'https://tfe.example/api/v2',
      env: { TFE_ADDRESS: 'https://a', TF_HOSTNAME: 'b' },
    });
    expect(tfe.address).toBe('https://tfe.example');
    expect(tfe.addressSource).toBe('address');
  });

  it.each([
    [
      { address: 'https://proxy.example/tfe/' },
      /address has the path \/tfe\/: give the host's address alone, e\.g\. https:\/\/proxy\.example/,
    ],
    [{ env: { TFE_ADDRESS: 'https://tfe.example/app/acme' } }, /TFE_ADDRESS has the path \/app\/acme/],
    [{ env: { TFE_ADDRESS: 'https://tfe.example/?x=1' } }, /TFE_ADDRESS must not carry a query/],
    [{ env: { TF_HOSTNAME: 'ftp://tfe.example' } }, /TF_HOSTNAME must be http\(s\)/],
  ])(
    'refuses an address with a path other than the API path, naming where it came from: %j',
    (options, message) => {
      expect(() => new TfeClient({ token: 'x', ...options })).toThrow(message);
    },
  );

  it('rejects an address with credentials in it', () => {
    expect(() => new TfeClient({ token: 'x', address: 'https://user:pw@tfe.example' })).toThrow(
      'address must not contain credentials',
    );
  });

  it('sends requests under a custom basePath', async () => {
    server.use(http.get(`${BASE}/custom/v9/runs/run-1`, () => jsonApi(RUN)));
    const run = await testClient({ basePath: 'custom/v9/' }).runs.read('run-1');
    expect(run.id).toBe('run-1');
  });

  it('names the package version and the caller in the User-Agent', async () => {
    let ua = '';
    server.use(
      http.get(`${API}/runs/run-1`, ({ request }) => {
        ua = request.headers.get('user-agent') ?? '';
        return jsonApi(RUN);
      }),
    );
    await testClient({ userAgent: 'my-pipeline/2.0' }).runs.read('run-1');
    expect(ua).toBe(`my-pipeline/2.0 tfe-client/${VERSION}`);
  });

  it('passes per-call headers', async () => {
    let seen = '';
    server.use(
      http.get(`${API}/runs/run-1`, ({ request }) => {
        seen = request.headers.get('x-trace') ?? '';
        return jsonApi(RUN);
      }),
    );
    await testClient().runs.read('run-1', {}, { headers: { 'X-Trace': 't-1' } });
    expect(seen).toBe('t-1');
  });

  it('timeoutMs: Infinity sets no deadline on an attempt', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, async () => {
        await delay(20);
        return jsonApi(RUN);
      }),
    );
    const run = await testClient({ timeoutMs: Number.POSITIVE_INFINITY, maxRetries: 0 }).runs.read('run-1');
    expect(run.id).toBe('run-1');
  });

  it('rejects a bad numeric option', () => {
    expect(() => testClient({ maxRetries: -1 })).toThrow('maxRetries must be a whole number');
    expect(() => testClient({ timeoutMs: 0 })).toThrow('timeoutMs must be a number above 0');
  });
});

describe('errors', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [415, UnsupportedMediaTypeError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, ApiError],
  ])('status %i becomes %o', async (status, Class) => {
    server.use(
      http.post(`${API}/runs`, () =>
        jsonApi({ errors: [{ status: String(status), title: 'nope' }] }, status),
      ),
    );
    const err = await testClient({ maxRetries: 0 })
      .runs.create({ workspaceId: 'ws-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Class);
    expect((err as ApiError).status).toBe(status);
    expect((err as Error).name).toBe(Class.name);
  });

  it('reads the plain string-list error shape', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi(fixture('errors/registry-protocol-api-error-strings.json'), 400),
      ),
    );
    const err = (await testClient()
      .runs.read('run-1')
      .catch((e: unknown) => e)) as ApiError;
    expect(err.errors).toEqual([{ detail: 'something bad happened' }]);
    expect(err.message).toBe('400 Bad Request on GET /api/v2/runs/run-1: something bad happened');
  });

  it('keeps the JSON:API source pointer of a 422', async () => {
    server.use(
      http.post(`${API}/runs`, () =>
        jsonApi(fixture('errors/422-invalid-attribute-oidc-provider.json'), 422),
      ),
    );
    const err = (await testClient()
      .runs.create({ workspaceId: 'ws-1' })
      .catch((e: unknown) => e)) as UnprocessableEntityError;
    expect(err.errors[0]?.source).toEqual({ pointer: '/data/attributes/oidc-provider' });
    expect(err.details).toBe('Invalid Attribute: OIDC provider must be one of: aws, gcp, azure, vault');
  });

  it('summarises an HTML page from a proxy', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        HttpResponse.html('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>', { status: 502 }),
      ),
    );
    const err = (await testClient({ maxRetries: 0 })
      .runs.read('run-1')
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.message).toBe('502 Bad Gateway on GET /api/v2/runs/run-1 (502 Bad Gateway nginx)');
    expect(err.body).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('a 200 with truncated JSON is a ResponseValidationError with the raw body', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () => new HttpResponse('{"data": {"id": "run-1", "ty', { status: 200 })),
    );
    const err = (await testClient()
      .runs.read('run-1')
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.body).toBe('{"data": {"id": "run-1", "ty');
  });

  it('a 200 that is not a JSON:API document is a ResponseValidationError', async () => {
    server.use(http.get(`${API}/runs/run-1`, () => HttpResponse.json({ ok: true })));
    await expect(testClient().runs.read('run-1')).rejects.toThrow('not a JSON:API document');
  });

  it('a document of another type is a ResponseValidationError naming both types', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi({ data: { id: 'ws-1', type: 'workspaces', attributes: { name: 'x' } } }),
      ),
    );
    const err = (await testClient()
      .runs.read('run-1')
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toBe('Expected a runs resource at data, got workspaces.');
    expect(err.issuePath).toBe('data.type');
  });

  it('a run without a status names the failing path', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () => jsonApi({ data: { id: 'run-1', type: 'runs', attributes: {} } })),
    );
    const err = (await testClient()
      .runs.read('run-1')
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(err.issuePath).toBe('data.attributes.status');
  });
});

describe('retries', () => {
  it.each([500, 502, 503, 504, 408])('a GET answered %i is retried and succeeds', async (status) => {
    let calls = 0;
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        ++calls < 3 ? new HttpResponse('busy', { status }) : jsonApi(RUN),
      ),
    );
    const run = await testClient().runs.read('run-1');
    expect(run.id).toBe('run-1');
    expect(calls).toBe(3);
  });

  it('a GET gives up after maxRetries and throws the last error', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runs/run-1`, () => {
        calls++;
        return new HttpResponse('busy', { status: 503 });
      }),
    );
    await expect(testClient({ maxRetries: 2 }).runs.read('run-1')).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(calls).toBe(3);
  });

  it('per-call maxRetries: 0 disables retries', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runs/run-1`, () => {
        calls++;
        return new HttpResponse('busy', { status: 503 });
      }),
    );
    await expect(testClient().runs.read('run-1', {}, { maxRetries: 0 })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(calls).toBe(1);
  });

  it('a POST answered 503 is sent once', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/runs`, () => {
        calls++;
        return new HttpResponse('busy', { status: 503 });
      }),
    );
    await expect(testClient().runs.create({ workspaceId: 'ws-1' })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(calls).toBe(1);
  });

  it('an action answered 500 is sent once', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/runs/run-1/actions/apply`, () => {
        calls++;
        return new HttpResponse(null, { status: 500 });
      }),
    );
    await expect(testClient().runs.apply('run-1')).rejects.toBeInstanceOf(InternalServerError);
    expect(calls).toBe(1);
  });

  it.each([409, 422])('a POST answered %i is never retried', async (status) => {
    let calls = 0;
    server.use(
      http.post(`${API}/runs`, () => {
        calls++;
        return jsonApi({ errors: [{ status: String(status) }] }, status);
      }),
    );
    await expect(testClient().runs.create({ workspaceId: 'ws-1' })).rejects.toBeInstanceOf(ApiError);
    expect(calls).toBe(1);
  });

  it('a POST answered 429 is retried after Retry-After', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/runs`, () =>
        ++calls === 1
          ? jsonApi(fixture('errors/rate-limit-429.json'), 429, { 'Retry-After': '0.02' })
          : jsonApi(RUN, 201),
      ),
    );
    const started = Date.now();
    const run = await testClient({ backoff: { maxRateLimitWaitMs: 5000 } }).runs.create({
      workspaceId: 'ws-1',
    });
    expect(run.id).toBe('run-1');
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('a GET answered 429 waits for X-RateLimit-Reset', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${API}/runs/run-1`, () => {
        times.push(Date.now());
        return times.length === 1
          ? jsonApi(fixture('errors/rate-limit-429.json'), 429, { 'X-RateLimit-Reset': '0.04' })
          : jsonApi(RUN);
      }),
    );
    await testClient({ backoff: { maxRateLimitWaitMs: 5000 } }).runs.read('run-1');
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(35);
  });

  it('a 429 that never clears becomes a RateLimitError after maxRetries', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/runs/run-1`, () => {
        calls++;
        return jsonApi(fixture('errors/rate-limit-429.json'), 429, { 'Retry-After': 'soon' });
      }),
    );
    const err = await testClient({ maxRetries: 2 })
      .runs.read('run-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as Error).message).toContain("You have exceeded the API's rate limit.");
    expect(calls).toBe(3);
  });

  it('a GET whose connection fails is retried', async () => {
    let calls = 0;
    server.use(http.get(`${API}/runs/run-1`, () => (++calls === 1 ? HttpResponse.error() : jsonApi(RUN))));
    await expect(testClient().runs.read('run-1')).resolves.toMatchObject({ id: 'run-1' });
    expect(calls).toBe(2);
  });

  it('a POST whose connection fails after sending is not retried', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/runs`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    await expect(testClient().runs.create({ workspaceId: 'ws-1' })).rejects.toBeInstanceOf(ConnectionError);
    expect(calls).toBe(1);
  });
});

describe('abort during a retry wait', () => {
  it('stops waiting out a 429 when the caller aborts', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi(fixture('errors/rate-limit-429.json'), 429, { 'Retry-After': '30' }),
      ),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const tfe = testClient({ backoff: { maxRateLimitWaitMs: 60_000 } });
    await expect(tfe.runs.read('run-1', {}, { signal: controller.signal })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('rate limiting', () => {
  it('keeps parallel calls under the configured requests per second', async () => {
    const times: number[] = [];
    server.use(
      http.get(`${API}/runs/:id`, async ({ params }) => {
        times.push(Date.now());
        await delay(1);
        return jsonApi({ data: { id: params.id, type: 'runs', attributes: { status: 'pending' } } });
      }),
    );
    const tfe = testClient({ rateLimit: 10 });
    await Promise.all(Array.from({ length: 25 }, (_, i) => tfe.runs.read(`run-${i}`)));
    times.sort((a, b) => a - b);
    // In any window of 1 s there are at most 10 request starts.
    for (let i = 10; i < times.length; i++) expect(times[i]! - times[i - 10]!).toBeGreaterThanOrEqual(995);
  });
});

describe('the token', () => {
  it('never appears in any error class, its JSON or inspect output, even when the server echoes it', async () => {
    const echo = `bad token ${TOKEN}`;
    const statuses = [400, 401, 403, 404, 409, 415, 422, 429, 500];
    const errors: unknown[] = [];
    for (const status of statuses) {
      server.use(
        http.get(`${API}/runs/run-${status}`, () =>
          jsonApi({ errors: [{ status: String(status), title: echo, detail: echo }] }, status, {
            'Set-Cookie': `session=${TOKEN}`,
          }),
        ),
      );
      errors.push(
        await testClient({ maxRetries: 0 })
          .runs.read(`run-${status}`)
          .catch((e: unknown) => e),
      );
    }
    server.use(http.get(`${API}/runs/run-html`, () => HttpResponse.html(`<p>${TOKEN}</p>`, { status: 200 })));
    errors.push(
      await testClient()
        .runs.read('run-html')
        .catch((e: unknown) => e),
    );
    server.use(http.get(`${API}/runs/run-net`, () => HttpResponse.error()));
    errors.push(
      await testClient({ maxRetries: 0 })
        .runs.read('run-net')
        .catch((e: unknown) => e),
    );
    expect(errors).toHaveLength(statuses.length + 2);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      const e = err as Error;
      for (const text of [
        e.message,
        e.stack ?? '',
        JSON.stringify(e),
        inspect(e, { depth: 10 }),
        String(e),
      ]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain('SECRETSECRET');
      }
      expect(Object.values(e).some((v) => (v as object)?.constructor?.name === 'AxiosError')).toBe(false);
      expect(e.cause).toBeUndefined();
    }
  });

  it('is not in the client’s inspect or JSON output', () => {
    const tfe = testClient();
    expect(inspect(tfe, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(tfe)).not.toContain(TOKEN);
  });

  it('never appears in log lines', async () => {
    const lines: string[] = [];
    const log = (m: string, f?: Record<string, unknown>) => lines.push(m + JSON.stringify(f ?? {}));
    server.use(http.get(`${API}/runs/run-1`, () => new HttpResponse(`nope ${TOKEN}`, { status: 503 })));
    await testClient({ maxRetries: 1, logger: { debug: log, warn: log, info: log, error: log } })
      .runs.read('run-1')
      .catch(() => {});
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('is not sent to another origin', async () => {
    let auth: string | null = 'unset';
    server.use(
      http.get('https://elsewhere.test/file', ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json({ data: null });
      }),
    );
    await testClient().api.request({ method: 'GET', url: 'https://elsewhere.test/file' });
    expect(auth).toBeNull();
  });

  it('is dropped when a redirect leaves the API origin', async () => {
    const auth: Array<string | null> = [];
    server.use(
      http.get(`${API}/configuration-versions/cv-1/download`, ({ request }) => {
        auth.push(request.headers.get('authorization'));
        return new HttpResponse(null, {
          status: 302,
          headers: { Location: 'https://archivist.test/blob?sig=1' },
        });
      }),
      http.get('https://archivist.test/blob', ({ request }) => {
        auth.push(request.headers.get('authorization'));
        return HttpResponse.json({ data: null });
      }),
    );
    await testClient().api.request({
      method: 'GET',
      path: '/configuration-versions/cv-1/download',
      followRedirects: true,
    });
    expect(auth).toEqual([`Bearer ${TOKEN}`, null]);
  });
});

describe('the token and same-origin URLs outside the API', () => {
  it('is not sent to an upload URL on the API’s own origin (TFE’s /_archivist)', async () => {
    let auth: string | null = 'unset';
    server.use(
      http.put(`${BASE}/_archivist/v1/object/abc`, ({ request }) => {
        auth = request.headers.get('authorization');
        return new HttpResponse(null, { status: 200 });
      }),
    );
    await testClient().configurationVersions.upload(`${BASE}/_archivist/v1/object/abc`, Buffer.from('tar'));
    expect(auth).toBeNull();
  });
});

describe('signed upload and log URLs in errors', () => {
  it('show the host, never the signed object path', async () => {
    server.use(
      http.put(
        'https://archivist.test/v1/object/SIGNEDOBJECTKEY123',
        () => new HttpResponse('no', { status: 403 }),
      ),
    );
    const err = (await testClient()
      .configurationVersions.upload('https://archivist.test/v1/object/SIGNEDOBJECTKEY123', Buffer.from('x'))
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.message).toContain('PUT https://archivist.test/v1/…');
    expect(JSON.stringify(err) + err.message + String(err.stack)).not.toContain('SIGNEDOBJECTKEY123');
  });
});

describe('pages past what the first page announced', () => {
  it('are followed by next-page when total-pages is missing', async () => {
    server.use(
      http.get(`${API}/workspaces/ws-1/runs`, ({ request }) => {
        const n = Number(new URL(request.url).searchParams.get('page[number]') ?? '1');
        return jsonApi({
          data: [{ id: `run-${n}`, type: 'runs', attributes: { status: 'applied' } }],
          meta: { pagination: { 'current-page': n, 'next-page': n < 3 ? n + 1 : null } },
        });
      }),
    );
    const ids = await testClient().runs.list('ws-1', { concurrency: 4 }).toArray({ limit: 10 });
    expect(ids.map((r) => r.id)).toEqual(['run-1', 'run-2', 'run-3']);
  });
});

describe('an included resource that does not match its schema', () => {
  it('leaves the related object out and still returns the run', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi({
          data: {
            id: 'run-1',
            type: 'runs',
            attributes: { status: 'planned' },
            relationships: { plan: { data: { id: 'plan-1', type: 'plans' } } },
          },
          included: [{ id: 'plan-1', type: 'plans', attributes: { status: 42 } }],
        }),
      ),
    );
    const run = await testClient().runs.read('run-1', { include: ['plan'] });
    expect(run.status).toBe('planned');
    expect(run.relationships.plan).toEqual({ id: 'plan-1', type: 'plans' });
    expect(run.plan).toBeUndefined();
  });
});
