import { HttpError, isoSeconds, type JsonObject, jsonResponse, notFound } from '../jsonapi.js';
import {
  applyResource,
  configurationVersionResource,
  costEstimateResource,
  planResource,
  policyCheckResource,
  userResource,
} from '../serialize.js';
import type { FakeResponse } from '../types.js';
import { getRun, type RouteContext, route } from './context.js';

const one = (data: JsonObject | undefined) => {
  if (data === undefined) throw notFound();
  return jsonResponse(200, { data });
};

function byId<T>(map: Map<string, T>, id: string | undefined): T | undefined {
  return id === undefined ? undefined : map.get(id);
}

const planOf = (ctx: RouteContext, id: string | undefined) => {
  const plan = byId(ctx.core.store.plans, id);
  return plan && planResource(plan, ctx.core.serializeContext());
};

const applyOf = (ctx: RouteContext, id: string | undefined) => {
  const apply = byId(ctx.core.store.applies, id);
  return apply && applyResource(apply, ctx.core.serializeContext());
};

function overridePolicy(ctx: RouteContext) {
  const pc = byId(ctx.core.store.policyChecks, ctx.params.id);
  if (!pc) throw notFound();
  const run = getRun(ctx, pc.runId);
  if (pc.status !== 'soft_failed' || !run.paused || run.status !== 'policy_override') {
    throw new HttpError(409, 'transition not allowed', 'Policy check is not overridable');
  }
  pc.status = 'overridden';
  pc.statusTimestamps['overridden-at'] = isoSeconds(new Date());
  ctx.core.engine.resume(run, ['policy_override']);
  return jsonResponse(200, { data: policyCheckResource(pc) });
}

/** The Sentinel report a finished check wrote; nothing while it waits to run. */
function policyOutput(ctx: RouteContext): FakeResponse {
  const pc = byId(ctx.core.store.policyChecks, ctx.params.id);
  if (!pc) throw notFound();
  const passed = pc.softFailed === 0;
  const report =
    pc.status === 'pending' || pc.status === 'queued'
      ? ''
      : `Sentinel Result: ${passed}\n\n1 policies evaluated.\n\n` +
        `## Policy 1: fake-tfe/require-approval (soft-mandatory)\n\nResult: ${passed}\n`;
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(report) };
}

export const phaseRoutes = [
  route('GET', '/plans/:id', (ctx) => one(planOf(ctx, ctx.params.id))),
  route('GET', '/applies/:id', (ctx) => one(applyOf(ctx, ctx.params.id))),
  route('GET', '/runs/:id/plan', (ctx) => one(planOf(ctx, getRun(ctx).planId))),
  route('GET', '/runs/:id/apply', (ctx) => one(applyOf(ctx, getRun(ctx).applyId))),
  route('GET', '/runs/:id/created-by', (ctx) => {
    const user = byId(ctx.core.store.users, getRun(ctx).createdById);
    return one(user && userResource(user));
  }),
  route('GET', '/runs/:id/configuration-version', (ctx) => {
    const cv = byId(ctx.core.store.configurationVersions, getRun(ctx).configurationVersionId);
    return one(cv && configurationVersionResource(cv, ctx.core.serializeContext()));
  }),
  route('GET', '/cost-estimates/:id', (ctx) => {
    const ce = byId(ctx.core.store.costEstimates, ctx.params.id);
    return one(ce && costEstimateResource(ce));
  }),
  route('GET', '/runs/:id/policy-checks', (ctx) => {
    const pc = byId(ctx.core.store.policyChecks, getRun(ctx).policyCheckId);
    return jsonResponse(200, { data: pc ? [policyCheckResource(pc)] : [] });
  }),
  route('GET', '/policy-checks/:id', (ctx) => {
    const pc = byId(ctx.core.store.policyChecks, ctx.params.id);
    return one(pc && policyCheckResource(pc));
  }),
  route('GET', '/policy-checks/:id/output', policyOutput),
  route('POST', '/policy-checks/:id/actions/override', overridePolicy),
];
