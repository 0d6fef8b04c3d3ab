import { emptyResponse, HttpError, isoSeconds, jsonResponse, notFound } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import { isFinal } from '../run-states.js';
import { configurationVersionResource } from '../serialize.js';
import {
  attributesOf,
  getRun,
  getWorkspace,
  includesOf,
  optionalBoolean,
  type RouteContext,
  readDocument,
  requireUser,
  route,
} from './context.js';
import { CONFIGURATION_VERSION_INCLUDES } from './includes.js';

function getConfigurationVersion(ctx: RouteContext) {
  const cv = ctx.core.store.configurationVersions.get(ctx.params.id ?? '');
  if (!cv) throw notFound();
  return cv;
}

function create(ctx: RouteContext) {
  const ws = getWorkspace(ctx);
  const attrs = attributesOf(readDocument(ctx, false));
  const cv = ctx.core.store.addConfigurationVersion(ws, {
    autoQueueRuns: optionalBoolean(attrs, 'auto-queue-runs') ?? true,
    speculative: optionalBoolean(attrs, 'speculative') ?? false,
    provisional: optionalBoolean(attrs, 'provisional') ?? false,
    createdById: requireUser(ctx).id,
  });
  const data = configurationVersionResource(cv, ctx.core.serializeContext(), { uploadUrl: true });
  return jsonResponse(201, { data });
}

function read(ctx: RouteContext) {
  includesOf(ctx, CONFIGURATION_VERSION_INCLUDES);
  const cv = getConfigurationVersion(ctx);
  return jsonResponse(200, { data: configurationVersionResource(cv, ctx.core.serializeContext()) });
}

function list(ctx: RouteContext) {
  const ws = getWorkspace(ctx);
  includesOf(ctx, CONFIGURATION_VERSION_INCLUDES);
  const all = [...ctx.core.store.configurationVersions.values()]
    .filter((cv) => cv.workspaceId === ws.id)
    .reverse();
  const page = paginate(all, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
  const sctx = ctx.core.serializeContext();
  return jsonResponse(200, {
    data: page.items.map((cv) => configurationVersionResource(cv, sctx)),
    links: page.links,
    meta: page.meta,
  });
}

/** Only uploaded API versions with no run in progress can be archived (go-tfe `Archive`). */
function archive(ctx: RouteContext) {
  const cv = getConfigurationVersion(ctx);
  const busy = [...ctx.core.store.runs.values()].some(
    (r) => r.configurationVersionId === cv.id && !isFinal(r),
  );
  if (cv.status !== 'uploaded' || busy) {
    const why = busy ? 'it is used by a run in progress' : `its status is ${cv.status}`;
    throw new HttpError(409, 'conflict', `Configuration version cannot be archived: ${why}`);
  }
  cv.status = 'archived';
  cv.statusTimestamps['archived-at'] = isoSeconds(new Date());
  return emptyResponse(202);
}

/** A 302 to the archive on the archivist; by version id, or by run (`GET /runs/:id/configuration-version/download`). */
function download(ctx: RouteContext) {
  const cv = ctx.path.startsWith('/runs/')
    ? ctx.core.store.configurationVersions.get(getRun(ctx).configurationVersionId)
    : getConfigurationVersion(ctx);
  if (!cv) throw notFound();
  if (cv.status !== 'uploaded' || cv.archive === null) throw notFound();
  const location = `${ctx.core.serializeContext().archivistUrl}/v1/object/${cv.downloadKey}`;
  return emptyResponse(302, { location });
}

export const configurationVersionRoutes = [
  route('POST', '/workspaces/:id/configuration-versions', create),
  route('GET', '/workspaces/:id/configuration-versions', list),
  route('GET', '/configuration-versions/:id', read),
  route('POST', '/configuration-versions/:id/actions/archive', archive),
  route('GET', '/configuration-versions/:id/download', download),
  route('GET', '/runs/:id/configuration-version/download', download),
  // Versions made through the API carry no VCS commit: the relationship is empty.
  route('GET', '/configuration-versions/:id/ingress-attributes', (ctx) => {
    getConfigurationVersion(ctx);
    return jsonResponse(200, { data: null });
  }),
];
