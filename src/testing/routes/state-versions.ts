import { jsonResponse, notFound } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import { stateVersionOutputResource, stateVersionResource } from '../serialize-workspace-data.js';
import { getWorkspace, includesOf, type RouteContext, route } from './context.js';

function show(ctx: RouteContext, id: string | null) {
  const { store } = ctx.core;
  const names = includesOf(ctx, ['outputs', 'run', 'created_by']);
  const sv = id === null ? undefined : store.stateVersions.get(id);
  if (!sv) throw notFound();
  const doc: Record<string, unknown> = {
    data: stateVersionResource(sv, ctx.core.serializeContext().archivistUrl),
  };
  if (names.includes('outputs')) {
    doc.included = sv.outputIds.flatMap((o) => {
      const row = store.stateVersionOutputs.get(o);
      return row && sv.resourcesProcessed ? [stateVersionOutputResource(row, false)] : [];
    });
  }
  return jsonResponse(200, doc);
}

export const stateVersionRoutes = [
  route('GET', '/workspaces/:id/current-state-version', (ctx) =>
    show(ctx, getWorkspace(ctx).currentStateVersionId),
  ),
  route('GET', '/state-versions/:id', (ctx) => show(ctx, ctx.params.id ?? null)),
  route('GET', '/state-versions/:id/outputs', (ctx) => {
    const { store } = ctx.core;
    const sv = store.stateVersions.get(ctx.params.id ?? '');
    if (!sv) throw notFound();
    const rows = sv.resourcesProcessed
      ? sv.outputIds.flatMap((o) => store.stateVersionOutputs.get(o) ?? [])
      : [];
    const page = paginate(rows, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const data = page.items.map((o) => stateVersionOutputResource(o, false));
    return jsonResponse(200, { data, links: page.links, meta: page.meta });
  }),
  route('GET', '/workspaces/:id/current-state-version-outputs', (ctx) => {
    const { store } = ctx.core;
    const sv = store.stateVersions.get(getWorkspace(ctx).currentStateVersionId ?? '');
    const rows = sv?.resourcesProcessed
      ? sv.outputIds.flatMap((o) => store.stateVersionOutputs.get(o) ?? [])
      : [];
    const page = paginate(rows, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const data = page.items.map((o) => stateVersionOutputResource(o, false));
    return jsonResponse(200, { data, links: page.links, meta: page.meta });
  }),
  route('GET', '/state-version-outputs/:id', (ctx) => {
    const row = ctx.core.store.stateVersionOutputs.get(ctx.params.id ?? '');
    if (!row) throw notFound();
    return jsonResponse(200, { data: stateVersionOutputResource(row, true) });
  }),
];
