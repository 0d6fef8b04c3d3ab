import { z } from 'zod';
import type { Comment } from './comment.js';
import { defineModel, type Model, optionalTimestamp } from './model.js';
import type { User } from './user.js';

/** A run event's attributes in camelCase (zod, loose). */
export const RunEventAttributesSchema = z.looseObject({
  /** What happened, e.g. `queued`, `planned`, `applied`, `commented`. Open: the API adds actions. */
  action: z.string(),
  description: z.string().nullable().optional(),
  createdAt: optionalTimestamp,
});

/** How a `run-events` resource decodes. */
export const RunEventModel = defineModel('run-events', RunEventAttributesSchema);
/** A run event's attributes: what happened (`action`), its description and time. */
export type RunEventAttributes = z.infer<typeof RunEventAttributesSchema>;

/** One entry of a run's timeline: who (`actor`) did what (`action`), and the comment made with it. */
export type RunEvent = Model<
  RunEventAttributes,
  'actor' | 'comment' | 'target',
  { actor: User; comment: Comment }
>;

/** What `include` may ask for on a run event. */
export type RunEventInclude = 'actor' | 'comment';
