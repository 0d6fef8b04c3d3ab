import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';

const count = z.number().nullable().optional();

/** Counts shared by plans and applies. */
export const ResourceCountsShape = {
  resourceAdditions: count,
  resourceChanges: count,
  resourceDestructions: count,
  resourceImports: count,
};

/** A plan's attributes in camelCase (zod, loose). */
export const PlanAttributesSchema = z.looseObject({
  status: z.string(),
  hasChanges: z.boolean().optional(),
  ...ResourceCountsShape,
  logReadUrl: z.string().nullable().optional(),
  executionDetails: z.looseObject({}).nullable().optional(),
  generatedConfiguration: z.boolean().optional(),
  statusTimestamps,
});

/** How a `plans` resource decodes. */
export const PlanModel = defineModel('plans', PlanAttributesSchema);
/** A plan's attributes: status, resource counts, the signed `logReadUrl`, status timestamps. */
export type PlanAttributes = z.infer<typeof PlanAttributesSchema>;
/** A run's plan phase: what `include: ['plan']` on a run and `plans.read` return. */
export type Plan = Model<PlanAttributes, never, {}, 'exports' | 'stateVersions'>;
