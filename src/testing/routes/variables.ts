import { newId, opaqueToken } from '../ids.js';
import { emptyResponse, jsonResponse, notFound } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import type { VariableRecord } from '../records.js';
import { variableResource } from '../serialize-workspace-data.js';
import {
  attributesOf,
  getWorkspace,
  invalid,
  optionalBoolean,
  optionalString,
  type RouteContext,
  readDocument,
  route,
} from './context.js';

const CATEGORIES = ['terraform', 'env'];

function checkUnique(
  ctx: RouteContext,
  v: Pick<VariableRecord, 'workspaceId' | 'key' | 'category' | 'id'>,
): void {
  for (const other of ctx.core.store.variables.values()) {
    const same = other.workspaceId === v.workspaceId && other.key === v.key && other.category === v.category;
    if (same && other.id !== v.id) throw invalid('key', 'Key has already been taken');
  }
}

function getVariable(ctx: RouteContext): VariableRecord {
  const ws = getWorkspace(ctx);
  const v = ctx.core.store.variables.get(ctx.params.varId ?? '');
  if (!v || v.workspaceId !== ws.id) throw notFound();
  return v;
}

function create(ctx: RouteContext) {
  const ws = getWorkspace(ctx);
  const attrs = attributesOf(readDocument(ctx));
  const key = optionalString(attrs, 'key');
  const category = optionalString(attrs, 'category');
  if (!key) throw invalid('key', "Key can't be blank");
  if (!category || !CATEGORIES.includes(category))
    throw invalid('category', 'Category must be terraform or env');
  const v: VariableRecord = {
    id: newId('var'),
    workspaceId: ws.id,
    key,
    value: optionalString(attrs, 'value') ?? '',
    description: optionalString(attrs, 'description') ?? null,
    category,
    hcl: optionalBoolean(attrs, 'hcl') ?? false,
    sensitive: optionalBoolean(attrs, 'sensitive') ?? false,
    versionId: opaqueToken(16),
  };
  checkUnique(ctx, v);
  ctx.core.store.variables.set(v.id, v);
  return jsonResponse(201, { data: variableResource(v) });
}

function update(ctx: RouteContext) {
  const v = getVariable(ctx);
  const attrs = attributesOf(readDocument(ctx));
  const category = optionalString(attrs, 'category');
  if (category !== undefined && !CATEGORIES.includes(category)) {
    throw invalid('category', 'Category must be terraform or env');
  }
  const sensitive = optionalBoolean(attrs, 'sensitive');
  if (v.sensitive && sensitive === false)
    throw invalid('sensitive', 'A sensitive variable cannot be made non-sensitive');
  const next = {
    ...v,
    key: optionalString(attrs, 'key') ?? v.key,
    value: optionalString(attrs, 'value') ?? v.value,
    description: attrs.description === null ? null : (optionalString(attrs, 'description') ?? v.description),
    category: category ?? v.category,
    hcl: optionalBoolean(attrs, 'hcl') ?? v.hcl,
    sensitive: sensitive ?? v.sensitive,
    versionId: opaqueToken(16),
  };
  checkUnique(ctx, next);
  Object.assign(v, next);
  return jsonResponse(200, { data: variableResource(v) });
}

function list(ctx: RouteContext) {
  const ws = getWorkspace(ctx);
  const all = [...ctx.core.store.variables.values()].filter((v) => v.workspaceId === ws.id);
  const page = paginate(all, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
  return jsonResponse(200, { data: page.items.map(variableResource), links: page.links, meta: page.meta });
}

export const variableRoutes = [
  route('GET', '/workspaces/:id/vars', list),
  route('POST', '/workspaces/:id/vars', create),
  route('GET', '/workspaces/:id/vars/:varId', (ctx) =>
    jsonResponse(200, { data: variableResource(getVariable(ctx)) }),
  ),
  route('PATCH', '/workspaces/:id/vars/:varId', update),
  route('DELETE', '/workspaces/:id/vars/:varId', (ctx) => {
    ctx.core.store.variables.delete(getVariable(ctx).id);
    return emptyResponse(204);
  }),
];
