import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type LogReadOptions, LogStream } from '../lib/logs.js';
import { type Plan, PlanModel } from '../models/plan.js';
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
}
