import type { Readable } from 'node:stream';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type LogReadOptions, type LogSource, LogStream } from '../lib/logs.js';
import { type Plan, PlanModel } from '../models/plan.js';

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
    const source: LogSource = {
      readPhase: (signal) => this.read(planId, signal ? { signal } : undefined),
      fetch: (url, signal) => this.fetchLog(url, signal),
    };
    return new LogStream(source, options, 'plans.logs');
  }

  private async fetchLog(url: string, signal: AbortSignal | undefined): Promise<Readable> {
    const res = await this.api.request<Readable>({
      method: 'GET',
      url,
      responseType: 'stream',
      options: signal ? { signal } : undefined,
    });
    return res.data;
  }
}
