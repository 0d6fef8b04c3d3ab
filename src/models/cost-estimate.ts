import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';

// Costs arrive as decimal strings ("12.34"): kept as strings so no cent is lost to floating point.
const money = z.string().nullable().optional();

export const CostEstimateAttributesSchema = z.looseObject({
  status: z.string(),
  deltaMonthlyCost: money,
  priorMonthlyCost: money,
  proposedMonthlyCost: money,
  matchedResourcesCount: z.number().nullable().optional(),
  unmatchedResourcesCount: z.number().nullable().optional(),
  resourcesCount: z.number().nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  statusTimestamps,
});

export const CostEstimateModel = defineModel('cost-estimates', CostEstimateAttributesSchema);
export type CostEstimate = Model<z.infer<typeof CostEstimateAttributesSchema>>;
