import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';
import { ResourceCountsShape } from './plan.js';

/** An apply's attributes in camelCase (zod, loose: attributes this SDK does not know yet are kept). */
export const ApplyAttributesSchema = z.looseObject({
  status: z.string(),
  ...ResourceCountsShape,
  logReadUrl: z.string().nullable().optional(),
  executionDetails: z.looseObject({}).nullable().optional(),
  statusTimestamps,
});

/** How an `applies` resource decodes. */
export const ApplyModel = defineModel('applies', ApplyAttributesSchema);
/** An apply's attributes: status, resource counts, the signed `logReadUrl`, status timestamps. */
export type ApplyAttributes = z.infer<typeof ApplyAttributesSchema>;
/** A run's apply phase: what `include: ['apply']` on a run and `applies.read` return. */
export type Apply = Model<ApplyAttributes, never, {}, 'stateVersions'>;
