import { emptyResponse, HttpError, jsonResponse } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import type { RunRecord } from '../records.js';
import { inStatusGroup, operationOf } from '../run-states.js';
import { runResource } from '../serialize.js';
import {
  attributesOf,
  filterOf,
  getOrganization,
  getRun,
  getWorkspace,
  includesOf,
  invalid,
  optionalBoolean,
  optionalString,
  optionalStrings,
  type RouteContext,
  readDocument,
  readJson,
  relationshipId,
  requireUser,
  route,
} from './context.js';
import { RUN_INCLUDES, runsIncluded } from './includes.js';

const DEFAULT_MESSAGE = 'Queued manually via the Terraform Enterprise API';

function variablesOf(attrs: Record<string, unknown>): { key: string; value: string }[] {
  const v = attrs.variables;
  if (v === undefined || v === null) return [];
  const ok =
    Array.isArray(v) &&
    v.every(
      (x) => typeof x === 'object' && x !== null && typeof x.key === 'string' && typeof x.value === 'string',
    );
  if (!ok) throw invalid('variables', 'variables must be a list of {key, value} strings');
  return (v as { key: string; value: string }[]).map(({ key, value }) => ({ key, value }));
}

function createRun(ctx: RouteContext) {
  const data = readDocument(ctx);
  const attrs = attributesOf(data);
  const { store, engine } = ctx.core;
  const wsId = relationshipId(data, 'workspace');
  const ws = wsId === undefined ? undefined : store.workspaces.get(wsId);
  if (!ws) throw new HttpError(404, 'not found', 'Workspace not found, or you are not authorized to use it');
  const cvId = relationshipId(data, 'configuration-version') ?? ws.latestConfigurationVersionId;
  const pointer = '/data/relationships/configuration-version';
  if (cvId === null) {
    throw new HttpError(422, 'invalid attribute', 'Workspace has no configuration version to run', pointer);
  }
  const cv = store.configurationVersions.get(cvId);
  if (!cv) throw new HttpError(404, 'not found', 'Configuration version not found');
  if (cv.status === 'pending' || cv.status === 'fetching') {
    throw new HttpError(422, 'invalid attribute', 'Configuration version is still being processed', pointer);
  }
  if (cv.status !== 'uploaded') {
    throw new HttpError(
      422,
      'invalid attribute',
      `Configuration version is ${cv.status} and cannot be used`,
      pointer,
    );
  }
  const isDestroy = optionalBoolean(attrs, 'is-destroy') ?? false;
  const refreshOnly = optionalBoolean(attrs, 'refresh-only') ?? false;
  const planOnly = (optionalBoolean(attrs, 'plan-only') ?? false) || cv.speculative;
  const savePlan = optionalBoolean(attrs, 'save-plan') ?? false;
  const terraformVersion = optionalString(attrs, 'terraform-version');
  if (isDestroy && refreshOnly)
    throw invalid('refresh-only', 'Refresh-only mode cannot be combined with destroy mode');
  if (terraformVersion !== undefined && !planOnly) {
    throw invalid('terraform-version', 'Terraform version can only be set for plan-only runs');
  }
  if (savePlan && planOnly) throw invalid('save-plan', 'Saved plans cannot be plan-only runs');
  const run = engine.create({
    workspace: ws,
    configurationVersion: cv,
    createdBy: requireUser(ctx),
    isDestroy,
    message: optionalString(attrs, 'message') ?? DEFAULT_MESSAGE,
    refresh: optionalBoolean(attrs, 'refresh') ?? true,
    refreshOnly,
    replaceAddrs: optionalStrings(attrs, 'replace-addrs') ?? null,
    targetAddrs: optionalStrings(attrs, 'target-addrs') ?? null,
    planOnly,
    autoApply: optionalBoolean(attrs, 'auto-apply') ?? null,
    allowEmptyApply: optionalBoolean(attrs, 'allow-empty-apply') ?? false,
    terraformVersion: terraformVersion ?? null,
    savePlan,
    debuggingMode: optionalBoolean(attrs, 'debugging-mode') ?? false,
    variables: variablesOf(attrs),
    source: 'tfe-api',
    scenario: ctx.core.scenarioFor(ws),
  });
  return jsonResponse(201, { data: runResource(run, ctx.core.serializeContext()) });
}

function readRun(ctx: RouteContext) {
  const run = getRun(ctx);
  const names = includesOf(ctx, RUN_INCLUDES);
  const sctx = ctx.core.serializeContext();
  const doc: Record<string, unknown> = { data: runResource(run, sctx) };
  if (names.length > 0) doc.included = runsIncluded([run], names, sctx);
  return jsonResponse(200, doc);
}

/** How the two run lists differ (run.mdx): plan-only runs left out by default; paging without totals. */
interface RunListKind {
  /** "By default, `plan_only` runs will be excluded": the workspace list, unless `filter[operation]` is set. */
  hidePlanOnly: boolean;
  /** The organization list's `meta.pagination` has no `total-count` / `total-pages` (nor first/last links). */
  totals: boolean;
  /** Without `filter[timeframe]`: the workspace list returns every run, the organization list the last year's. */
  defaultTimeframe?: 'year';
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/** `filter[timeframe]`: "an integer year or the string "year" for the past year are valid values" (run.mdx). */
function inTimeframe(ctx: RouteContext, kind: RunListKind): (r: RunRecord) => boolean {
  const raw = ctx.query['filter[timeframe]'] || kind.defaultTimeframe;
  if (raw === undefined) return () => true;
  if (raw === 'year') {
    const since = Date.now() - YEAR_MS;
    return (r) => r.createdAt.getTime() >= since;
  }
  if (!/^\d{4}$/.test(raw)) {
    throw new HttpError(400, 'Invalid filter', `filter[timeframe] must be a year or "year", got ${raw}`);
  }
  const year = Number(raw);
  return (r) => r.createdAt.getUTCFullYear() === year;
}

/** Newest first, filtered like the list endpoints (`filter[status]` etc.), then paged. */
function listRuns(ctx: RouteContext, runs: RunRecord[], kind: RunListKind) {
  const names = includesOf(ctx, RUN_INCLUDES);
  const status = filterOf(ctx, 'status');
  const operation = filterOf(ctx, 'operation');
  const hidden = kind.hidePlanOnly && !operation;
  const source = filterOf(ctx, 'source');
  const group = filterOf(ctx, 'status_group');
  const wsNames = filterOf(ctx, 'workspace_names');
  // The fake runs nothing on agent pools, so a run matches no agent pool name.
  const agentPools = filterOf(ctx, 'agent_pool_names');
  const timeframe = inTimeframe(ctx, kind);
  const { store } = ctx.core;
  const filtered = runs
    .filter((r) => !status || status.includes(r.status))
    .filter((r) => (operation ? operation.includes(operationOf(r)) : !(hidden && r.planOnly)))
    .filter((r) => !source || source.includes(r.source))
    .filter((r) => !group || group.some((g) => inStatusGroup(r, g)))
    .filter((r) => !wsNames || wsNames.includes(store.workspaces.get(r.workspaceId)?.name ?? ''))
    .filter(() => agentPools === undefined)
    .filter(timeframe)
    .sort((a, b) => b.seq - a.seq);
  const page = paginate(filtered, ctx.query, ctx.origin, `/api/v2${ctx.path}`, { totals: kind.totals });
  const sctx = ctx.core.serializeContext();
  const doc: Record<string, unknown> = { data: page.items.map((r) => runResource(r, sctx)) };
  if (names.length > 0) doc.included = runsIncluded(page.items, names, sctx);
  return jsonResponse(200, { ...doc, links: page.links, meta: page.meta });
}

function runAction(ctx: RouteContext) {
  const run = getRun(ctx);
  const { engine } = ctx.core;
  const body = readJson(ctx) as { comment?: unknown } | undefined;
  const comment = typeof body?.comment === 'string' ? body.comment : undefined;
  const act: Record<string, (r: RunRecord) => void> = {
    apply: (r) => engine.apply(r),
    discard: (r) => engine.discard(r),
    cancel: (r) => engine.cancel(r),
    'force-cancel': (r) => engine.forceCancel(r),
    'force-execute': (r) => engine.forceExecute(r),
  };
  const name = ctx.params.action ?? '';
  const fn = Object.hasOwn(act, name) ? act[name] : undefined;
  if (!fn) throw new HttpError(404, 'not found');
  fn(run);
  if (comment !== undefined) ctx.core.store.addComment(run, comment, requireUser(ctx).id, name);
  return emptyResponse(202);
}

export const runRoutes = [
  route('POST', '/runs', createRun),
  route('GET', '/runs/:id', readRun),
  route('POST', '/runs/:id/actions/:action', runAction),
  route('GET', '/workspaces/:id/runs', (ctx) => {
    const ws = getWorkspace(ctx);
    return listRuns(
      ctx,
      [...ctx.core.store.runs.values()].filter((r) => r.workspaceId === ws.id),
      { hidePlanOnly: true, totals: true },
    );
  }),
  route('GET', '/organizations/:org/runs', (ctx) => {
    const org = getOrganization(ctx);
    const { store } = ctx.core;
    return listRuns(
      ctx,
      [...store.runs.values()].filter((r) => store.workspaces.get(r.workspaceId)?.organization === org),
      { hidePlanOnly: false, totals: false, defaultTimeframe: 'year' },
    );
  }),
];
