import { z } from 'zod';
import { sleep } from '../core/abort.js';
import { ApiError, ResponseValidationError, TfeError, TimeoutError } from '../core/errors.js';
import type { RequestOptions } from '../core/transport.js';
import { RequestOptionsSchema, validateInput } from '../core/validate.js';
import { type TerraformPlanJson, TerraformPlanJsonSchema } from '../models/plan-json.js';
import { withDeadline } from './deadline.js';

/** How long `jsonOutput` waits for a plan still running, by default: 10 minutes. */
export const DEFAULT_JSON_PLAN_WAIT_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 1000;
const MAX_POLL_MS = 3000;
/** Plan states after which no JSON plan will come (plans.mdx "Plan States"). */
const ENDED_WITHOUT_JSON = new Set(['errored', 'canceled', 'unreachable']);

const positiveMs = z.custom<number>((v) => typeof v === 'number' && v > 0, 'expected a number of ms above 0');
const OptionsSchema = RequestOptionsSchema.extend({
  waitTimeoutMs: positiveMs.optional(),
  pollIntervalMs: positiveMs.optional(),
});

/** Per-call options of `plans.jsonOutput` / `runs.planJsonOutput`: the usual ones, and how long to wait. */
export interface PlanJsonOutputOptions extends RequestOptions {
  /**
   * Deadline for the whole call, ms, waiting for an unfinished plan included (the API answers 204 until the
   * plan is finished). Default 10 minutes; a TimeoutError when it passes. `timeoutMs` still bounds each request.
   */
  waitTimeoutMs?: number;
  /** First interval between asks while the plan is unfinished, ms; it grows to 3 s, jittered. Default 1000. */
  pollIntervalMs?: number;
}

/** Why there is no JSON plan. */
export type JsonPlanUnavailableReason = 'unsupported' | 'plan_ended';

/**
 * There is no JSON plan to read: the API answered 422 (the docs: a plan on Terraform before 0.12, or a TFE
 * release before v202005-1), or the plan ended (`errored`, `canceled`, `unreachable`) without writing one.
 */
export class JsonPlanUnavailableError extends TfeError {
  override readonly name: string = 'JsonPlanUnavailableError';
  constructor(
    message: string,
    readonly reason: JsonPlanUnavailableReason,
    /** The plan's status when it was known. */
    readonly planStatus: string | undefined,
    /** The 422 ApiError, when the API said so. */
    readonly apiError?: ApiError,
  ) {
    super(message);
  }
}

/** What the reader needs of an endpoint: one GET of it (redirect followed), and the plan's status. */
export interface JsonPlanSource {
  /** Names the call in errors, e.g. `plans.jsonOutput(plan-1)`. */
  describe: string;
  /** One GET of the json-output endpoint: 204 with no body, or 200 with the document after the redirect. */
  fetch(options: RequestOptions): Promise<{ status: number; data: unknown }>;
  /** The plan's status: tells "not finished yet" from "will never have one" while the API answers 204. */
  planStatus(options: RequestOptions): Promise<string>;
}

const PERMISSION_HINT =
  'reading the JSON plan needs a user or team token with admin access to the workspace; ' +
  'organization tokens cannot read it (plans.mdx)';

/**
 * Reads a JSON plan: asks again while the API answers 204 (plan unfinished), under the call's signal and
 * `waitTimeoutMs`; the 307 to the short-lived URL is followed by the transport without the token. The document
 * is returned as Terraform wrote it (checked by a loose schema, never rebuilt), so keys are never renamed.
 */
export async function readJsonPlan(
  source: JsonPlanSource,
  options: PlanJsonOutputOptions | undefined,
): Promise<TerraformPlanJson> {
  const o = validateInput(OptionsSchema, options ?? {}, source.describe);
  const { waitTimeoutMs = DEFAULT_JSON_PLAN_WAIT_MS, pollIntervalMs, signal, ...request } = o;
  let status: string | undefined;
  return withDeadline(
    signal,
    waitTimeoutMs,
    async (deadline) => {
      let interval = pollIntervalMs ?? DEFAULT_POLL_MS;
      const maxInterval = Math.max(interval, MAX_POLL_MS);
      for (;;) {
        const res = await explained(source, () => source.fetch({ ...request, signal: deadline.signal }));
        if (res.status !== 204) return checked(res.data, res.status, source.describe);
        status = await explained(source, () => source.planStatus({ ...request, signal: deadline.signal }));
        if (ENDED_WITHOUT_JSON.has(status)) {
          throw new JsonPlanUnavailableError(
            `${source.describe}: there is no JSON plan: the plan ended ${status} before writing one.`,
            'plan_ended',
            status,
          );
        }
        await sleep(Math.round(interval * (0.8 + Math.random() * 0.4)), deadline.signal);
        interval = Math.min(interval * 1.5, maxInterval);
      }
    },
    () =>
      new TimeoutError(
        `${source.describe}: the JSON plan was not ready after ${waitTimeoutMs} ms (plan ${status ?? 'status unread'}); ` +
          'raise waitTimeoutMs to wait longer.',
        waitTimeoutMs,
      ),
  );
}

/** Runs one request; a 422 becomes JsonPlanUnavailableError, a 403/404 says which token may read the plan. */
async function explained<T>(source: JsonPlanSource, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 422) {
      throw new JsonPlanUnavailableError(
        `${source.describe}: there is no JSON plan (422${err.details ? `: ${err.details}` : ''}). ` +
          'The API serves one for plans made with Terraform 0.12 or later (Terraform Enterprise v202005-1 or later).',
        'unsupported',
        undefined,
        err,
      );
    }
    if (err.status === 403 || err.status === 404) err.message = `${err.message} — ${PERMISSION_HINT}`;
    throw err;
  }
}

function checked(data: unknown, status: number, describe: string): TerraformPlanJson {
  const result = TerraformPlanJsonSchema.safeParse(data);
  if (result.success) return data as TerraformPlanJson;
  const issue = result.error.issues[0]!;
  const where = issue.path.map(String).join('.');
  // No body kept: a JSON plan holds sensitive values in clear text.
  throw new ResponseValidationError(
    `${describe}: the answer is not a Terraform JSON plan${where ? ` (${where}: ${issue.message})` : ` (${issue.message})`}.`,
    where,
    undefined,
    status,
  );
}
