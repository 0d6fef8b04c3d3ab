import { HttpError, type JsonObject, jsonResponse, notFound } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import type { TaskStageRecord } from '../records.js';
import { overrideStage } from '../run-tasks.js';
import { runResource } from '../serialize.js';
import {
  policyEvaluationResource,
  policySetOutcomeResource,
  taskResultResource,
  taskStageResource,
} from '../serialize-run-tasks.js';
import { workspaceResource } from '../serialize-workspace.js';
import { getRun, includesOf, type RouteContext, readJson, route } from './context.js';

/** The docs' "Available Related Resources" of a task stage. */
export const TASK_STAGE_INCLUDES = ['run', 'run.workspace', 'task_results', 'policy_evaluations'] as const;

function stageById(ctx: RouteContext): TaskStageRecord {
  const ts = ctx.core.store.taskStages.get(ctx.params.id ?? '');
  if (!ts) throw notFound();
  return ts;
}

function included(ctx: RouteContext, stages: TaskStageRecord[]): JsonObject[] | undefined {
  const names = includesOf(ctx, TASK_STAGE_INCLUDES);
  if (!names.length) return undefined;
  const { store } = ctx.core;
  const out = new Map<string, JsonObject>();
  const add = (r: JsonObject | undefined) => {
    if (r) out.set(`${String(r.type)}/${String(r.id)}`, r);
  };
  for (const ts of stages) {
    const run = store.runs.get(ts.runId);
    if (run && names.some((n) => n.startsWith('run'))) add(runResource(run, ctx.core.serializeContext()));
    if (run && names.includes('run.workspace')) {
      const ws = store.workspaces.get(run.workspaceId);
      if (ws) add(workspaceResource(ws, ctx.core.serializeContext()));
    }
    if (names.includes('task_results')) {
      for (const id of ts.taskResultIds) {
        const r = store.taskResults.get(id);
        if (r) add(taskResultResource(r));
      }
    }
    if (names.includes('policy_evaluations')) {
      for (const id of ts.policyEvaluationIds) {
        const e = store.policyEvaluations.get(id);
        if (e) add(policyEvaluationResource(e, store));
      }
    }
  }
  return [...out.values()];
}

function withIncluded(doc: JsonObject, inc: JsonObject[] | undefined): JsonObject {
  return inc ? { ...doc, included: inc } : doc;
}

function override(ctx: RouteContext) {
  const ts = stageById(ctx);
  const run = getRun(ctx, ts.runId);
  if (!ts.canOverride)
    throw new HttpError(403, 'forbidden', 'You are not allowed to override this task stage');
  const waitingIn = `${ts.stage}_awaiting_decision`;
  if (ts.status !== 'awaiting_override' || !run.paused || run.status !== waitingIn) {
    throw new HttpError(409, 'transition not allowed', 'Task stage is not awaiting an override');
  }
  const body = readJson(ctx) as JsonObject | undefined;
  const comment = typeof body?.comment === 'string' ? body.comment : null;
  overrideStage(ctx.core.store, run, ts, comment);
  ctx.core.engine.resume(run, [waitingIn]);
  return jsonResponse(200, { data: taskStageResource(ts) });
}

// `filter[n][status]` with `filter[n][enforcementLevel]` (the docs) or `[enforcement_level]` (go-tfe).
function outcomeFilters(query: Record<string, string>): Array<{ status: string; level?: string }> {
  const byIndex = new Map<string, { status?: string; level?: string }>();
  for (const [key, value] of Object.entries(query)) {
    const m = /^filter\[(\d+)\]\[(status|enforcementLevel|enforcement_level)\]$/.exec(key);
    if (!m) continue;
    const f = byIndex.get(m[1]!) ?? {};
    if (m[2] === 'status') f.status = value;
    else f.level = value;
    byIndex.set(m[1]!, f);
  }
  return [...byIndex.values()].map((f) => {
    if (!f.status || !['passed', 'failed', 'errored'].includes(f.status)) {
      throw new HttpError(400, 'invalid filter', 'filter[n][status] must be passed, failed or errored');
    }
    if (f.level !== undefined && !['advisory', 'mandatory'].includes(f.level)) {
      throw new HttpError(400, 'invalid filter', 'filter[n][enforcementLevel] must be advisory or mandatory');
    }
    return f.level === undefined ? { status: f.status } : { status: f.status, level: f.level };
  });
}

const EVALUATED = new Set(['passed', 'failed', 'overridden', 'errored']);

export const taskStageRoutes = [
  route('GET', '/runs/:id/task-stages', (ctx) => {
    const { store } = ctx.core;
    const stages = getRun(ctx).taskStageIds.flatMap((id) => store.taskStages.get(id) ?? []);
    const page = paginate(stages, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const doc = { data: page.items.map(taskStageResource), links: page.links, meta: page.meta };
    return jsonResponse(200, withIncluded(doc, included(ctx, page.items)));
  }),
  route('GET', '/task-stages/:id', (ctx) => {
    const ts = stageById(ctx);
    return jsonResponse(200, withIncluded({ data: taskStageResource(ts) }, included(ctx, [ts])));
  }),
  route('POST', '/task-stages/:id/actions/override', override),
  route('GET', '/task-results/:id', (ctx) => {
    const r = ctx.core.store.taskResults.get(ctx.params.id ?? '');
    if (!r) throw notFound();
    return jsonResponse(200, { data: taskResultResource(r) });
  }),
  route('GET', '/task-stages/:id/policy-evaluations', (ctx) => {
    const ts = stageById(ctx);
    const { store } = ctx.core;
    const all = ts.policyEvaluationIds.flatMap((id) => store.policyEvaluations.get(id) ?? []);
    const page = paginate(all, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const data = page.items.map((e) => policyEvaluationResource(e, store));
    return jsonResponse(200, { data, links: page.links, meta: page.meta });
  }),
  route('GET', '/policy-evaluations/:id/policy-set-outcomes', (ctx) => {
    const { store } = ctx.core;
    const e = store.policyEvaluations.get(ctx.params.id ?? '');
    if (!e) throw notFound();
    const filters = outcomeFilters(ctx.query);
    // Outcomes exist once the evaluation has run; a filter keeps a set with at least one matching outcome.
    const sets = (EVALUATED.has(e.status) ? e.outcomeIds : [])
      .flatMap((id) => store.policySetOutcomes.get(id) ?? [])
      .filter(
        (o) =>
          !filters.length ||
          o.outcomes.some((row) =>
            filters.some(
              (f) =>
                row.status === f.status &&
                (f.level === undefined || f.status === 'errored' || row.enforcement_level === f.level),
            ),
          ),
      );
    const page = paginate(sets, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const data = page.items.map((o) => policySetOutcomeResource(o, store));
    return jsonResponse(200, { data, links: page.links, meta: page.meta });
  }),
  route('GET', '/policy-set-outcomes/:id', (ctx) => {
    const { store } = ctx.core;
    const o = store.policySetOutcomes.get(ctx.params.id ?? '');
    if (!o || !EVALUATED.has(store.policyEvaluations.get(o.policyEvaluationId)?.status ?? ''))
      throw notFound();
    return jsonResponse(200, { data: policySetOutcomeResource(o, store) });
  }),
];
