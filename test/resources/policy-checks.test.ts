import { describe, expect, it } from 'vitest';
import { ConflictError, InputValidationError, NotFoundError, PolicyCheckStatus } from '../../src/index.js';
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

describe('policyChecks.list', () => {
  it('GETs the run’s policy checks and parses the documented list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-CZcmD7eagjhyXavN/policy-checks`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('policy-checks/list-policy-checks.json'));
      }),
    );
    const page = await testClient().policyChecks.list('run-CZcmD7eagjhyXavN');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url.search).toBe('');
    const check = page.items[0]!;
    expect(check).toMatchObject({
      id: 'polchk-9VYRc9bpfJEsnwum',
      type: 'policy-checks',
      status: PolicyCheckStatus.SoftFailed,
      scope: 'organization',
      result: {
        result: false,
        passed: 0,
        totalFailed: 1,
        hardFailed: 0,
        softFailed: 1,
        advisoryFailed: 0,
        durationMs: 0,
      },
      actions: { isOverridable: true },
      permissions: { canOverride: false },
    });
    expect(check.statusTimestamps?.softFailedAt).toEqual(new Date('2017-11-29T20:02:20+00:00'));
    expect(check.relationships.run).toEqual({ id: 'run-veDoQbv6xh6TbnJD', type: 'runs' });
  });

  it('sends paging and include, and types the included run', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/policy-checks`, async ({ request }) => {
        await record(request);
        const doc = fixture<{ data: Array<Record<string, unknown>> }>(
          'policy-checks/list-policy-checks.json',
        );
        return jsonApi({
          data: [{ ...doc.data[0], relationships: { run: { data: { id: 'run-1', type: 'runs' } } } }],
          included: [{ id: 'run-1', type: 'runs', attributes: { status: 'policy_override' } }],
        });
      }),
    );
    const page = await testClient().policyChecks.list('run-1', {
      pageNumber: 1,
      pageSize: 5,
      include: ['run'],
    });
    expect(seen[0]!.url.search).toBe('?page%5Bnumber%5D=1&page%5Bsize%5D=5&include=run');
    expect(page.items[0]!.run).toMatchObject({ id: 'run-1', status: 'policy_override' });
  });

  it('keeps Sentinel’s details as the engine wrote them', async () => {
    server.use(
      http.get(`${API}/runs/run-1/policy-checks`, () => {
        const doc = fixture<{ data: Array<{ attributes: { result: Record<string, unknown> } }> }>(
          'policy-checks/list-policy-checks.json',
        );
        const check = doc.data[0]!;
        check.attributes.result.sentinel = { policies: { 'require-tags': { 'can-override': true } } };
        return jsonApi(doc);
      }),
    );
    const { items } = await testClient().policyChecks.list('run-1');
    expect(items[0]!.result?.sentinel).toEqual({ policies: { 'require-tags': { 'can-override': true } } });
  });

  it('rejects an unknown option before sending', async () => {
    await expect(testClient().policyChecks.list('run-1', { size: 5 } as never)).rejects.toBeInstanceOf(
      InputValidationError,
    );
  });
});

describe('policyChecks.read', () => {
  it('GETs one policy check', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/policy-checks/polchk-9VYRc9bpfJEsnwum`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('policy-checks/show-policy-check.json'));
      }),
    );
    const check = await testClient().policyChecks.read('polchk-9VYRc9bpfJEsnwum', {
      include: ['run.workspace'],
    });
    expect(seen[0]!.url.search).toBe('?include=run.workspace');
    expect(check).toMatchObject({ id: 'polchk-9VYRc9bpfJEsnwum', status: 'soft_failed' });
  });

  it('rejects a misspelled option before sending, naming it', async () => {
    const err = await testClient()
      .policyChecks.read('polchk-9VYRc9bpfJEsnwum', { inclde: ['run'] } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'inclde', message: 'policyChecks.read: unknown option "inclde".' });
  });
});

describe('policyChecks.override', () => {
  it('POSTs the override action without a body and returns the overridden check', async () => {
    const { seen, record } = recorder();
    server.use(
      http.post(`${API}/policy-checks/polchk-EasPB4Srx5NAiWAU/actions/override`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('policy-checks/override-policy.json'));
      }),
    );
    const check = await testClient().policyChecks.override('polchk-EasPB4Srx5NAiWAU');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.body).toBe('');
    expect(check.status).toBe(PolicyCheckStatus.Overridden);
    expect(check.statusTimestamps?.overriddenAt).toEqual(new Date('2017-11-29T20:14:11+00:00'));
  });

  it('is not retried when the server refuses it', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/policy-checks/polchk-1/actions/override`, () => {
        calls++;
        return jsonApi({ errors: [{ status: '409', title: 'not overridable' }] }, 409);
      }),
    );
    await expect(testClient().policyChecks.override('polchk-1')).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toBe(1);
  });

  it('rejects a path-changing id', async () => {
    await expect(testClient().policyChecks.override('a/b')).rejects.toMatchObject({ field: 'policyCheckId' });
  });
});

describe('policyChecks.output', () => {
  const STORE = 'https://archivist.test';
  const REPORT =
    'Sentinel Result: false\n\n1 policies evaluated.\n\n## Policy 1: require-tags (soft-mandatory)\n\n' +
    'Result: false ✗\n';
  const plain = (body: string) => new HttpResponse(body, { headers: { 'Content-Type': 'text/plain' } });

  it('follows the redirect to the stored output without the token and returns its text', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/policy-checks/polchk-1/output`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, {
          status: 307,
          headers: { Location: `${STORE}/v1/object/b3V0cHV0?sig=abc` },
        });
      }),
      http.get(`${STORE}/v1/object/b3V0cHV0`, async ({ request }) => {
        await record(request);
        return plain(REPORT);
      }),
    );
    await expect(testClient().policyChecks.output('polchk-1')).resolves.toBe(REPORT);
    expect(seen.map((s) => `${s.method} ${s.url.origin}${s.url.pathname}${s.url.search}`)).toEqual([
      `GET ${API}/policy-checks/polchk-1/output`,
      `GET ${STORE}/v1/object/b3V0cHV0?sig=abc`,
    ]);
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen[1]!.headers.get('authorization')).toBeNull();
  });

  it('returns the text the API answers itself', async () => {
    server.use(http.get(`${API}/policy-checks/polchk-1/output`, () => plain(REPORT)));
    await expect(testClient().policyChecks.output('polchk-1')).resolves.toBe(REPORT);
  });

  it('an unknown policy check is a NotFoundError', async () => {
    server.use(
      http.get(`${API}/policy-checks/polchk-404/output`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    await expect(testClient().policyChecks.output('polchk-404')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects a path-changing id before sending', async () => {
    await expect(testClient().policyChecks.output('../runs')).rejects.toMatchObject({
      name: 'InputValidationError',
      field: 'policyCheckId',
    });
  });
});
