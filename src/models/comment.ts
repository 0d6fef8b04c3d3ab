import { z } from 'zod';
import { defineModel, type Model } from './model.js';

export const CommentAttributesSchema = z.looseObject({
  body: z.string(),
});

export const CommentModel = defineModel('comments', CommentAttributesSchema);
export type CommentAttributes = z.infer<typeof CommentAttributesSchema>;

/** A comment on a run; the run event that records it is the `runEvent` relationship. */
export type Comment = Model<CommentAttributes, 'runEvent'>;
