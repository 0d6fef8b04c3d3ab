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

export const PlanAttributesSchema = z.looseObject({
  status: z.string(),
  hasChanges: z.boolean().optional(),
  ...ResourceCountsShape,
  logReadUrl: z.string().nullable().optional(),
  executionDetails: z.looseObject({}).nullable().optional(),
  generatedConfiguration: z.boolean().optional(),
  statusTimestamps,
});

export const PlanModel = defineModel('plans', PlanAttributesSchema);
export type PlanAttributes = z.infer<typeof PlanAttributesSchema>;
export type Plan = Model<PlanAttributes, 'exports' | 'stateVersions'>;
