import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type TaskResult, TaskResultModel } from '../models/task-result.js';

/** Run task results. There is no list: a stage's results are its `taskResults` relationship. */
export class TaskResults extends APIResource {
  /** `GET /task-results/:id`: one run task's status, message, link and enforcement level. */
  async read(taskResultId: string, options?: RequestOptions): Promise<TaskResult> {
    return this.api.resource<TaskResult>(
      'GET',
      path`/task-results/${['taskResultId', taskResultId]}`,
      TaskResultModel,
      { options },
    );
  }
}
