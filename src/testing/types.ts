/** One HTTP request as the core sees it, whatever carried it (loopback socket or msw). */
export interface FakeRequest {
  method: string;
  /** Path with the query string, e.g. `/api/v2/runs?page%5Bnumber%5D=2`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer | Uint8Array | string;
  /** Which server received it; when absent the path decides (`/v1/object/…` is the archivist). */
  surface?: Surface;
}

/** Which server a request reached: the API, or the archivist (uploads, logs, downloads). */
export type Surface = 'api' | 'archivist';

/** What the transport must do beyond writing status, headers and body (set by faults). */
export type TransportBehaviour =
  | { kind: 'reset' }
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'drip'; chunkBytes: number; intervalMs: number };

/** The core's answer to one request. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  transport?: TransportBehaviour;
}

/** One request the fake received, as `core.requests` keeps it. */
export interface RecordedRequest {
  surface: Surface;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names, as received (the Authorization header included, so tests can check it). */
  headers: Record<string, string>;
  /** `Date.now()` when the request arrived. */
  time: number;
  status: number;
  /** Set when an injected fault answered instead of the fake. */
  fault?: FaultKind['kind'];
}

/** A JSON:API error object, as TFE sends it. */
export interface JsonApiError {
  status: string | number;
  title: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
}

/** Behaviour of a run, set per workspace, per next run, or for every run. */
export interface RunScenario {
  /** The run errors while planning or applying. */
  errorDuring?: 'plan' | 'apply';
  /** The plan finds nothing to do, whatever the configuration says. */
  noChanges?: boolean;
  /** Force the plan's counts instead of computing them from the configuration and the fake state. */
  resources?: { additions?: number; changes?: number; destructions?: number };
  /** A Sentinel policy soft-fails: `policy_override`, or `policy_soft_failed` for a plan-only run. */
  policySoftFail?: boolean;
  /** Extra time the run spends in `plan_queued` (a busy queue). */
  queueMs?: number;
  /**
   * A run task stage waits for a decision: `pre_plan_awaiting_decision` / `post_plan_awaiting_decision`.
   * Shorthand for a failing mandatory run task named `fake-tfe-task` at that stage.
   */
  awaitDecision?: 'pre_plan' | 'post_plan';
  /** The workspace's run tasks: each runs at its stage and passes or fails (see {@link FakeRunTask}). */
  runTasks?: FakeRunTask[];
  /** Policy sets evaluated in the post-plan task stage, OPA or Sentinel (see {@link FakePolicySet}). */
  policySets?: FakePolicySet[];
  /** Whether the token may override task stages (default true); false: `permissions` say so, override is 403. */
  canOverride?: boolean;
  /** Terraform ignores the interrupt: after a cancel the run stays put until force-cancel. */
  cancelHangs?: boolean;
  /** Phases to run (all default to true): cost estimation, Sentinel policy check, post-plan run tasks. */
  costEstimation?: boolean;
  policyCheck?: boolean;
  postPlanTasks?: boolean;
}

/** A run stage run tasks attach to. */
export type FakeTaskStageName = 'pre_plan' | 'post_plan' | 'pre_apply' | 'post_apply';

/**
 * A run task of the fake. A failed or errored `mandatory` task holds a pre-plan or post-plan stage in
 * `awaiting_override` (the run in `<stage>_awaiting_decision`) until overridden, errors a pre-apply run, and
 * only marks a post-apply stage failed; an `advisory` one only marks its stage failed.
 */
export interface FakeRunTask {
  name: string;
  /** Default `post_plan`. */
  stage?: FakeTaskStageName;
  /** Default `mandatory`. */
  enforcementLevel?: 'advisory' | 'mandatory';
  /** Default `passed`. */
  result?: 'passed' | 'failed' | 'errored';
  message?: string;
  /** The result's `url` (default: none). */
  url?: string;
}

/**
 * A policy set of the fake, evaluated in the post-plan stage. A failed `mandatory` policy holds the stage in
 * `awaiting_override` when the set is `overridable` (a soft failure, the default), and errors the run when it
 * is not (a hard failure).
 */
export interface FakePolicySet {
  name: string;
  /** Default `opa`. */
  kind?: 'opa' | 'sentinel';
  /** Default true. */
  overridable?: boolean;
  policies: Array<{
    name: string;
    /** Default `mandatory`. */
    enforcementLevel?: 'advisory' | 'mandatory';
    /** Default `passed`. */
    result?: 'passed' | 'failed' | 'errored';
    description?: string;
  }>;
}

interface FaultMatch {
  /** Only this method (any when absent). */
  method?: string;
  /**
   * A string matches the path without query exactly, with or without the `/api/v2` prefix;
   * a RegExp is tested against the full path with query.
   */
  path: string | RegExp;
  /** How many requests to fault (default 1; `Infinity` for all). */
  times?: number;
  /** `after`: the fake handles the request (state changes) and then the response is spoiled. */
  phase?: 'before' | 'after';
  /** Which server (default: both). */
  surface?: Surface;
}

/**
 * How an injected fault answers: a status, a 429, a malformed body, a redirect, a reset, a dropped connection,
 * a hang or a slow body.
 */
export type FaultKind =
  | { kind: 'status'; status: number; errors?: JsonApiError[] | string[]; headers?: Record<string, string> }
  | { kind: 'retry-after'; retryAfter?: number | string }
  | { kind: 'ratelimit-reset'; reset?: number }
  | { kind: 'ratelimit-bare'; headers?: 'none' | 'malformed' }
  | { kind: 'html-502' }
  | { kind: 'truncated-json' }
  | { kind: 'empty-200' }
  | { kind: 'non-jsonapi-200'; body?: unknown }
  /** A 3xx (default 307) to `location`: a path on the same origin, or an absolute URL of another. */
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** Half the answer, then the connection is reset. */
  | { kind: 'reset' }
  /** The connection is closed once the request has arrived, before any byte of the answer. */
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'slow-body'; chunkBytes?: number; intervalMs?: number };

/** What `injectFault` takes: which requests to match, and how to fail them. */
export type FaultSpec = FaultMatch & FaultKind;

/** How the fake behaves: its token and organization, how fast runs move, rate limit, scenarios, errors. */
export interface FakeTfeCoreOptions {
  /** Token accepted for the default user (default: random). */
  token?: string;
  /** Organization to pre-create (default `acme`). */
  organization?: string;
  /** Workspace names to pre-create in it (default `['demo']`). */
  workspaces?: string[];
  /** Time spent in each run state (default 50 ms). */
  stepMs?: number;
  /** Per-state override of `stepMs`, e.g. `{ planning: 200 }`. */
  stepMsByStatus?: Record<string, number>;
  /** Time before an upload turns the configuration version `uploaded` (default: `stepMs`). */
  uploadProcessingMs?: number;
  /** Cool-off between a cancel and the run becoming force-cancelable (default 4 × `stepMs`). */
  forceCancelCoolOffMs?: number;
  /** Delay added before every answer (default 0). */
  latencyMs?: number;
  /** Requests per second per user, sliding 1 s window (default 30; 0 or Infinity disables). */
  rateLimitPerSecond?: number;
  /**
   * Run-list requests (`GET /workspaces/:id/runs`, `GET /organizations/:name/runs`) per user in any
   * `runListWindowMs`, on top of `rateLimitPerSecond` (default 30, as the API documents; 0 or Infinity disables).
   */
  runListRateLimit?: number;
  /** The sliding window of `runListRateLimit`, ms (default 60000: a minute). */
  runListWindowMs?: number;
  /** Scenario for every run unless a workspace or next-run scenario says otherwise. */
  scenario?: RunScenario;
  /** Render errors as `{errors: ["text"]}`: always, or for paths matching the RegExp. */
  plainErrors?: boolean | RegExp;
  /** 415 for a request body, or a POST, PATCH or DELETE, not sent as `application/vnd.api+json` (default true). */
  strictContentType?: boolean;
  /** Log lines in Terraform's JSON UI format (default) or plain text. */
  logFormat?: 'json' | 'text';
  /** Public origin of the API (used in absolute links); default: the request's Host header. */
  address?: string;
  /** Origin of the archivist (upload/log/download URLs); the loopback server sets it. */
  archivistUrl?: string;
  /**
   * The archivist's answer to a second `PUT` of an upload URL, which nothing public documents. Default
   * `'accept-identical'`: the same bytes get 200 and change nothing (what a retried PUT relies on), other bytes
   * 409. `'conflict'`: every second PUT gets 409, so a client's handling of a retried PUT whose first attempt
   * was stored, but whose answer was lost, can be tested too.
   */
  archivistRePut?: ArchivistRePut;
}

/** How the fake archivist answers a second `PUT` of an upload URL: see {@link FakeTfeCoreOptions}. */
export type ArchivistRePut = 'accept-identical' | 'conflict';
