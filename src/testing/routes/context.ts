import { HttpError, type JsonObject } from '../jsonapi.js';
import type { ConfigurationVersionRecord, RunRecord, UserRecord, WorkspaceRecord } from '../records.js';
import type { RunEngine } from '../run-engine.js';
import type { SerializeContext } from '../serialize.js';
import type { Store } from '../store.js';
import type { Timers } from '../timers.js';
import type { ArchivistRePut, FakeResponse, RunScenario } from '../types.js';

/** What the routes share: the rows, the run engine and a few core services. */
export interface CoreServices {
  store: Store;
  engine: RunEngine;
  timers: Timers;
  serializeContext(): SerializeContext;
  /** Scenario for a new run in this workspace (consumes a queued next-run scenario). */
  scenarioFor(ws: WorkspaceRecord): RunScenario;
  /** The archivist finished processing an upload: mark the version, maybe queue a run. */
  uploadProcessed(cv: ConfigurationVersionRecord, files: Map<string, Buffer> | Error): void;
  uploadProcessingMs: number;
  archivistRePut: ArchivistRePut;
}

export interface RouteContext {
  method: string;
  /** Path below the surface's base (`/runs/run-1`), without the query. */
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  /** Who the token belongs to (API routes only). */
  user: UserRecord | null;
  /** Origin for absolute links (pagination). */
  origin: string;
  core: CoreServices;
}

export type Handler = (ctx: RouteContext) => FakeResponse | Promise<FakeResponse>;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
}

export const route = (method: string, pattern: string, handler: Handler): Route => ({
  method,
  pattern,
  handler,
});

/** The `data` member of a JSON:API request document (or `{}` for an optional empty body). */
export function readDocument(ctx: RouteContext, required = true): JsonObject {
  const body = readJson(ctx);
  if (body === undefined) {
    if (required) throw new HttpError(422, 'invalid attribute', 'A JSON:API document is required', '/data');
    return {};
  }
  const data = (body as JsonObject).data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    if (required) throw new HttpError(422, 'invalid attribute', 'data must be an object', '/data');
    return {};
  }
  return data;
}

/** The parsed JSON body, `undefined` when empty. */
export function readJson(ctx: RouteContext): unknown {
  if (ctx.body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(ctx.body.toString('utf8'));
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value;
  } catch (err) {
    throw new HttpError(400, 'JSON body is invalid', (err as Error).message);
  }
}

/** Attributes of the document with `snake_case` keys read as TFE's kebab-case (Rails accepts both). */
export function attributesOf(data: JsonObject): Record<string, unknown> {
  const attrs = data.attributes;
  if (attrs === undefined || attrs === null) return {};
  if (typeof attrs !== 'object' || Array.isArray(attrs)) {
    throw new HttpError(422, 'invalid attribute', 'attributes must be an object', '/data/attributes');
  }
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.replaceAll('_', '-'), v]));
}

export function relationshipId(data: JsonObject, name: string): string | undefined {
  const rels = data.relationships as JsonObject | undefined;
  const rel = rels?.[name] as JsonObject | undefined;
  const id = (rel?.data as JsonObject | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

const invalid = (key: string, detail: string) =>
  new HttpError(422, 'invalid attribute', detail, `/data/attributes/${key}`);

export function optionalBoolean(attrs: Record<string, unknown>, key: string): boolean | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(key, `${key} must be a boolean`);
  return v;
}

export function optionalString(attrs: Record<string, unknown>, key: string): string | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(key, `${key} must be a string`);
  return v;
}

export function optionalStrings(attrs: Record<string, unknown>, key: string): string[] | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
    throw invalid(key, `${key} must be a list of strings`);
  return v as string[];
}

export { invalid };

/** Comma-separated `include` names, checked against what the endpoint supports. */
export function includesOf(ctx: RouteContext, allowed: readonly string[]): string[] {
  const raw = ctx.query.include;
  if (raw === undefined || raw === '') return [];
  const names = raw.split(',').map((s) => s.trim());
  const bad = names.find((n) => !allowed.includes(n));
  if (bad !== undefined) {
    throw new HttpError(400, 'Invalid include parameter', `Invalid include parameter: ${bad}`, undefined);
  }
  return names;
}

/** A comma-separated filter value, or undefined when absent. */
export function filterOf(ctx: RouteContext, name: string): string[] | undefined {
  const raw = ctx.query[`filter[${name}]`];
  return raw === undefined || raw === '' ? undefined : raw.split(',').map((s) => s.trim());
}

/** The caller (API routes run only after authentication). */
export function requireUser(ctx: RouteContext): UserRecord {
  if (!ctx.user) throw new HttpError(401, 'unauthorized');
  return ctx.user;
}

export function getRun(ctx: RouteContext, id = ctx.params.id): RunRecord {
  const run = id === undefined ? undefined : ctx.core.store.runs.get(id);
  if (!run) throw new HttpError(404, 'not found');
  return run;
}

export function getWorkspace(ctx: RouteContext, id = ctx.params.id): WorkspaceRecord {
  const ws = id === undefined ? undefined : ctx.core.store.workspaces.get(id);
  if (!ws) throw new HttpError(404, 'not found');
  return ws;
}

export function getOrganization(ctx: RouteContext): string {
  const org = ctx.params.org;
  if (org === undefined || !ctx.core.store.organizations.has(org)) throw new HttpError(404, 'not found');
  return org;
}

export function getWorkspaceByName(ctx: RouteContext): WorkspaceRecord {
  const org = getOrganization(ctx);
  const ws = ctx.core.store.workspaceByName(org, ctx.params.name ?? '');
  if (!ws) throw new HttpError(404, 'not found');
  return ws;
}
