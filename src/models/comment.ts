import { z } from 'zod';
import { defineModel, type Model } from './model.js';

/** A comment's attributes in camelCase (zod, loose). */
export const CommentAttributesSchema = z.looseObject({
  body: z.string(),
});

/** How a `comments` resource decodes. */
export const CommentModel = defineModel('comments', CommentAttributesSchema);
/** A comment's attributes: its `body`. */
export type CommentAttributes = z.infer<typeof CommentAttributesSchema>;

/** A comment on a run; the run event that records it is the `runEvent` relationship. */
export type Comment = Model<CommentAttributes, 'runEvent'>;
