import { jsonResponse, notFound } from '../jsonapi.js';
import { paginate } from '../pagination.js';
import { commentResource, runEventResource, userResource } from '../serialize.js';
import {
  attributesOf,
  getRun,
  includesOf,
  invalid,
  optionalString,
  type RouteContext,
  readDocument,
  requireUser,
  route,
} from './context.js';

const EVENT_INCLUDES = ['actor', 'comment'] as const;

function eventDocument(ctx: RouteContext, events: ReturnType<typeof eventsOf>, extra: object = {}) {
  const names = includesOf(ctx, EVENT_INCLUDES);
  const { store } = ctx.core;
  const sctx = ctx.core.serializeContext();
  const included = new Map<string, object>();
  for (const e of events) {
    const actor = e.actorId === null ? undefined : store.users.get(e.actorId);
    const comment = e.commentId === null ? undefined : store.comments.get(e.commentId);
    if (names.includes('actor') && actor) included.set(actor.id, userResource(actor));
    if (names.includes('comment') && comment) included.set(comment.id, commentResource(comment, sctx));
  }
  return names.length > 0 ? { ...extra, included: [...included.values()] } : extra;
}

function eventsOf(ctx: RouteContext, runId: string) {
  return [...ctx.core.store.runEvents.values()].filter((e) => e.runId === runId);
}

export const runActivityRoutes = [
  route('GET', '/runs/:id/comments', (ctx) => {
    const run = getRun(ctx);
    const all = [...ctx.core.store.comments.values()].filter((c) => c.runId === run.id);
    const page = paginate(all, ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const sctx = ctx.core.serializeContext();
    return jsonResponse(200, {
      data: page.items.map((c) => commentResource(c, sctx)),
      links: page.links,
      meta: page.meta,
    });
  }),
  route('POST', '/runs/:id/comments', (ctx) => {
    const run = getRun(ctx);
    const body = optionalString(attributesOf(readDocument(ctx)), 'body');
    if (!body) throw invalid('body', "Body can't be blank");
    const comment = ctx.core.store.addComment(run, body, requireUser(ctx).id);
    return jsonResponse(201, { data: commentResource(comment, ctx.core.serializeContext()) });
  }),
  route('GET', '/comments/:id', (ctx) => {
    const comment = ctx.core.store.comments.get(ctx.params.id ?? '');
    if (!comment) throw notFound();
    return jsonResponse(200, { data: commentResource(comment, ctx.core.serializeContext()) });
  }),
  route('GET', '/runs/:id/run-events', (ctx) => {
    const run = getRun(ctx);
    const page = paginate(eventsOf(ctx, run.id), ctx.query, ctx.origin, `/api/v2${ctx.path}`);
    const doc = { data: page.items.map(runEventResource), links: page.links, meta: page.meta };
    return jsonResponse(200, eventDocument(ctx, page.items, doc));
  }),
  route('GET', '/run-events/:id', (ctx) => {
    const event = ctx.core.store.runEvents.get(ctx.params.id ?? '');
    if (!event) throw notFound();
    return jsonResponse(200, eventDocument(ctx, [event], { data: runEventResource(event) }));
  }),
];
