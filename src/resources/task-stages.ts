import { z } from 'zod';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { ReadParamsSchema, validateInput } from '../core/validate.js';
import { type TaskStage, type TaskStageInclude, TaskStageModel } from '../models/task-stage.js';

const ListSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  include: z.array(z.string().min(1)).optional(),
});

/**
 * Paging for a run's task stages; with `include`, task results and policy evaluations are typed on each stage.
 * @interface
 */
export type TaskStageListParams = Omit<z.input<typeof ListSchema>, 'include'> & {
  include?: TaskStageInclude[];
};

const OverrideSchema = z.strictObject({ comment: z.string().optional() });

/** What `taskStages.override` takes. */
export interface TaskStageOverrideParams {
  /** Why the stage was overridden, kept with the override. */
  comment?: string;
}

/**
 * Run task stages: one per run stage (pre-plan, post-plan, pre-apply, post-apply) that has run tasks or policy
 * evaluations. A stage in `awaiting_override` holds its run in `<stage>_awaiting_decision`.
 */
export class TaskStages extends APIResource {
  /** `GET /runs/:id/task-stages`. Await for one page; `for await` for every stage. */
  list(runId: string, params: TaskStageListParams = {}, options?: RequestOptions): PagePromise<TaskStage> {
    return this.api.list<TaskStage>(TaskStageModel, options, () => {
      const p = validateInput(ListSchema, params, 'taskStages.list');
      return {
        path: path`/runs/${['runId', runId]}/task-stages`,
        query: { 'page[size]': p.pageSize, include: p.include },
        paging: p,
      };
    });
  }

  /** `GET /task-stages/:id`; `include: ['task_results', 'policy_evaluations']` types them on the stage. */
  async read(
    taskStageId: string,
    params: { include?: TaskStageInclude[] } = {},
    options?: RequestOptions,
  ): Promise<TaskStage> {
    const { include } = validateInput(ReadParamsSchema, params, 'taskStages.read');
    return this.api.resource<TaskStage>(
      'GET',
      path`/task-stages/${['taskStageId', taskStageId]}`,
      TaskStageModel,
      { query: { include }, options },
    );
  }

  /**
   * `POST /task-stages/:id/actions/override`: lets the run past the stage's failed mandatory tasks or
   * overridable policies. Allowed when `actions.isOverridable`; the run then goes on.
   */
  async override(
    taskStageId: string,
    params: TaskStageOverrideParams = {},
    options?: RequestOptions,
  ): Promise<TaskStage> {
    const { comment } = validateInput(OverrideSchema, params, 'taskStages.override');
    return this.api.resource<TaskStage>(
      'POST',
      path`/task-stages/${['taskStageId', taskStageId]}/actions/override`,
      TaskStageModel,
      { body: comment === undefined ? undefined : { comment }, options },
    );
  }
}
