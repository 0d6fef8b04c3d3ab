import { FaultBook, renderFault } from './faults.js';
import { opaqueToken } from './ids.js';
import { errorResponse, HttpError, isoSeconds, jsonResponse } from './jsonapi.js';
import { RateLimiter } from './rate-limit.js';
import type { ConfigurationVersionRecord, RunRecord, WorkspaceRecord } from './records.js';
import { matchRoute } from './router.js';
import { archivistRoutes } from './routes/archivist.js';
import { configurationVersionRoutes } from './routes/configuration-versions.js';
import type { CoreServices, Route, RouteContext } from './routes/context.js';
import { phaseRoutes } from './routes/phases.js';
import { planJsonRoutes } from './routes/plan-json.js';
import { runActivityRoutes } from './routes/run-activity.js';
import { runRoutes } from './routes/runs.js';
import { stateVersionRoutes } from './routes/state-versions.js';
import { tagRoutes } from './routes/tags.js';
import { taskStageRoutes } from './routes/task-stages.js';
import { variableRoutes } from './routes/variables.js';
import { workspaceRoutes } from './routes/workspaces.js';
import { RunEngine } from './run-engine.js';
import type { SerializeContext } from './serialize.js';
import { Store, type WorkspaceInput } from './store.js';
import { Timers } from './timers.js';
import type {
  FakeRequest,
  FakeResponse,
  FakeTfeCoreOptions,
  FaultSpec,
  RecordedRequest,
  RunScenario,
  Surface,
} from './types.js';

const API_BASE = '/api/v2';
const API_ROUTES: readonly Route[] = [
  ...runRoutes,
  ...runActivityRoutes,
  ...phaseRoutes,
  ...planJsonRoutes,
  ...taskStageRoutes,
  ...configurationVersionRoutes,
  ...workspaceRoutes,
  ...variableRoutes,
  ...stateVersionRoutes,
  ...tagRoutes,
];

// The run lists, which the API holds to 30 requests a minute (run.mdx, "List Runs in a Workspace / an Organization").
const RUN_LIST_PATH = /^\/api\/v2\/(?:workspaces|organizations)\/[^/]+\/runs\/?$/;

const SERVICE_DISCOVERY = { 'tfe.v2': '/api/v2/', 'tfe.v2.1': '/api/v2/', 'tfe.v2.2': '/api/v2/' };

/** What the fake has counted since it started: requests, 429s (its own and injected) and faults served. */
export interface FakeTfeStats {
  requests: number;
  /** 429s sent by the rate limiters (the general one and the run lists'). */
  rateLimited: number;
  /** Of those, 429s sent by the run lists' limit. */
  runListRateLimited: number;
  /** Every 429 sent, injected ones included. */
  tooManyRequests: number;
  /** Responses an injected fault answered or spoiled. */
  faults: number;
}

/**
 * An in-memory Terraform Cloud/Enterprise: state, run lifecycle, JSON:API rendering, auth, rate limit
 * and fault injection. Transport-agnostic: the loopback server and the msw handlers both call `handle`.
 */
export class FakeTfeCore {
  /** Token of the default user. */
  readonly token: string;
  /** The pre-created organization. */
  readonly organization: string;
  /** Every row, for tests that want to look inside. */
  readonly store = new Store();
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Origin of the archivist (upload-url, log-read-url); the loopback server sets it. */
  archivistUrl: string;
  /** Public origin of the API for absolute links; default: each request's Host. */
  address: string | undefined;
  latencyMs: number;

  private readonly timers = new Timers();
  private readonly engine: RunEngine;
  private readonly limiter: RateLimiter;
  private readonly runListLimiter: RateLimiter;
  private readonly faultBook = new FaultBook();
  private readonly nextScenarios: { workspace?: string; scenario: RunScenario }[] = [];
  private readonly listeners = new Set<(run: RunRecord) => void>();
  private readonly services: CoreServices;
  private tooManyRequests = 0;

  constructor(private readonly options: FakeTfeCoreOptions = {}) {
    const stepMs = options.stepMs ?? 50;
    if (options.token !== undefined && options.token.trim() === '') {
      throw new Error('token must not be empty: leave it out for a random one');
    }
    this.token = options.token ?? opaqueToken();
    this.organization = options.organization ?? 'acme';
    this.archivistUrl = options.archivistUrl ?? 'https://archivist.fake-tfe.invalid';
    this.address = options.address;
    this.latencyMs = options.latencyMs ?? 0;
    this.limiter = new RateLimiter(options.rateLimitPerSecond ?? 30);
    this.runListLimiter = new RateLimiter(options.runListRateLimit ?? 30, options.runListWindowMs ?? 60_000);
    this.engine = new RunEngine(
      this.store,
      this.timers,
      {
        stepMs,
        stepMsByStatus: options.stepMsByStatus ?? {},
        forceCancelCoolOffMs: options.forceCancelCoolOffMs ?? 4 * stepMs,
        logFormat: options.logFormat ?? 'json',
      },
      (run) => {
        for (const listener of this.listeners) listener(run);
      },
    );
    this.services = {
      store: this.store,
      engine: this.engine,
      timers: this.timers,
      serializeContext: (): SerializeContext => ({ store: this.store, archivistUrl: this.archivistUrl }),
      scenarioFor: (ws) => this.scenarioFor(ws),
      uploadProcessed: (cv, result) => this.uploadProcessed(cv, result),
      uploadProcessingMs: options.uploadProcessingMs ?? stepMs,
      archivistRePut: options.archivistRePut ?? 'accept-identical',
    };
    this.store.addUser('fake-user', this.token);
    this.store.addOrganization(this.organization);
    for (const name of options.workspaces ?? ['demo']) this.store.addWorkspace(this.organization, name);
  }

  /** Requests per second per user; 0 or Infinity turns the limit off. */
  get rateLimitPerSecond(): number {
    return this.limiter.limit;
  }

  /** Changes the rate limit for every later request. */
  set rateLimitPerSecond(limit: number) {
    this.limiter.limit = limit;
  }

  /** Run-list requests (`GET /workspaces/:id/runs`, `GET /organizations/:name/runs`) per window per user; 0 or Infinity turns the limit off. */
  get runListRateLimit(): number {
    return this.runListLimiter.limit;
  }

  /** Changes the run lists' limit for every later request. */
  set runListRateLimit(limit: number) {
    this.runListLimiter.limit = limit;
  }

  /** Counts of requests, 429s and injected faults since the fake started. */
  get stats(): FakeTfeStats {
    return {
      requests: this.requests.length,
      rateLimited: this.limiter.rejected + this.runListLimiter.rejected,
      runListRateLimited: this.runListLimiter.rejected,
      tooManyRequests: this.tooManyRequests,
      faults: this.faultBook.served,
    };
  }

  /** Answers one request as TFE (API) or its archivist (uploads, logs, downloads) would. */
  async handle(req: FakeRequest): Promise<FakeResponse> {
    const time = Date.now();
    const url = new URL(req.path, 'http://fake-tfe.invalid');
    const headers = normalizeHeaders(req.headers);
    const query = Object.fromEntries(url.searchParams);
    const surface: Surface = req.surface ?? (url.pathname.startsWith('/v1/object/') ? 'archivist' : 'api');
    const method = req.method.toUpperCase();
    await this.timers.sleep(this.latencyMs);
    const before = this.faultBook.take(surface, method, req.path, 'before');
    let fault = before;
    let response: FakeResponse;
    if (before) {
      response = renderFault(before, undefined);
    } else {
      const ctx: RouteContext = {
        method,
        path: url.pathname,
        params: {},
        query,
        headers,
        body: toBuffer(req.body),
        user: null,
        origin: this.address ?? `http://${headers.host ?? 'localhost'}`,
        core: this.services,
      };
      response = surface === 'archivist' ? await this.archivist(ctx) : await this.api(ctx);
      fault = this.faultBook.take(surface, method, req.path, 'after');
      if (fault) response = renderFault(fault, response);
    }
    if (response.status === 429) this.tooManyRequests += 1;
    this.requests.push({
      surface,
      method,
      path: url.pathname,
      query,
      headers,
      time,
      status: response.status,
      ...(fault ? { fault: fault.kind } : {}),
    });
    return response;
  }

  private async api(ctx: RouteContext): Promise<FakeResponse> {
    if (ctx.path === '/.well-known/terraform.json')
      return jsonResponse(200, SERVICE_DISCOVERY, { 'content-type': 'application/json' });
    const requestId = `${opaqueToken(12)}`;
    const presented = bearer(ctx.headers.authorization);
    const userId = presented ? this.store.tokens.get(presented) : undefined;
    const user = userId === undefined ? undefined : this.store.users.get(userId);
    const common = { 'x-request-id': requestId, 'tfp-api-version': '2.6' };
    if (!user) {
      return withHeaders(jsonResponse(401, { errors: [{ status: '401', title: 'unauthorized' }] }), common);
    }
    // Counted per user, not per token, as the API overview says; a run list counts in both windows.
    let limiter = this.limiter;
    let rate = limiter.take(userId ?? '');
    if (rate.allowed && ctx.method === 'GET' && RUN_LIST_PATH.test(ctx.path)) {
      const listRate = this.runListLimiter.take(userId ?? '');
      // A run list's answer shows the run lists' window: the tighter one, which the docs say the headers name.
      if (Number.isFinite(listRate.remaining)) {
        limiter = this.runListLimiter;
        rate = listRate;
      }
    }
    const rateHeaders: Record<string, string> = Number.isFinite(rate.remaining)
      ? {
          'x-ratelimit-limit': String(limiter.limit),
          'x-ratelimit-remaining': String(rate.remaining),
          'x-ratelimit-reset': rate.resetSeconds.toFixed(3),
        }
      : {};
    if (!rate.allowed) {
      const body = {
        errors: [
          { detail: "You have exceeded the API's rate limit.", status: 429, title: 'Too many requests' },
        ],
      };
      return withHeaders(jsonResponse(429, body), { ...common, ...rateHeaders });
    }
    ctx.user = user;
    return withHeaders(await this.dispatch(ctx), { ...common, ...rateHeaders });
  }

  private async dispatch(ctx: RouteContext): Promise<FakeResponse> {
    try {
      if (!ctx.path.startsWith(`${API_BASE}/`)) throw new HttpError(404, 'not found');
      const type = ctx.headers['content-type'] ?? '';
      const strict = this.options.strictContentType ?? true;
      // The service refuses every POST, PATCH and DELETE without it, body or not (go-tfe v2 says so and sets it).
      const mutating = ctx.method === 'POST' || ctx.method === 'PATCH' || ctx.method === 'DELETE';
      if (strict && (ctx.body.length > 0 || mutating) && !type.startsWith('application/vnd.api+json')) {
        throw new HttpError(
          415,
          'unsupported media type',
          `Content-Type must be application/vnd.api+json, not "${type}"`,
        );
      }
      const path = ctx.path.slice(API_BASE.length);
      const match = matchRoute(API_ROUTES, ctx.method, path);
      if (!match) throw new HttpError(404, 'not found');
      return await match.handler({ ...ctx, path, params: match.params });
    } catch (err) {
      const error = err instanceof HttpError ? err : new HttpError(500, 'internal server error', String(err));
      return errorResponse(error, this.plainErrors(ctx.path));
    }
  }

  private plainErrors(path: string): boolean {
    const plain = this.options.plainErrors ?? false;
    return typeof plain === 'boolean' ? plain : plain.test(path);
  }

  private async archivist(ctx: RouteContext): Promise<FakeResponse> {
    // The service's pre-signed URLs evidently ignore an Authorization header; `requests` records it for tests.
    const match = matchRoute(archivistRoutes, ctx.method, ctx.path);
    if (!match)
      return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('not found\n') };
    return match.handler({ ...ctx, params: match.params });
  }

  private scenarioFor(ws: WorkspaceRecord): RunScenario {
    const i = this.nextScenarios.findIndex(
      (n) => n.workspace === undefined || n.workspace === ws.id || n.workspace === ws.name,
    );
    const next = i === -1 ? undefined : this.nextScenarios.splice(i, 1)[0]?.scenario;
    return { ...this.options.scenario, ...ws.scenario, ...next };
  }

  private uploadProcessed(cv: ConfigurationVersionRecord, result: Map<string, Buffer> | Error): void {
    const ws = this.store.workspaces.get(cv.workspaceId);
    if (!ws || !this.store.configurationVersions.has(cv.id) || cv.status !== 'pending') return;
    const at = isoSeconds(new Date());
    if (result instanceof Error) {
      cv.status = 'errored';
      cv.error = 'unprocessable-archive';
      cv.errorMessage = `Failed to unpack the configuration archive: ${result.message}`;
      cv.statusTimestamps['errored-at'] = at;
      return;
    }
    cv.files = result;
    cv.status = 'uploaded';
    cv.statusTimestamps['uploaded-at'] = at;
    if (!cv.provisional && !cv.speculative) ws.currentConfigurationVersionId = cv.id;
    const createdBy = this.store.users.get(cv.createdById);
    if (!cv.autoQueueRuns || !createdBy) return;
    this.engine.create({
      workspace: ws,
      configurationVersion: cv,
      createdBy,
      isDestroy: false,
      message: 'Triggered via API',
      refresh: true,
      refreshOnly: false,
      replaceAddrs: null,
      targetAddrs: null,
      planOnly: cv.speculative,
      autoApply: null,
      allowEmptyApply: false,
      terraformVersion: null,
      savePlan: false,
      debuggingMode: false,
      variables: [],
      source: 'tfe-configuration-version',
      scenario: this.scenarioFor(ws),
    });
  }

  /** Makes the next matching requests fail in a chosen way (see `FaultKind`). */
  injectFault(spec: FaultSpec): void {
    this.faultBook.inject(spec);
  }

  /** Removes every injected fault not used up yet. */
  clearFaults(): void {
    this.faultBook.clear();
  }

  /** Scenario for every later run of a workspace (by id or name); `null` clears it. */
  setScenario(workspace: string, scenario: RunScenario | null): void {
    this.workspace(workspace).scenario = scenario;
  }

  /** Scenario for the next run created (in `workspace` if given), then forgotten. */
  nextRun(scenario: RunScenario, workspace?: string): void {
    this.nextScenarios.push(workspace === undefined ? { scenario } : { workspace, scenario });
  }

  /** Files of an uploaded configuration version: path (relative, `/`-separated) → content. */
  uploadedFiles(configurationVersionId: string): Map<string, Buffer> | undefined {
    return this.store.configurationVersions.get(configurationVersionId)?.files ?? undefined;
  }

  /** A token for another user (to test locks held by someone else). */
  createToken(username = `user-${this.store.users.size + 1}`): string {
    const token = opaqueToken();
    this.store.addUser(username, token);
    return token;
  }

  /** Adds an organization (no-op when it exists). */
  createOrganization(name: string): void {
    if (!this.store.organizations.has(name)) this.store.addOrganization(name);
  }

  /** Adds a workspace (in the default organization unless one is named), or returns the existing one. */
  createWorkspace(
    name: string,
    input: WorkspaceInput = {},
    organization = this.organization,
  ): WorkspaceRecord {
    this.createOrganization(organization);
    return (
      this.store.workspaceByName(organization, name) ?? this.store.addWorkspace(organization, name, input)
    );
  }

  /** A workspace by id or by name in the default organization; throws when unknown. */
  workspace(idOrName: string): WorkspaceRecord {
    const ws = this.store.workspaces.get(idOrName) ?? this.store.workspaceByName(this.organization, idOrName);
    if (!ws) throw new Error(`fake TFE: no workspace ${idOrName}`);
    return ws;
  }

  /** A run by id, to inspect its state. */
  run(id: string): RunRecord | undefined {
    return this.store.runs.get(id);
  }

  /** A configuration version by id, to inspect its state. */
  configurationVersion(id: string): ConfigurationVersionRecord | undefined {
    return this.store.configurationVersions.get(id);
  }

  /** Called with the run each time its status changes (and when it is created). */
  onRunStatus(listener: (run: RunRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the run reaches one of `statuses`; rejects after `timeoutMs`. */
  waitForRunStatus(runId: string, statuses: string | string[], timeoutMs = 10_000): Promise<RunRecord> {
    const wanted = Array.isArray(statuses) ? statuses : [statuses];
    return new Promise((resolve, reject) => {
      const check = (run: RunRecord | undefined) => run?.id === runId && wanted.includes(run.status);
      const done = (fn: () => void) => {
        off();
        clearTimeout(timer);
        fn();
      };
      const off = this.onRunStatus((run) => {
        if (check(run)) done(() => resolve(run));
      });
      const timer = setTimeout(() => {
        done(() => reject(new Error(`run ${runId} is ${this.run(runId)?.status}, not ${wanted.join('|')}`)));
      }, timeoutMs);
      const now = this.run(runId);
      if (now && check(now)) done(() => resolve(now));
    });
  }

  /** Stops every timer (run progress, upload processing, latency); state stays readable. */
  close(): void {
    this.timers.dispose();
  }
}

function bearer(header: string | undefined): string | undefined {
  const m = header?.match(/^Bearer\s+(.+)$/i);
  return m?.[1]?.trim();
}

function normalizeHeaders(headers: FakeRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function toBuffer(body: FakeRequest['body']): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string'
    ? Buffer.from(body)
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function withHeaders(response: FakeResponse, headers: Record<string, string>): FakeResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}
