import { z } from 'zod';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import { type Comment, CommentModel } from '../models/comment.js';

const CreateSchema = z.strictObject({ body: z.string().trim().min(1) });

/** Comments on runs: feedback and decisions recorded in the run's timeline. */
export class Comments extends APIResource {
  /** `GET /runs/:id/comments`. */
  list(runId: string, options?: RequestOptions): PagePromise<Comment> {
    return this.api.list<Comment>(CommentModel, options, () => ({
      path: path`/runs/${['runId', runId]}/comments`,
      query: {},
    }));
  }

  /** `GET /comments/:id`. */
  async read(commentId: string, options?: RequestOptions): Promise<Comment> {
    return this.api.resource<Comment>('GET', path`/comments/${['commentId', commentId]}`, CommentModel, {
      options,
    });
  }

  /** `POST /runs/:id/comments`. */
  async create(runId: string, body: string, options?: RequestOptions): Promise<Comment> {
    validateInput(CreateSchema, { body }, 'comments.create');
    return this.api.resource<Comment>('POST', path`/runs/${['runId', runId]}/comments`, CommentModel, {
      body: { data: { type: 'comments', attributes: { body } } },
      options,
    });
  }
}
