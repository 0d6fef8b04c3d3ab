import { z } from 'zod';
import { camelizeKeys } from '../core/case.js';
import { ResponseValidationError } from '../core/errors.js';
import {
  decodeRelationships,
  IncludedIndex,
  type JsonApiResource,
  type Relationship,
  type ResourceRef,
} from '../core/jsonapi.js';

/** An ISO 8601 timestamp from the API, as a Date. */
export const timestamp = z.string().transform((s) => new Date(s));
export const optionalTimestamp = timestamp.nullable().optional();

function isTimestampRecord(value: unknown): value is Record<string, string | null> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v !== 'string') return false;
  }
  return true;
}

function toDates(record: Record<string, string | null>): Record<string, Date | null> {
  const out: Record<string, Date | null> = {};
  for (const key in record) {
    const v = record[key] as string | null;
    out[key] = v === null ? null : new Date(v);
  }
  return out;
}

/**
 * `status-timestamps`: `<state>-at` → when the resource entered that state. One check over the object:
 * a zod record runs two schemas per entry, and runs carry a dozen entries.
 */
export const statusTimestamps = z
  .custom<Record<string, string | null>>(isTimestampRecord, 'Expected timestamps (strings or null) by state')
  .transform(toDates)
  .optional();

/** Fields every decoded resource has, whatever its type. */
export interface ResourceBase<Rel extends string = string, Many extends string = never> {
  id: string;
  type: string;
  /** Related resources' ids, known without `include`; `null` when the API says there is none. */
  relationships: { [K in Rel]?: ResourceRef | null } & { [K in Many]?: ResourceRef[] | null } & Record<
      string,
      Relationship | undefined
    >;
  links?: Record<string, string | null> | undefined;
  /** The resource exactly as the API sent it, for fields this SDK does not know yet. */
  readonly raw: JsonApiResource;
}

/**
 * A decoded resource: its camelCase attributes, relationships (`Rel` to-one, `Many` to-many), and the related
 * objects `include` brought.
 */
export type Model<
  Attributes,
  Rel extends string = never,
  Related = {},
  Many extends string = never,
> = Attributes & ResourceBase<Rel, Many> & Partial<Related>;

/** How one JSON:API type decodes. */
export interface ModelDefinition {
  type: string;
  attributes: z.ZodType<Record<string, unknown>>;
  /** Attribute names (as sent) whose values are user data and keep their keys. */
  verbatim?: ReadonlySet<string>;
}

export function defineModel<S extends z.ZodType<Record<string, unknown>>>(
  type: string,
  attributes: S,
  verbatim?: ReadonlySet<string>,
): ModelDefinition & { attributes: S } {
  return verbatim ? { type, attributes, verbatim } : { type, attributes };
}

export type ModelRegistry = ReadonlyMap<string, ModelDefinition>;

interface DecodeContext {
  registry: ModelRegistry;
  included: IncludedIndex;
  /** Decoded models by the resource object they came from: each resource decodes once, cycles end. */
  memo: Map<object, Record<string, unknown>>;
  status: number;
}

/** Decodes a resource and, recursively, the included resources its relationships point at. */
export function decodeResource<T>(
  resource: unknown,
  expected: ModelDefinition,
  registry: ModelRegistry,
  included: readonly JsonApiResource[] | undefined,
  status = 200,
  where = 'data',
): T {
  const ctx: DecodeContext = { registry, included: new IncludedIndex(included), memo: new Map(), status };
  return decodeWith(resource, expected, ctx, where) as T;
}

/** Decodes every resource of a list document with one shared `included` index. */
export function decodeResources<T>(
  resources: unknown,
  expected: ModelDefinition,
  registry: ModelRegistry,
  included: readonly JsonApiResource[] | undefined,
  status = 200,
): T[] {
  if (!Array.isArray(resources)) {
    throw new ResponseValidationError(
      'Expected `data` to be an array of resources.',
      'data',
      undefined,
      status,
    );
  }
  const ctx: DecodeContext = { registry, included: new IncludedIndex(included), memo: new Map(), status };
  return resources.map((r, i) => decodeWith(r, expected, ctx, `data.${i}`) as T);
}

function decodeWith(
  resource: unknown,
  def: ModelDefinition,
  ctx: DecodeContext,
  where: string,
): Record<string, unknown> {
  if (!resource || typeof resource !== 'object' || typeof (resource as JsonApiResource).id !== 'string') {
    throw new ResponseValidationError(
      `Expected a JSON:API resource with an id at ${where}.`,
      where,
      undefined,
      ctx.status,
    );
  }
  const res = resource as JsonApiResource;
  // A document of another type (a proxy's cached page, a wrong endpoint) must not pass as this model.
  if (res.type !== def.type) {
    throw new ResponseValidationError(
      `Expected a ${def.type} resource at ${where}, got ${typeof res.type === 'string' ? res.type : 'no type'}.`,
      `${where}.type`,
      undefined,
      ctx.status,
    );
  }
  const seen = ctx.memo.get(res);
  if (seen) return seen;

  const attributes = camelizeKeys(res.attributes ?? {}, def.verbatim);
  const parsed = def.attributes.safeParse(attributes);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = `${where}.attributes${issue?.path.length ? `.${issue.path.join('.')}` : ''}`;
    throw new ResponseValidationError(
      `The ${res.type} resource ${res.id} does not match the documented shape at ${at}: ${issue?.message ?? 'invalid'}.`,
      at,
      undefined,
      ctx.status,
    );
  }
  const relationships = decodeRelationships(res.relationships);
  const model = parsed.data as Record<string, unknown>;
  model.id = res.id;
  model.type = res.type;
  model.relationships = relationships;
  model.links = res.links;
  // Non-enumerable: JSON.stringify and spreads stay small, but the raw resource stays reachable.
  Object.defineProperty(model, 'raw', { value: resource, enumerable: false });
  ctx.memo.set(res, model);

  if (ctx.included.size > 0) {
    for (const name in relationships) {
      const rel = relationships[name];
      if (!rel) continue;
      if (Array.isArray(rel)) {
        const found = rel.map((ref) => relatedModel(ref, ctx, where)).filter((m) => m !== undefined);
        if (found.length && !(name in parsed.data)) model[name] = found;
      } else {
        const related = relatedModel(rel, ctx, where);
        if (related && !(name in parsed.data)) model[name] = related;
      }
    }
  }
  return model;
}

function relatedModel(
  ref: ResourceRef,
  ctx: DecodeContext,
  where: string,
): Record<string, unknown> | undefined {
  const resource = ctx.included.get(ref);
  if (!resource) return undefined;
  const def = ctx.registry.get(ref.type) ?? genericModel(ref.type);
  try {
    return decodeWith(resource, def, ctx, `${where}.included(${ref.type} ${ref.id})`);
  } catch (err) {
    // A related resource that changed shape must not fail the read of the one asked for: its id stays in
    // `relationships`, its raw form in `included`, and only the typed object is left out.
    if (err instanceof ResponseValidationError) return undefined;
    throw err;
  }
}

const genericAttributes = z.looseObject({});
const generics = new Map<string, ModelDefinition>();

/** Decodes a type this SDK has no schema for: camelCase attributes, no validation. */
export function genericModel(type: string): ModelDefinition {
  let def = generics.get(type);
  if (!def) {
    def = { type, attributes: genericAttributes };
    generics.set(type, def);
  }
  return def;
}
