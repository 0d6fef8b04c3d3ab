import { unpackTarGz } from '../archive.js';
import { declaredOutputs } from '../config-scan.js';
import { buildPlanJson } from '../plan-json.js';
import { jsonStateFile, stateFile } from '../state-versions.js';
import type { FakeResponse } from '../types.js';
import { type RouteContext, route } from './context.js';

const text = (status: number, body: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: Buffer.from(body),
});

const stored = (): FakeResponse => ({ status: 200, headers: {}, body: Buffer.alloc(0) });

/**
 * `PUT` of the configuration archive: kept as-is, unpacked, and processed after a short delay. A re-PUT (a
 * client retrying a PUT whose answer it lost) is answered as `archivistRePut` says: by default the same bytes
 * succeed and change nothing, other bytes get 409; with `'conflict'` every re-PUT gets 409.
 */
function upload(ctx: RouteContext): FakeResponse {
  const { store, timers } = ctx.core;
  const object = store.objects.get(ctx.params.key ?? '');
  const cv = object?.kind === 'upload' ? store.configurationVersions.get(object.id) : undefined;
  if (!cv) return text(404, 'object not found\n');
  const identical = cv.status !== 'archived' && cv.archive?.equals(ctx.body);
  if (identical && ctx.core.archivistRePut === 'accept-identical') return stored();
  if (cv.status !== 'pending' || cv.archive !== null) return text(409, 'object already uploaded\n');
  cv.archive = ctx.body;
  const unpacked = unpackTarGz(ctx.body).catch((err: unknown) =>
    err instanceof Error ? err : new Error(String(err)),
  );
  timers.after(ctx.core.uploadProcessingMs, () => {
    void unpacked.then((result) => ctx.core.uploadProcessed(cv, result));
  });
  return stored();
}

/** `GET` of a log (plain text, `offset`/`limit` in bytes) or of a configuration archive. */
function read(ctx: RouteContext): FakeResponse {
  const { store } = ctx.core;
  const object = store.objects.get(ctx.params.key ?? '');
  if (object?.kind === 'state' || object?.kind === 'json-state') {
    const sv = store.stateVersions.get(object.id);
    if (!sv) return text(404, 'object not found\n');
    const doc = object.kind === 'state' ? stateFile(store, sv) : jsonStateFile(store, sv);
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(doc)),
    };
  }
  if (object?.kind === 'download') {
    const cv = store.configurationVersions.get(object.id);
    if (!cv?.archive) return text(404, 'object not found\n');
    return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: cv.archive };
  }
  if (object?.kind === 'plan-json') return planJson(ctx, object.id);
  const row =
    object?.kind === 'plan-log'
      ? store.plans.get(object.id)
      : object?.kind === 'apply-log'
        ? store.applies.get(object.id)
        : undefined;
  if (!row) return text(404, 'object not found\n');
  const log = Buffer.from(row.log.join(''));
  const offset = Math.max(0, Number(ctx.query.offset ?? 0) || 0);
  const limit = ctx.query.limit === undefined ? log.length : Math.max(0, Number(ctx.query.limit) || 0);
  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: log.subarray(offset, offset + limit),
  };
}

/** A finished plan's JSON, built from the diff its counts came from and the outputs its configuration declares. */
function planJson(ctx: RouteContext, planId: string): FakeResponse {
  const { store } = ctx.core;
  const run = store.runs.get(store.plans.get(planId)?.runId ?? '');
  if (!run?.diff) return text(404, 'object not found\n');
  const cv = store.configurationVersions.get(run.configurationVersionId);
  const ws = store.workspaces.get(run.workspaceId);
  const outputs = declaredOutputs(cv?.files ?? null, ws?.workingDirectory ?? null);
  const body = Buffer.from(JSON.stringify(buildPlanJson(run, run.isDestroy ? [] : outputs)));
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

export const archivistRoutes = [
  route('PUT', '/v1/object/:key', upload),
  route('GET', '/v1/object/:key', read),
];
