import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type LogReadOptions, LogStream } from '../lib/logs.js';
import { type PlanJsonOutputOptions, readJsonPlan } from '../lib/plan-json.js';
import { type Plan, PlanModel } from '../models/plan.js';
import type { TerraformPlanJson } from '../models/plan-json.js';
import { phaseLogSource } from './phase-logs.js';

/** Plans: a run's plan phase. A run's plan id is its `plan` relationship. */
export class Plans extends APIResource {
  /** `GET /plans/:id`: status, resource counts, and the signed `logReadUrl`. */
  async read(planId: string, options?: RequestOptions): Promise<Plan> {
    return this.api.resource<Plan>('GET', path`/plans/${['planId', planId]}`, PlanModel, { options });
  }

  /**
   * The plan's log from its `logReadUrl` (read without the API token), as text chunks; `follow` keeps reading
   * until the plan finishes. Lazy: nothing is requested until iterated.
   *
   * The iteration rejects with a `TimeoutError` when a log response stays silent (no byte of the body, or no
   * headers even after the retries) for the client's `timeoutMs`; the wait between reads while following does
   * not count. It rejects with an `AbortError` when `options.signal` fires, and with a `ConnectionError` when
   * the connection is lost mid-log. Reading the plan itself (its status, a fresh log URL) fails as
   * `plans.read` does.
   */
  logs(planId: string, options?: LogReadOptions): LogStream {
    return new LogStream(
      phaseLogSource(this.api, (o) => this.read(planId, o)),
      options,
      'plans.logs',
    );
  }

  /**
   * `GET /plans/:id/json-output`: Terraform's JSON execution plan, keys as Terraform writes them. While the plan
   * is unfinished the API answers 204 and this asks again (under `signal` and `waitTimeoutMs`); the 307 to a
   * short-lived URL is followed without the token. A `JsonPlanUnavailableError` when there is none (422, or the
   * plan errored); a 403/404 names the token it needs (user or team token with admin access to the workspace).
   */
  async jsonOutput(planId: string, options?: PlanJsonOutputOptions): Promise<TerraformPlanJson> {
    const at = path`/plans/${['planId', planId]}/json-output`;
    return readJsonPlan(
      {
        describe: `plans.jsonOutput(${planId})`,
        fetch: (o) => this.api.request({ method: 'GET', path: at, followRedirects: true, options: o }),
        planStatus: async (o) => (await this.read(planId, o)).status,
      },
      options,
    );
  }
}
