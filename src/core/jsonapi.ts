import { camelCase, kebabCase, kebabizeKeys } from './case.js';

/** A resource identifier: what a relationship points at. */
export interface ResourceRef {
  id: string;
  type: string;
}

export interface JsonApiRelationship {
  data?: ResourceRef | ResourceRef[] | null;
  links?: Record<string, string | null>;
}

/** One resource object as the API sends it. */
export interface JsonApiResource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, JsonApiRelationship>;
  links?: Record<string, string | null>;
  meta?: Record<string, unknown>;
}

/** A JSON:API document as the API sends it: primary data, included resources, links and meta. */
export interface JsonApiDocument {
  data?: JsonApiResource | JsonApiResource[] | null;
  included?: JsonApiResource[];
  links?: Record<string, string | null>;
  meta?: Record<string, unknown>;
}

/** A relationship after decoding: a reference, a list of references, or null when the API says there is none. */
export type Relationship = ResourceRef | ResourceRef[] | null;

/** `meta.pagination` in camelCase. */
export interface Pagination {
  currentPage: number;
  prevPage: number | null;
  nextPage: number | null;
  /** Absent when the endpoint does not count (the organization run list: run.mdx). */
  totalPages?: number | undefined;
  /** Absent when the endpoint does not count (the organization run list: run.mdx). */
  totalCount?: number | undefined;
}

/** Looks up included resources by type and id. */
export class IncludedIndex {
  // type → id → resource: no key string built per lookup.
  private readonly byType = new Map<string, Map<string, JsonApiResource>>();
  private count = 0;
  constructor(included: readonly JsonApiResource[] | undefined) {
    // `included` only adds detail: a malformed one is ignored rather than failing the whole response.
    if (!Array.isArray(included)) return;
    for (const resource of included) {
      if (!resource || typeof resource.id !== 'string') continue;
      let ids = this.byType.get(resource.type);
      if (!ids) {
        ids = new Map();
        this.byType.set(resource.type, ids);
      }
      if (!ids.has(resource.id)) this.count++;
      ids.set(resource.id, resource);
    }
  }
  /** The included resource a reference points at, if the document included it. */
  get(ref: ResourceRef): JsonApiResource | undefined {
    return this.byType.get(ref.type)?.get(ref.id);
  }
  /** How many resources were included. */
  get size(): number {
    return this.count;
  }
}

/**
 * Decodes a resource's relationships to references keyed in camelCase.
 * A relationship given only as links (or as `{}` in the docs) is left out: its id is unknown.
 */
export function decodeRelationships(
  relationships: Record<string, JsonApiRelationship> | undefined,
): Record<string, Relationship> {
  const out: Record<string, Relationship> = {};
  if (!relationships || typeof relationships !== 'object') return out;
  for (const name in relationships) {
    const rel = relationships[name];
    if (!rel || typeof rel !== 'object' || !('data' in rel)) continue;
    const data = rel.data;
    if (data === null || data === undefined) out[camelCase(name)] = null;
    else if (Array.isArray(data)) out[camelCase(name)] = data.filter(isRef).map(toRef);
    else if (isRef(data)) out[camelCase(name)] = toRef(data);
  }
  return out;
}

/** Reads `meta.pagination`, tolerating a missing or partial block. */
export function decodePagination(meta: Record<string, unknown> | undefined): Pagination | undefined {
  const p = meta?.pagination;
  if (!p || typeof p !== 'object') return undefined;
  const o = p as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    currentPage: num(o['current-page']) ?? 1,
    prevPage: num(o['prev-page']),
    nextPage: num(o['next-page']),
    // Not guessed when absent: a made-up count would stop a read-ahead at the first page.
    totalPages: num(o['total-pages']) ?? undefined,
    totalCount: num(o['total-count']) ?? undefined,
  };
}

function isRef(value: unknown): value is ResourceRef {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as ResourceRef).id === 'string' &&
    typeof (value as ResourceRef).type === 'string'
  );
}

function toRef(ref: ResourceRef): ResourceRef {
  return { id: ref.id, type: ref.type };
}

/** What a request document is made of, in camelCase. */
export interface RequestResource {
  type: string;
  id?: string;
  attributes?: Record<string, unknown>;
  /** Relationship name (camelCase) → a reference, a list, or null to clear it. */
  relationships?: Record<string, ResourceRef | ResourceRef[] | null | undefined>;
}

/** Serialises a request document: attribute and relationship names to kebab-case, undefined values dropped. */
export function serializeResource(
  resource: RequestResource,
  verbatim?: ReadonlySet<string>,
): { data: Record<string, unknown> } {
  const data: Record<string, unknown> = { type: resource.type };
  if (resource.id !== undefined) data.id = resource.id;
  if (resource.attributes) {
    const attributes = kebabizeKeys(resource.attributes, verbatim) as Record<string, unknown>;
    if (Object.keys(attributes).length) data.attributes = attributes;
  }
  if (resource.relationships) {
    const relationships: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(resource.relationships)) {
      if (ref === undefined) continue;
      relationships[kebabCase(name)] = { data: ref };
    }
    if (Object.keys(relationships).length) data.relationships = relationships;
  }
  return { data };
}
