import { emptyResponse, HttpError, type JsonObject, jsonResponse } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import type { WorkspaceRecord } from '../records.js';
import { organizationResource, userResource } from '../serialize.js';
import { workspaceResource } from '../serialize-workspace.js';
import type { WorkspaceInput } from '../store.js';
import {
  attributesOf,
  getOrganization,
  getWorkspace,
  getWorkspaceByName,
  includesOf,
  invalid,
  optionalBoolean,
  optionalString,
  optionalStrings,
  type RouteContext,
  readDocument,
  readJson,
  requireUser,
  route,
} from './context.js';
import { WORKSPACE_INCLUDES, workspacesIncluded } from './includes.js';
import { bindTags } from './tags.js';

const NAME = /^[A-Za-z0-9_-]{1,90}$/;
const EXECUTION_MODES = ['remote', 'local', 'agent'];

/** Attributes the fake models; the rest are kept as they came and echoed back. */
const MODELLED = new Set([
  'name',
  'auto-apply',
  'execution-mode',
  'working-directory',
  'terraform-version',
  'description',
  'tag-names',
  'allow-destroy-plan',
  'speculative-enabled',
  'queue-all-runs',
]);

function workspaceInput(attrs: Record<string, unknown>): WorkspaceInput {
  const input: WorkspaceInput = {};
  const executionMode = optionalString(attrs, 'execution-mode');
  if (executionMode !== undefined && !EXECUTION_MODES.includes(executionMode)) {
    throw invalid('execution-mode', `Execution mode must be one of ${EXECUTION_MODES.join(', ')}`);
  }
  const set = <K extends keyof WorkspaceInput>(key: K, value: WorkspaceInput[K] | undefined) => {
    if (value !== undefined) input[key] = value;
  };
  set('autoApply', optionalBoolean(attrs, 'auto-apply'));
  set('executionMode', executionMode);
  set('workingDirectory', optionalString(attrs, 'working-directory'));
  set('terraformVersion', optionalString(attrs, 'terraform-version'));
  set('description', optionalString(attrs, 'description'));
  set('tagNames', optionalStrings(attrs, 'tag-names'));
  set('allowDestroyPlan', optionalBoolean(attrs, 'allow-destroy-plan'));
  set('speculativeEnabled', optionalBoolean(attrs, 'speculative-enabled'));
  set('queueAllRuns', optionalBoolean(attrs, 'queue-all-runs'));
  const extra = Object.fromEntries(Object.entries(attrs).filter(([k]) => !MODELLED.has(k)));
  if (Object.keys(extra).length > 0) input.extraAttributes = extra;
  return input;
}

function checkName(ctx: RouteContext, organization: string, name: unknown, self?: WorkspaceRecord): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid('name', 'Name is invalid: use only letters, numbers, "-" and "_"');
  }
  const other = ctx.core.store.workspaceByName(organization, name);
  if (other && other !== self) throw invalid('name', 'Name has already been taken');
  return name;
}

function show(ctx: RouteContext, ws: WorkspaceRecord, status = 200) {
  const names = includesOf(ctx, WORKSPACE_INCLUDES);
  const sctx = ctx.core.serializeContext();
  const doc: Record<string, unknown> = { data: workspaceResource(ws, sctx) };
  if (names.length > 0) doc.included = workspacesIncluded([ws], names, sctx);
  return jsonResponse(status, doc);
}

function create(ctx: RouteContext) {
  const org = getOrganization(ctx);
  const data = readDocument(ctx);
  const attrs = attributesOf(data);
  const name = checkName(ctx, org, attrs.name);
  const ws = ctx.core.store.addWorkspace(org, name, workspaceInput(attrs));
  const bindings = (
    (data.relationships as JsonObject | undefined)?.['tag-bindings'] as JsonObject | undefined
  )?.data;
  if (Array.isArray(bindings))
    bindTags(
      ws,
      bindings.map((b) => ((b as JsonObject).attributes ?? {}) as Record<string, unknown>),
    );
  return show(ctx, ws, 201);
}

function update(ctx: RouteContext, ws: WorkspaceRecord) {
  const attrs = attributesOf(readDocument(ctx));
  const input = workspaceInput(attrs);
  if (attrs.name !== undefined) ws.name = checkName(ctx, ws.organization, attrs.name, ws);
  const { extraAttributes, ...modelled } = input;
  Object.assign(ws, modelled);
  if (extraAttributes) ws.extraAttributes = { ...ws.extraAttributes, ...extraAttributes };
  ws.updatedAt = new Date();
  return show(ctx, ws);
}

function remove(ctx: RouteContext, ws: WorkspaceRecord) {
  ctx.core.engine.forget(ws);
  ctx.core.store.deleteWorkspace(ws);
  return emptyResponse(204);
}

function safeRemove(ctx: RouteContext, ws: WorkspaceRecord) {
  if (ws.state.resources.length > 0) {
    throw new HttpError(
      409,
      'conflict',
      'Workspace is currently managing resources and cannot be safe-deleted',
    );
  }
  return remove(ctx, ws);
}

function list(ctx: RouteContext) {
  const org = getOrganization(ctx);
  const names = includesOf(ctx, WORKSPACE_INCLUDES);
  const name = ctx.query['search[name]']?.toLowerCase();
  const wildcard = ctx.query['search[wildcard-name]'];
  const tags = ctx.query['search[tags]']?.split(',').filter(Boolean);
  const excluded = ctx.query['search[exclude-tags]']?.split(',').filter(Boolean);
  const pattern = wildcard
    ? new RegExp(
        `^${wildcard
          .split('*')
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      )
    : undefined;
  const all = [...ctx.core.store.workspaces.values()]
    .filter((ws) => ws.organization === org)
    .filter((ws) => !name || ws.name.toLowerCase().includes(name))
    .filter((ws) => !pattern || pattern.test(ws.name))
    .filter((ws) => !tags || tags.every((t) => ws.tagNames.includes(t)))
    .filter((ws) => !excluded?.some((t) => ws.tagNames.includes(t)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(all, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
  const sctx = ctx.core.serializeContext();
  const doc: Record<string, unknown> = { data: page.items.map((ws) => workspaceResource(ws, sctx)) };
  if (names.length > 0) doc.included = workspacesIncluded(page.items, names, sctx);
  return jsonResponse(200, { ...doc, links: page.links, meta: page.meta });
}

function holder(ctx: RouteContext, ws: WorkspaceRecord): string {
  const lock = ws.lock;
  if (lock === null) return 'nobody';
  if (lock.by === 'run') return `Run ${lock.runId}`;
  return `User ${ctx.core.store.users.get(lock.userId)?.username ?? lock.userId}`;
}

function lock(ctx: RouteContext) {
  const ws = getWorkspace(ctx);
  const body = readJson(ctx) as { reason?: unknown } | undefined;
  if (ws.lock !== null) {
    throw new HttpError(
      409,
      'conflict',
      `Unable to lock workspace. The workspace is locked by ${holder(ctx, ws)}.`,
    );
  }
  ws.lock = {
    by: 'user',
    userId: requireUser(ctx).id,
    reason: typeof body?.reason === 'string' ? body.reason : '',
  };
  return show(ctx, ws);
}

function unlock(ctx: RouteContext, force: boolean) {
  const ws = getWorkspace(ctx);
  const current = ws.lock;
  if (current === null)
    throw new HttpError(409, 'conflict', 'Unable to unlock workspace. The workspace is not locked.');
  if (current.by === 'run' || (!force && current.userId !== requireUser(ctx).id)) {
    throw new HttpError(
      409,
      'conflict',
      `Unable to unlock workspace. The workspace is locked by ${holder(ctx, ws)}.`,
    );
  }
  ws.lock = null;
  ctx.core.engine.pump(ws);
  return show(ctx, ws);
}

export const workspaceRoutes = [
  route('GET', '/organizations/:org', (ctx) => {
    const org = ctx.core.store.organizations.get(getOrganization(ctx));
    return jsonResponse(200, { data: org && organizationResource(org) });
  }),
  route('GET', '/account/details', (ctx) => jsonResponse(200, { data: userResource(requireUser(ctx)) })),
  route('GET', '/organizations/:org/workspaces', list),
  route('POST', '/organizations/:org/workspaces', create),
  route('GET', '/organizations/:org/workspaces/:name', (ctx) => show(ctx, getWorkspaceByName(ctx))),
  route('PATCH', '/organizations/:org/workspaces/:name', (ctx) => update(ctx, getWorkspaceByName(ctx))),
  route('DELETE', '/organizations/:org/workspaces/:name', (ctx) => remove(ctx, getWorkspaceByName(ctx))),
  route('POST', '/organizations/:org/workspaces/:name/actions/safe-delete', (ctx) =>
    safeRemove(ctx, getWorkspaceByName(ctx)),
  ),
  route('GET', '/workspaces/:id', (ctx) => show(ctx, getWorkspace(ctx))),
  route('PATCH', '/workspaces/:id', (ctx) => update(ctx, getWorkspace(ctx))),
  route('DELETE', '/workspaces/:id', (ctx) => remove(ctx, getWorkspace(ctx))),
  route('POST', '/workspaces/:id/actions/safe-delete', (ctx) => safeRemove(ctx, getWorkspace(ctx))),
  route('POST', '/workspaces/:id/actions/lock', lock),
  route('POST', '/workspaces/:id/actions/unlock', (ctx) => unlock(ctx, false)),
  route('POST', '/workspaces/:id/actions/force-unlock', (ctx) => unlock(ctx, true)),
];
