import { z } from 'zod';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import { type RunEvent, type RunEventInclude, RunEventModel } from '../models/run-event.js';

const IncludeSchema = z.strictObject({ include: z.array(z.enum(['actor', 'comment'])).optional() });

/** With `include`, each event's actor (a user) and comment are typed on it. */
export interface RunEventParams {
  include?: RunEventInclude[];
}

/** A run's timeline: every state change and action, who took it, and the comments made with it. */
export class RunEvents extends APIResource {
  /** `GET /runs/:id/run-events`. */
  list(runId: string, params: RunEventParams = {}, options?: RequestOptions): PagePromise<RunEvent> {
    return this.api.list<RunEvent>(RunEventModel, options, () => {
      const p = validateInput(IncludeSchema, params, 'runEvents.list');
      return { path: path`/runs/${['runId', runId]}/run-events`, query: { include: p.include } };
    });
  }

  /** `GET /run-events/:id`. */
  async read(runEventId: string, params: RunEventParams = {}, options?: RequestOptions): Promise<RunEvent> {
    const p = validateInput(IncludeSchema, params, 'runEvents.read');
    return this.api.resource<RunEvent>(
      'GET',
      path`/run-events/${['runEventId', runEventId]}`,
      RunEventModel,
      {
        query: { include: p.include },
        options,
      },
    );
  }
}
