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
const LOG = 'https://archivist.test/v1/object/plan-log';

const documented = () => fixture<{ data: { attributes: Record<string, unknown> } }>('plans/show-a-plan.json');
const withLog = (status = 'finished') => {
  const doc = documented();
  doc.data.attributes = { ...doc.data.attributes, status, 'log-read-url': LOG };
  return doc;
};

describe('plans.read', () => {
  it('GETs the plan and parses the documented one', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/plans/plan-8F5JFydVYAmtTjET`, async ({ request }) => {
        await record(request);
        return jsonApi(documented());
      }),
    );
    const plan = await testClient().plans.read('plan-8F5JFydVYAmtTjET');
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(plan).toMatchObject({
      id: 'plan-8F5JFydVYAmtTjET',
      type: 'plans',
      status: 'finished',
      hasChanges: true,
      resourceAdditions: 0,
      resourceChanges: 1,
      resourceDestructions: 0,
      resourceImports: 0,
      generatedConfiguration: false,
    });
    expect(plan.logReadUrl).toMatch(/^https:\/\/archivist\.terraform\.io\/v1\/object\//);
    expect(plan.statusTimestamps?.finishedAt).toEqual(new Date('2018-07-02T22:29:58+00:00'));
  });

  it('rejects a path-like id before any request', async () => {
    await expect(testClient().plans.read('../runs')).rejects.toBeInstanceOf(InputValidationError);
  });

  it('raises NotFoundError for an unknown plan', async () => {
    server.use(
      http.get(`${API}/plans/plan-x`, () =>
        jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
      ),
    );
    await expect(testClient().plans.read('plan-x')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('plans.logs', () => {
  it('reads the log-read-url without the API token and strips STX and ETX', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/plans/plan-1`, () => jsonApi(withLog())),
      http.get(LOG, async ({ request }) => {
        await record(request);
        return new HttpResponse('\u0002Terraform v1.9.4\nPlan: 1 to add.\n\u0003');
      }),
    );
    expect(await testClient().plans.logs('plan-1').text()).toBe('Terraform v1.9.4\nPlan: 1 to add.\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(seen[0]!.url.search).toBe('');
  });

  it('rejects an unknown option naming it', () => {
    expect(() => testClient().plans.logs('plan-1', { folow: true } as never)).toThrow(/plans\.logs.*"folow"/);
  });
});
