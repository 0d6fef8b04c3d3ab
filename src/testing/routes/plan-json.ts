import { opaqueToken } from '../ids.js';
import { emptyResponse, HttpError, notFound } from '../jsonapi.js';
import type { PlanRecord } from '../records.js';
import type { FakeResponse } from '../types.js';
import { getRun, type RouteContext, route } from './context.js';

/** How long a JSON plan URL works: plans.mdx gives the redirect's URL a life of 1 minute. */
export const PLAN_JSON_URL_TTL_MS = 60_000;

/** Terraform before 0.12 writes no JSON plan (plans.mdx: 422 for those versions). */
function beforeJsonPlans(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m !== null && Number(m[1]) === 0 && Number(m[2]) < 12;
}

/**
 * `GET /plans/:id/json-output` and `/runs/:id/plan/json-output`: 204 while the plan is unfinished, a 307 to a
 * fresh short-lived archivist URL once it finished, 422 for Terraform before 0.12. Where the docs are silent (a
 * plan that errored or was canceled) the fake keeps answering 204: a client must not wait on that alone.
 */
function jsonOutput(ctx: RouteContext, plan: PlanRecord | undefined): FakeResponse {
  if (!plan) throw notFound();
  const run = getRun(ctx, plan.runId);
  if (beforeJsonPlans(run.terraformVersion)) {
    throw new HttpError(
      422,
      'unprocessable entity',
      `Plan JSON is not available for Terraform ${run.terraformVersion}: it needs Terraform 0.12 or later`,
    );
  }
  if (plan.status !== 'finished' || run.diff === null) return emptyResponse(204);
  const { store, timers } = ctx.core;
  const key = opaqueToken();
  store.objects.set(key, { kind: 'plan-json', id: plan.id });
  timers.after(PLAN_JSON_URL_TTL_MS, () => store.objects.delete(key));
  return emptyResponse(307, { location: `${ctx.core.serializeContext().archivistUrl}/v1/object/${key}` });
}

export const planJsonRoutes = [
  route('GET', '/plans/:id/json-output', (ctx) =>
    jsonOutput(ctx, ctx.core.store.plans.get(ctx.params.id ?? '')),
  ),
  route('GET', '/runs/:id/plan/json-output', (ctx) =>
    jsonOutput(ctx, ctx.core.store.plans.get(getRun(ctx).planId)),
  ),
];
