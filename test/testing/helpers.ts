import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';
import { vi } from 'vitest';
import {
  type FakeTfe,
  FakeTfeCore,
  type FakeTfeCoreOptions,
  type StartFakeTfeOptions,
  startFakeTfe,
} from '../../src/testing/index.js';

export const JSONAPI = 'application/vnd.api+json';

// biome-ignore lint/suspicious/noExplicitAny: JSON:API documents are read loosely in tests
export type Doc = any;

export interface Reply {
  status: number;
  headers: Headers;
  body: Doc;
  text: string;
}

/** A fake with fast steps, closed after each test by the caller's `afterEach`. */
export function fastFake(options: StartFakeTfeOptions = {}): Promise<FakeTfe> {
  return startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0, ...options });
}

/** One API call with the fake's token (unless `token: null`) and JSON:API headers. */
export async function api(
  fake: FakeTfe,
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? fake.token : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  // As every client sends it (the service answers 415 to a POST, PATCH or DELETE without it, body or not).
  if (body !== undefined || ['POST', 'PATCH', 'DELETE'].includes(method)) headers['content-type'] ??= JSONAPI;
  const res = await fetch(`${fake.apiUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  let parsed: Doc = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A gzipped tarball of `files` (path → content), built with node-tar like a real upload. */
export async function tarball(files: Record<string, string>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-tfe-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    const chunks: Buffer[] = [];
    const stream = create({ gzip: true, cwd: dir, portable: true }, Object.keys(files));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const MAIN_TF =
  'resource "null_resource" "a" {}\nresource "null_resource" "b" {}\noutput "id" { value = 1 }\n';

export function workspaceId(fake: FakeTfe, name = 'demo'): string {
  return fake.core.workspace(name).id;
}

/** Creates a configuration version, uploads `files`, waits for `uploaded`; returns its id. */
export async function uploadConfig(
  fake: FakeTfe,
  files: Record<string, string> = { 'main.tf': MAIN_TF },
  attributes: Record<string, unknown> = { 'auto-queue-runs': false },
  workspace = 'demo',
): Promise<string> {
  const created = await api(
    fake,
    'POST',
    `/workspaces/${workspaceId(fake, workspace)}/configuration-versions`,
    {
      data: { type: 'configuration-versions', attributes },
    },
  );
  const cv = created.body.data;
  const put = await fetch(cv.attributes['upload-url'], {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: await tarball(files),
  });
  if (put.status !== 200) throw new Error(`upload failed: ${put.status}`);
  await waitFor(() => fake.core.configurationVersion(cv.id)?.status !== 'pending');
  return cv.id;
}

export function createRun(
  fake: FakeTfe,
  attributes: Record<string, unknown> = {},
  cvId?: string,
  workspace = 'demo',
) {
  const relationships: Record<string, unknown> = {
    workspace: { data: { type: 'workspaces', id: workspaceId(fake, workspace) } },
  };
  if (cvId) relationships['configuration-version'] = { data: { type: 'configuration-versions', id: cvId } };
  return api(fake, 'POST', '/runs', { data: { type: 'runs', attributes, relationships } });
}

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Polls `GET /runs/:id` (as the SDK would) until the status is one of `statuses`. */
export async function pollRun(
  fake: FakeTfe,
  runId: string,
  statuses: string[],
  timeoutMs = 3000,
): Promise<Doc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(fake, 'GET', `/runs/${runId}`);
    if (statuses.includes(res.body.data.attributes.status)) return res.body.data;
    if (Date.now() > deadline) throw new Error(`run ${runId} stuck in ${res.body.data.attributes.status}`);
    await new Promise((r) => setTimeout(r, 3));
  }
}

/** A fake core on vitest's fake clock: one uploaded configuration version, calls straight to `core.handle`. */
export interface ClockedCore {
  core: FakeTfeCore;
  /** The uploaded configuration version of `demo`. */
  configurationVersionId: string;
  /** One API call with the core's token; the answer's status and parsed body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Doc }>;
  /** Creates a run on `demo` with `attributes` and the uploaded configuration; returns its id. */
  createRun(attributes?: Record<string, unknown>): Promise<string>;
  /** Moves the fake's clock on by `ms`, running every run step due by then. */
  advance(ms: number): Promise<void>;
  /** Stops the core and gives the real clock back. */
  close(): void;
}

/**
 * A fake core driven in this process on a fake clock, so a test reads a run's state at a chosen time instead
 * of polling until a deadline. The upload happens on the real clock: unpacking runs on zlib's threads.
 */
export async function clockedCore(options: FakeTfeCoreOptions = {}): Promise<ClockedCore> {
  const core = new FakeTfeCore({ stepMs: 5, rateLimitPerSecond: 0, ...options });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await core.handle({
      method,
      path: `/api/v2${path}`,
      headers: { authorization: `Bearer ${core.token}`, 'content-type': JSONAPI },
      body: body === undefined ? undefined : JSON.stringify(body),
      surface: 'api',
    });
    return { status: res.status, body: res.body.length > 0 ? JSON.parse(res.body.toString()) : null };
  };
  const workspace = { data: { type: 'workspaces', id: core.workspace('demo').id } };
  const cv = (
    await call('POST', `/workspaces/${workspace.data.id}/configuration-versions`, {
      data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false } },
    })
  ).body.data;
  await core.handle({
    method: 'PUT',
    path: new URL(cv.attributes['upload-url']).pathname,
    headers: {},
    body: await tarball({ 'main.tf': MAIN_TF }),
    surface: 'archivist',
  });
  await waitFor(() => core.configurationVersion(cv.id)?.status === 'uploaded');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  return {
    core,
    configurationVersionId: cv.id,
    call,
    async createRun(attributes = {}) {
      const relationships = {
        workspace,
        'configuration-version': { data: { type: 'configuration-versions', id: cv.id } },
      };
      return (await call('POST', '/runs', { data: { type: 'runs', attributes, relationships } })).body.data
        .id;
    },
    advance: async (ms) => {
      await vi.advanceTimersByTimeAsync(ms);
    },
    close() {
      core.close();
      vi.useRealTimers();
    },
  };
}
