import { describe, expect, it } from 'vitest';
import { InputValidationError, NotFoundError } from '../../src/index.js';
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
const LOG = 'https://archivist.test/v1/object/apply-log';

const documented = () =>
  fixture<{ data: { attributes: Record<string, unknown> } }>('applies/show-an-apply.json');
const withLog = (status = 'finished') => {
  const doc = documented();
  doc.data.attributes = { ...doc.data.attributes, status, 'log-read-url': LOG };
  return doc;
};

describe('applies.read', () => {
  it('GETs the apply and parses the documented one', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/applies/apply-47MBvjwzBG8YKc2v`, async ({ request }) => {
        await record(request);
        return jsonApi(documented());
      }),
    );
    const apply = await testClient().applies.read('apply-47MBvjwzBG8YKc2v');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(apply).toMatchObject({
      id: 'apply-47MBvjwzBG8YKc2v',
      type: 'applies',
      status: 'finished',
      resourceAdditions: 1,
      resourceChanges: 0,
      resourceDestructions: 0,
      resourceImports: 0,
    });
    expect(apply.logReadUrl).toMatch(/^https:\/\/archivist\.terraform\.io\/v1\/object\//);
    expect(apply.statusTimestamps?.finishedAt).toEqual(new Date('2018-10-17T18:58:37+00:00'));
    // A to-many relationship decodes to every reference, in order.
    expect(apply.relationships.stateVersions).toEqual([
      { id: 'sv-TpnsuD3iewwsfeRD', type: 'state-versions' },
      { id: 'sv-Fu1n6a3TgJ1Typq9', type: 'state-versions' },
    ]);
  });

  it('rejects a path-like id before any request', async () => {
    await expect(testClient().applies.read('../runs')).rejects.toBeInstanceOf(InputValidationError);
  });

  it('raises NotFoundError for an unknown apply', async () => {
    server.use(
      http.get(`${API}/applies/apply-x`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    await expect(testClient().applies.read('apply-x')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('applies.logs', () => {
  it('reads the log-read-url without the API token and strips STX and ETX', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/applies/apply-1`, () => jsonApi(withLog())),
      http.get(LOG, async ({ request }) => {
        await record(request);
        return new HttpResponse('\u0002Apply complete! Resources: 1 added.\n\u0003');
      }),
    );
    expect(await testClient().applies.logs('apply-1').text()).toBe('Apply complete! Resources: 1 added.\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(seen[0]!.url.search).toBe('');
  });

  it('rejects an unknown option naming it', () => {
    expect(() => testClient().applies.logs('apply-1', { folow: true } as never)).toThrow(
      /applies\.logs.*"folow"/,
    );
  });
});
