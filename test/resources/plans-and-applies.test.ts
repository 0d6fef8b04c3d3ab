// Plans and applies are read and logged the same way: one table of the two, each row checked by the same tests.
import { describe, expect, it } from 'vitest';
import { InputValidationError, NotFoundError, type TfeClient } from '../../src/index.js';
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

type Document = { data: { attributes: Record<string, unknown> } };

interface Phase {
  resource: 'plans' | 'applies';
  /** What a test name calls one. */
  noun: string;
  /** The id of the documented sample. */
  id: string;
  sample: string;
  read(client: TfeClient, id: string): Promise<unknown>;
  logs(client: TfeClient, id: string, options?: object): { text(): Promise<string> };
  /** What the documented sample parses to. */
  parsed: Record<string, unknown>;
  finishedAt: string;
  /** The sample's state-versions references, in order (a to-many relationship). */
  stateVersions: Array<{ id: string; type: string }>;
  /** A log as the archivist stores it, and as `logs()` gives it. */
  stored: string;
  text: string;
}

const PHASES: Phase[] = [
  {
    resource: 'plans',
    noun: 'plan',
    id: 'plan-8F5JFydVYAmtTjET',
    sample: 'plans/show-a-plan.json',
    read: (client, id) => client.plans.read(id),
    logs: (client, id, options) => client.plans.logs(id, options),
    parsed: {
      id: 'plan-8F5JFydVYAmtTjET',
      type: 'plans',
      status: 'finished',
      hasChanges: true,
      resourceAdditions: 0,
      resourceChanges: 1,
      resourceDestructions: 0,
      resourceImports: 0,
      generatedConfiguration: false,
    },
    finishedAt: '2018-07-02T22:29:58+00:00',
    stateVersions: [],
    stored: '\u0002Terraform v1.9.4\nPlan: 1 to add.\n\u0003',
    text: 'Terraform v1.9.4\nPlan: 1 to add.\n',
  },
  {
    resource: 'applies',
    noun: 'apply',
    id: 'apply-47MBvjwzBG8YKc2v',
    sample: 'applies/show-an-apply.json',
    read: (client, id) => client.applies.read(id),
    logs: (client, id, options) => client.applies.logs(id, options),
    parsed: {
      id: 'apply-47MBvjwzBG8YKc2v',
      type: 'applies',
      status: 'finished',
      resourceAdditions: 1,
      resourceChanges: 0,
      resourceDestructions: 0,
      resourceImports: 0,
    },
    finishedAt: '2018-10-17T18:58:37+00:00',
    stateVersions: [
      { id: 'sv-TpnsuD3iewwsfeRD', type: 'state-versions' },
      { id: 'sv-Fu1n6a3TgJ1Typq9', type: 'state-versions' },
    ],
    stored: '\u0002Apply complete! Resources: 1 added.\n\u0003',
    text: 'Apply complete! Resources: 1 added.\n',
  },
];

for (const phase of PHASES) {
  const { resource, noun } = phase;
  const log = `https://archivist.test/v1/object/${noun}-log`;
  const withLog = () => {
    const doc = fixture<Document>(phase.sample);
    doc.data.attributes = { ...doc.data.attributes, status: 'finished', 'log-read-url': log };
    return doc;
  };

  describe(`${resource}.read`, () => {
    it(`GETs the ${noun} and parses the documented one`, async () => {
      const { seen, record } = recorder();
      server.use(
        http.get(`${API}/${resource}/${phase.id}`, async ({ request }) => {
          await record(request);
          return jsonApi(fixture<Document>(phase.sample));
        }),
      );
      const read = (await phase.read(testClient(), phase.id)) as {
        logReadUrl: string;
        statusTimestamps?: { finishedAt?: Date };
        relationships: { stateVersions?: unknown };
      };
      expect(seen[0]!.method).toBe('GET');
      expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      expect(read).toMatchObject(phase.parsed);
      expect(read.logReadUrl).toMatch(/^https:\/\/archivist\.terraform\.io\/v1\/object\//);
      expect(read.statusTimestamps?.finishedAt).toEqual(new Date(phase.finishedAt));
      // A to-many relationship decodes to every reference, in order (none is an empty list).
      expect(read.relationships.stateVersions).toEqual(phase.stateVersions);
    });

    it('rejects a path-like id before any request', async () => {
      await expect(phase.read(testClient(), '../runs')).rejects.toBeInstanceOf(InputValidationError);
    });

    it(`raises NotFoundError for an unknown ${noun}`, async () => {
      server.use(
        http.get(`${API}/${resource}/${noun}-x`, () =>
          jsonApi({ errors: [{ status: '404', title: 'not found' }] }, 404),
        ),
      );
      await expect(phase.read(testClient(), `${noun}-x`)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe(`${resource}.logs`, () => {
    it('reads the log-read-url without the API token and strips STX and ETX', async () => {
      const { seen, record } = recorder();
      server.use(
        http.get(`${API}/${resource}/${noun}-1`, () => jsonApi(withLog())),
        http.get(log, async ({ request }) => {
          await record(request);
          return new HttpResponse(phase.stored);
        }),
      );
      expect(await phase.logs(testClient(), `${noun}-1`).text()).toBe(phase.text);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers.get('authorization')).toBeNull();
      expect(seen[0]!.url.search).toBe('');
    });

    it('rejects an unknown option naming it', () => {
      expect(() => phase.logs(testClient(), `${noun}-1`, { folow: true })).toThrow(
        new RegExp(`${resource}\\.logs.*"folow"`),
      );
    });
  });
}
