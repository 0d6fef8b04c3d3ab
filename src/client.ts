import { DEFAULT_BASE_PATH, normaliseBasePath, resolveAddress } from './address.js';
import { ApiClient } from './core/api-client.js';
import { InputValidationError, MissingTokenError } from './core/errors.js';
import type { Logger } from './core/logger.js';
import type { BackoffOptions } from './core/retry.js';
import { Transport } from './core/transport.js';
import { Workflows } from './lib/workflow.js';
import { Applies } from './resources/applies.js';
import { Comments } from './resources/comments.js';
import { ConfigurationVersions } from './resources/configuration-versions.js';
import { CostEstimates } from './resources/cost-estimates.js';
import { Plans } from './resources/plans.js';
import { PolicyChecks } from './resources/policy-checks.js';
import { RunEvents } from './resources/run-events.js';
import { RUN_LIST_RATE_LIMIT_CLASS, Runs } from './resources/runs.js';
import { StateVersions } from './resources/state-versions.js';
import { Variables } from './resources/variables.js';
import { Workspaces } from './resources/workspaces.js';

/**
 * What `new TfeClient()` takes; every field is optional and has a default from the environment or the API.
 */
export interface TfeClientOptions {
  /** API token. Default: env TFE_TOKEN, then TF_API_TOKEN. */
  token?: string | undefined;
  /**
   * Where TFE is: `https://tfe.example.com` (a trailing `/api/v2` is accepted). Default: env TFE_ADDRESS, TFE_HOSTNAME,
   * TF_HOSTNAME or TF_CLOUD_HOSTNAME (all that are set must name the same host), then https://app.terraform.io.
   */
  address?: string | undefined;
  /** API path below the address. Default /api/v2. */
  basePath?: string | undefined;
  /**
   * Time allowed for each request attempt, ms; above 0, Infinity for none. Default 60000. For a streamed body
   * (logs, downloads): until the headers, then the longest silence between bytes.
   */
  timeoutMs?: number | undefined;
  /** Retries for a request that may be retried safely. Default 3. */
  maxRetries?: number | undefined;
  /**
   * Requests per second this client allows itself, shared by all its calls. Default 30, the API's limit;
   * Infinity turns the client-side limit off.
   */
  rateLimit?: number | undefined;
  /**
   * Run-list requests (`runs.list`, `runs.listForOrganization`) this client allows itself per
   * `runListWindowMs`, on top of `rateLimit`. Default 30 a minute, the API's limit for those endpoints;
   * Infinity turns it off. A 429 from a run list pauses run lists only.
   */
  runListRateLimit?: number | undefined;
  /** The window `runListRateLimit` counts in, ms. Default 60000 (a minute), as the API counts. */
  runListWindowMs?: number | undefined;
  /** Receives a line per request and per retry; never a token. */
  logger?: Logger | undefined;
  /** Prepended to the User-Agent, to name your tool. */
  userAgent?: string | undefined;
  /** Retry wait tuning. */
  backoff?: BackoffOptions | undefined;
  /** Environment to read defaults from. Default process.env. */
  env?: Record<string, string | undefined> | undefined;
}

/** The client of the Terraform Cloud / Enterprise API: one transport, one resource property per API area. */
export class TfeClient {
  /** The TFE origin, e.g. https://app.terraform.io */
  readonly address: string;
  /** What named the address: `address` (the option), the environment variable, or `default`. */
  readonly addressSource: string;
  readonly basePath: string;
  readonly runs: Runs;
  readonly configurationVersions: ConfigurationVersions;
  readonly workspaces: Workspaces;
  readonly variables: Variables;
  readonly stateVersions: StateVersions;
  readonly policyChecks: PolicyChecks;
  readonly costEstimates: CostEstimates;
  readonly runEvents: RunEvents;
  readonly comments: Comments;
  /** A run's plan phase: status, counts, logs. */
  readonly plans: Plans;
  /** A run's apply phase: status, counts, logs. */
  readonly applies: Applies;
  /** The API-driven run workflow in one call. */
  readonly workflows: Workflows;
  /** @internal */
  readonly api: ApiClient;

  constructor(options: TfeClientOptions = {}) {
    const env = options.env ?? process.env;
    const token = options.token ?? (env.TFE_TOKEN || undefined) ?? (env.TF_API_TOKEN || undefined);
    if (!token) throw new MissingTokenError();
    this.basePath = normaliseBasePath(options.basePath ?? DEFAULT_BASE_PATH);
    ({ address: this.address, source: this.addressSource } = resolveAddress({
      address: options.address,
      env,
      basePath: this.basePath,
    }));
    this.api = new ApiClient(
      new Transport({
        token,
        baseUrl: `${this.address}${this.basePath}`,
        addressSource: this.addressSource,
        timeoutMs: positive(options.timeoutMs, 60_000, 'timeoutMs'),
        maxRetries: nonNegative(options.maxRetries, 3, 'maxRetries'),
        rateLimit: positive(options.rateLimit, 30, 'rateLimit'),
        rateLimitClasses: {
          [RUN_LIST_RATE_LIMIT_CLASS]: {
            limit: positive(options.runListRateLimit, 30, 'runListRateLimit'),
            windowMs: finitePositive(options.runListWindowMs, 60_000, 'runListWindowMs'),
          },
        },
        userAgent: options.userAgent,
        logger: options.logger,
        backoff: options.backoff,
      }),
    );
    this.runs = new Runs(this.api);
    this.workflows = new Workflows(this);
    this.configurationVersions = new ConfigurationVersions(this.api);
    this.workspaces = new Workspaces(this.api);
    this.variables = new Variables(this.api);
    this.stateVersions = new StateVersions(this.api);
    this.policyChecks = new PolicyChecks(this.api);
    this.costEstimates = new CostEstimates(this.api);
    this.runEvents = new RunEvents(this.api);
    this.comments = new Comments(this.api);
    this.plans = new Plans(this.api);
    this.applies = new Applies(this.api);
  }

  /** What a serialized client shows: where it points, never its token. */
  toJSON(): { address: string; basePath: string } {
    return { address: this.address, basePath: this.basePath };
  }

  /** Closes idle keep-alive connections; the client stays usable. */
  close(): void {
    this.api.transport.close();
  }

  /** The browser URL of a run in the TFE UI. */
  runUrl(organization: string, workspaceName: string, runId: string): string {
    const seg = encodeURIComponent;
    return `${this.address}/app/${seg(organization)}/workspaces/${seg(workspaceName)}/runs/${seg(runId)}`;
  }
}

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0)) {
    throw new InputValidationError(`${field} must be a number above 0, got ${String(value)}.`, field);
  }
  return value;
}

function finitePositive(value: number | undefined, fallback: number, field: string): number {
  const checked = positive(value, fallback, field);
  if (!Number.isFinite(checked))
    throw new InputValidationError(`${field} must be a finite number above 0, got ${String(value)}.`, field);
  return checked;
}

function nonNegative(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new InputValidationError(
      `${field} must be a whole number, 0 or more, got ${String(value)}.`,
      field,
    );
  }
  return value;
}
