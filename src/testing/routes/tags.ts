import { emptyResponse, type JsonObject, jsonResponse } from '../jsonapi.js';
import type { WorkspaceRecord } from '../records.js';
import { getWorkspace, invalid, type RouteContext, readJson, route } from './context.js';

/** The `data` array of a relationship or tag-bindings document, each item's attributes. */
function itemsOf(ctx: RouteContext): Record<string, unknown>[] {
  const data = (readJson(ctx) as JsonObject | undefined)?.data;
  if (!Array.isArray(data)) throw invalid('data', 'data must be an array');
  return data.map((d) => ((d as JsonObject | null)?.attributes ?? {}) as Record<string, unknown>);
}

const tagNamesOf = (ctx: RouteContext) =>
  itemsOf(ctx).map((a) => {
    if (typeof a.name !== 'string' || a.name === '') throw invalid('name', "Tag name can't be blank");
    return a.name;
  });

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
    return jsonResponse(200, {
      data: ws.tagNames.map((name) => ({ type: 'tags', id: `tag-${name}`, attributes: { name } })),
    });
  }),
  route('POST', '/workspaces/:id/relationships/tags', (ctx) => {
    const ws = getWorkspace(ctx);
    ws.tagNames = [...new Set([...ws.tagNames, ...tagNamesOf(ctx)])];
    return emptyResponse(204);
  }),
  route('DELETE', '/workspaces/:id/relationships/tags', (ctx) => {
    const ws = getWorkspace(ctx);
    const gone = new Set(tagNamesOf(ctx));
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
