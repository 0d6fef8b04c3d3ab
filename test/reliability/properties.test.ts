// Properties that hold whatever the server sends or the caller passes: random and mutated documents, ids, keys.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { camelCase, camelizeKeys, kebabCase, kebabizeKeys } from '../../src/core/case.js';
import { InputValidationError, makeApiError, parseErrorObjects, TfeError } from '../../src/core/errors.js';
import {
  decodePagination,
  decodeRelationships,
  type JsonApiDocument,
  type JsonApiResource,
  serializeResource,
} from '../../src/core/jsonapi.js';
import { buildQuery, encodeSegment, path } from '../../src/core/path.js';
import { MODELS } from '../../src/models/index.js';
import {
  decodeResource,
  decodeResources,
  genericModel,
  type ModelDefinition,
} from '../../src/models/model.js';
import { fixture } from '../helpers/api.js';

// Enough runs to find the shallow bugs every time, few enough to keep the file around a second.
// PROPERTY_RUNS raises it for a long hunt.
const N = Number(process.env.PROPERTY_RUNS ?? 150);
const RUNS = { numRuns: N };
const MANY = { numRuns: 3 * N };

const FIXTURE_DIRS = [
  'runs',
  'plans',
  'applies',
  'configuration-versions',
  'cost-estimates',
  'workspaces',
  'variables',
  'state-versions',
  'state-version-outputs',
  'policy-checks',
  'comments',
  'common',
];
const DOCS: JsonApiDocument[] = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(fileURLToPath(new URL(`../fixtures/${dir}`, import.meta.url)))
    .filter((f) => f.endsWith('.json'))
    .map((f) => fixture<JsonApiDocument>(`${dir}/${f}`)),
).filter((doc) => doc && typeof doc === 'object' && 'data' in doc);

/** Decodes a document as ApiClient does: a TfeError is an answer, anything else thrown is a bug. */
function decodeDocument(doc: unknown): unknown {
  // ApiClient refuses a body without `data` before decoding (the fault matrix covers that path).
  if (!doc || typeof doc !== 'object' || !('data' in doc)) return undefined;
  const d = doc as JsonApiDocument;
  const data = d.data;
  const first = Array.isArray(data) ? data[0] : data;
  const type = first && typeof first === 'object' && typeof first.type === 'string' ? first.type : 'runs';
  const model = MODELS.get(type) ?? genericModel(type);
  return Array.isArray(data)
    ? decodeResources(data, model, MODELS, d.included)
    : decodeResource(data, model, MODELS, d.included);
}

function onlyTfeErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof TfeError)) throw err;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value, as lists of keys and indexes. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [key, v] of entries) out.push(...pathsOf(v, [...prefix, key]));
  return out;
}

type Mutation =
  | { kind: 'replace'; value: Json }
  | { kind: 'delete' }
  | { kind: 'wrap' }
  | { kind: 'stringify' };

/** Applies one mutation at `at` of a deep copy. */
function mutate(doc: Json, at: (string | number)[], mutation: Mutation): Json {
  const copy = structuredClone(doc);
  if (at.length === 0) return mutation.kind === 'replace' ? mutation.value : copy;
  let parent = copy as Record<string | number, Json>;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const key = at[at.length - 1]!;
  const current = parent[key] as Json;
  if (mutation.kind === 'replace') parent[key] = mutation.value;
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (mutation.kind === 'wrap') parent[key] = [current];
  else parent[key] = JSON.stringify(current);
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: fc.jsonValue() as fc.Arbitrary<Json> }),
  fc.constant({ kind: 'delete' as const }),
  fc.constant({ kind: 'wrap' as const }),
  fc.constant({ kind: 'stringify' as const }),
);

/** A document from the docs with a few random mutations anywhere in it. */
const mutatedDocument = fc
  .tuple(fc.constantFrom(...DOCS), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 4 }))
  .map(([doc, steps]) =>
    steps.reduce<Json>(
      (d, [pick, m]) => {
        const paths = pathsOf(d);
        return mutate(d, paths[pick % paths.length]!, m);
      },
      doc as unknown as Json,
    ),
  );

/** Attribute names a model knows (from its schema and the docs), as the API spells them. */
function attributeNames(def: ModelDefinition): string[] {
  const schema = def.attributes as unknown as { shape?: object; in?: { shape?: object } };
  const fromSchema = Object.keys(schema.shape ?? schema.in?.shape ?? {}).map(kebabCase);
  const fromDocs = DOCS.flatMap((d) => [
    ...(Array.isArray(d.data) ? d.data : [d.data]),
    ...(d.included ?? []),
  ])
    .filter((r): r is JsonApiResource => !!r && r.type === def.type)
    .flatMap((r) => Object.keys(r.attributes ?? {}));
  return [...new Set([...fromSchema, ...fromDocs])];
}

/** A resource of a registered type whose known attributes hold random JSON. */
const randomResource = fc.constantFrom(...MODELS.values()).chain((def) =>
  fc.record({
    def: fc.constant(def),
    resource: fc.record(
      {
        id: fc.oneof(fc.string(), fc.jsonValue()),
        type: fc.constant(def.type),
        attributes: fc.oneof(
          fc.dictionary(fc.constantFrom(...attributeNames(def), 'unknown-field'), fc.jsonValue()),
          fc.jsonValue(),
        ),
        relationships: fc.jsonValue(),
        links: fc.jsonValue(),
      },
      { requiredKeys: ['id', 'type'] },
    ),
  }),
);

describe('the JSON:API deserializer and every schema', () => {
  it('has documents to start from', () => {
    expect(DOCS.length).toBeGreaterThanOrEqual(30);
  });

  it('throws only TfeErrors on mutated documented samples', () => {
    fc.assert(
      fc.property(mutatedDocument, (doc) => onlyTfeErrors(() => decodeDocument(doc))),
      MANY,
    );
  });

  it('throws only TfeErrors on random documents', () => {
    const doc = fc.oneof(
      fc.jsonValue(),
      fc.record({ data: fc.jsonValue(), included: fc.jsonValue(), meta: fc.jsonValue() }),
      fc.record({
        data: fc.array(fc.record({ id: fc.string(), type: fc.string(), attributes: fc.jsonValue() })),
      }),
    );
    fc.assert(
      fc.property(doc, (d) => onlyTfeErrors(() => decodeDocument(d))),
      RUNS,
    );
  });

  it('throws only TfeErrors for any registered model fed random attributes', () => {
    fc.assert(
      fc.property(randomResource, ({ def, resource }) =>
        onlyTfeErrors(() => decodeResource(resource, def, MODELS, [resource as JsonApiResource])),
      ),
      MANY,
    );
  });

  it('reads relationships and pagination from anything without throwing', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (relationships, meta) => {
        decodeRelationships(relationships as never);
        decodePagination(meta as never);
      }),
      RUNS,
    );
  });

  it('builds an ApiError from any error body, status and headers, and renders it', () => {
    const init = fc.record({
      status: fc.integer({ min: 300, max: 599 }),
      method: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE'),
      path: fc.string(),
      headers: fc.dictionary(fc.string(), fc.string()),
      body: fc.oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
      ),
    });
    fc.assert(
      fc.property(init, fc.jsonValue(), (i, parsed) => {
        const error = makeApiError({ ...i, errors: parseErrorObjects(parsed) });
        expect(error).toBeInstanceOf(TfeError);
        expect(typeof error.message).toBe('string');
        JSON.stringify(error);
        void error.details;
      }),
      RUNS,
    );
  });
});

/** A key as the API spells attributes: lower-case words joined by hyphens. */
const apiKey = fc
  .array(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 1, maxLength: 4 })
  .map((words) => words.join('-'));

/** JSON whose object keys are all API-shaped. */
const apiShaped: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true })),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(apiKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('serialize ∘ deserialize', () => {
  it('kebab-case keys survive camelizeKeys then kebabizeKeys', () => {
    fc.assert(
      fc.property(apiShaped, (value) => {
        expect(kebabizeKeys(camelizeKeys(value))).toEqual(value);
      }),
      RUNS,
    );
  });

  it('a request resource’s attributes come back as given after the API’s spelling and the decoder', () => {
    // JSON:API reserves `id` and `type`; a decoded model also owns `relationships`, `links` and `raw`.
    const attributeKey = apiKey
      .map(camelCase)
      .filter((k) => !['id', 'type', 'relationships', 'links', 'raw'].includes(k));
    const camelAttributes = fc.dictionary(attributeKey, apiShaped, { maxKeys: 6 });
    fc.assert(
      fc.property(camelAttributes, (attributes) => {
        const { data } = serializeResource({ type: 'runs', attributes });
        const sent = JSON.parse(JSON.stringify({ ...data, id: 'run-1' })) as JsonApiResource;
        const decoded = decodeResource<Record<string, unknown>>(
          sent,
          genericModel('runs'),
          MODELS,
          undefined,
        );
        const { id, type, relationships, links, ...back } = decoded;
        expect(back).toEqual(camelizeKeys(JSON.parse(JSON.stringify(kebabizeKeys(attributes)))));
        expect(kebabizeKeys(back)).toEqual(JSON.parse(JSON.stringify(kebabizeKeys(attributes))));
        expect([id, type]).toEqual(['run-1', 'runs']);
        void relationships;
        void links;
      }),
      RUNS,
    );
  });
});

describe('the path builder', () => {
  // Strings most likely to change a path's shape, mixed into random ones.
  const nasty = fc.constantFrom(
    '',
    '.',
    '..',
    '...',
    '../x',
    'a/b',
    'a\\b',
    '%2e%2e',
    '%2F',
    '?x=1',
    '#frag',
    ' run',
    'run\n',
    '\u0000',
    'ru\u2028n',
    '💥',
    'ws-✓',
    'ａ／ｂ',
    '%',
  );
  const id = fc.oneof(nasty, fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

  it('either refuses an id naming the field, or encodes it as exactly one segment that decodes back', () => {
    fc.assert(
      fc.property(id, (runId) => {
        let built: string;
        try {
          built = path`/runs/${['runId', runId]}/actions/apply`;
        } catch (err) {
          expect(err).toBeInstanceOf(InputValidationError);
          expect((err as InputValidationError).field).toBe('runId');
          return;
        }
        const url = new URL(`https://tfe.example/api/v2${built}`);
        // No dot segment resolved, nothing moved into the query or the fragment.
        expect(url.pathname).toBe(`/api/v2${built}`);
        expect(url.search + url.hash).toBe('');
        const segments = url.pathname.split('/');
        expect(segments).toHaveLength(7);
        expect(segments.slice(0, 4)).toEqual(['', 'api', 'v2', 'runs']);
        expect(segments.slice(5)).toEqual(['actions', 'apply']);
        expect(decodeURIComponent(segments[4]!)).toBe(runId);
      }),
      MANY,
    );
  });

  it('refuses anything that is not a string with an InputValidationError', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((v) => typeof v !== 'string'),
        (value) => {
          expect(() => encodeSegment(value, 'organization')).toThrow(InputValidationError);
        },
      ),
      RUNS,
    );
  });

  it('builds a query string that parses back to the same parameters', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (params) => {
        const parsed = new URLSearchParams(buildQuery(params).slice(1));
        expect(Object.fromEntries(parsed)).toEqual(params);
      }),
      RUNS,
    );
  });
});
