import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';

/** Cost estimate states. Open: the API may add more. */
export const CostEstimateStatus = {
  Pending: 'pending',
  Queued: 'queued',
  Finished: 'finished',
  Errored: 'errored',
  Canceled: 'canceled',
  SkippedDueToTargeting: 'skipped_due_to_targeting',
} as const;
/** A cost estimate state this SDK knows (see the const of the same name). */
export type CostEstimateStatus = (typeof CostEstimateStatus)[keyof typeof CostEstimateStatus];
/** A cost estimate state as read: a known one, or one the API added later. */
export type OpenCostEstimateStatus = CostEstimateStatus | (string & {});

// Costs arrive as decimal strings ("12.34"): kept as strings so no cent is lost to floating point.
const money = z.string().nullable().optional();

/** A cost estimate's attributes in camelCase (zod, loose). */
export const CostEstimateAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenCostEstimateStatus>,
  deltaMonthlyCost: money,
  priorMonthlyCost: money,
  proposedMonthlyCost: money,
  matchedResourcesCount: z.number().nullable().optional(),
  unmatchedResourcesCount: z.number().nullable().optional(),
  resourcesCount: z.number().nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  /** Per-resource details; the docs warn its shape may change. */
  resources: z.unknown().optional(),
  statusTimestamps,
});

// `resources` is keyed by resource addresses: user data whose keys stay as written.
/** How a `cost-estimates` resource decodes. */
export const CostEstimateModel = defineModel(
  'cost-estimates',
  CostEstimateAttributesSchema,
  new Set(['resources']),
);
/** A cost estimate's attributes: status, monthly costs and resource counts. */
export type CostEstimateAttributes = z.infer<typeof CostEstimateAttributesSchema>;
/** A run's cost estimate: what `include: ['cost_estimate']` on a run and `costEstimates.read` return. */
export type CostEstimate = Model<CostEstimateAttributes>;
