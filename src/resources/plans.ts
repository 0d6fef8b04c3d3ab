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
   */
  logs(planId: string, options?: LogReadOptions): LogStream {
    return new LogStream(
      phaseLogSource(this.api, (o) => this.read(planId, o)),
      options,
      'plans.logs',
    );
  }
}
