import { emptyResponse, type JsonObject, jsonResponse, notFound, relationship } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import type { WorkspaceRecord } from '../records.js';
import { getWorkspace, invalid, type RouteContext, readJson, route } from './context.js';

/** The `data` array of a relationship or tag-bindings document. */
function resourcesOf(ctx: RouteContext): (JsonObject | null)[] {
  const data = (readJson(ctx) as JsonObject | undefined)?.data;
  if (!Array.isArray(data)) throw invalid('data', 'data must be an array');
  return data as (JsonObject | null)[];
}

/** Each item's attributes. */
const itemsOf = (ctx: RouteContext) =>
  resourcesOf(ctx).map((d) => (d?.attributes ?? {}) as Record<string, unknown>);

/** A flat tag's id: one per name in an organization, stable so tests can name it. */
const tagId = (name: string) => `tag-${name}`;

/** Every flat tag name on the organization's workspaces, with how many carry it. */
function organizationTags(ctx: RouteContext, organization: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ws of ctx.core.store.workspaces.values()) {
    if (ws.organization !== organization) continue;
    for (const name of ws.tagNames) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The names a tags document gives: a resource with a name, or the id of a tag the organization has. */
function tagNamesOf(ctx: RouteContext, ws: WorkspaceRecord): string[] {
  const known = [...organizationTags(ctx, ws.organization).keys()];
  return resourcesOf(ctx).map((d) => {
    const name = (d?.attributes as JsonObject | undefined)?.name;
    if (typeof d?.id === 'string' && name === undefined) {
      const found = known.find((n) => tagId(n) === d.id);
      if (found === undefined) throw notFound();
      return found;
    }
    if (typeof name !== 'string' || name === '') throw invalid('name', "Tag name can't be blank");
    return name;
  });
}

const bindingsDocument = (ws: WorkspaceRecord) => ({
  data: ws.tagBindings.map((b) => ({ type: 'tag-bindings', attributes: { key: b.key, value: b.value } })),
});

/** Adds or replaces key/value tags, as `PATCH …/tag-bindings` and workspace creation do. */
export function bindTags(ws: WorkspaceRecord, bindings: Record<string, unknown>[]): void {
  for (const b of bindings) {
    if (typeof b.key !== 'string' || b.key === '') throw invalid('key', "Tag key can't be blank");
    const value = typeof b.value === 'string' ? b.value : '';
    ws.tagBindings = [...ws.tagBindings.filter((t) => t.key !== b.key), { key: b.key, value }];
  }
}

export const tagRoutes = [
  route('GET', '/workspaces/:id/relationships/tags', (ctx) => {
    const ws = getWorkspace(ctx);
    const counts = organizationTags(ctx, ws.organization);
    const page = paginate(ws.tagNames, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const data = page.items.map((name) => ({
      type: 'tags',
      id: tagId(name),
      attributes: { name, 'instance-count': counts.get(name) ?? 0 },
      relationships: { organization: relationship('organizations', ws.organization) },
    }));
    return jsonResponse(200, { data, links: page.links, meta: page.meta });
  }),
  route('POST', '/workspaces/:id/relationships/tags', (ctx) => {
    const ws = getWorkspace(ctx);
    ws.tagNames = [...new Set([...ws.tagNames, ...tagNamesOf(ctx, ws)])];
    return emptyResponse(204);
  }),
  route('DELETE', '/workspaces/:id/relationships/tags', (ctx) => {
    const ws = getWorkspace(ctx);
    const gone = new Set(tagNamesOf(ctx, ws));
    ws.tagNames = ws.tagNames.filter((t) => !gone.has(t));
    return emptyResponse(204);
  }),
  route('GET', '/workspaces/:id/tag-bindings', (ctx) =>
    jsonResponse(200, bindingsDocument(getWorkspace(ctx))),
  ),
  route('GET', '/workspaces/:id/effective-tag-bindings', (ctx) =>
    jsonResponse(200, bindingsDocument(getWorkspace(ctx))),
  ),
  route('PATCH', '/workspaces/:id/tag-bindings', (ctx) => {
    const ws = getWorkspace(ctx);
    bindTags(ws, itemsOf(ctx));
    return jsonResponse(200, bindingsDocument(ws));
  }),
];
