import { z } from 'zod';
import { defineModel, type Model, optionalTimestamp, statusTimestamps } from './model.js';
import type { TaskStage } from './task-stage.js';

/** Policy evaluation states (go-tfe's list). Open: the API may add more. */
export const PolicyEvaluationStatus = {
  Pending: 'pending',
  Queued: 'queued',
  Running: 'running',
  Passed: 'passed',
  Failed: 'failed',
  Overridden: 'overridden',
  Errored: 'errored',
  Canceled: 'canceled',
  Unreachable: 'unreachable',
} as const;
/** A policy evaluation state this SDK knows (see the const of the same name). */
export type PolicyEvaluationStatus = (typeof PolicyEvaluationStatus)[keyof typeof PolicyEvaluationStatus];
/** A policy evaluation state as read: a known one, or one the API added later. */
export type OpenPolicyEvaluationStatus = PolicyEvaluationStatus | (string & {});

const count = z.number().nullable().optional();

/** How many policies passed, failed (by enforcement level) or errored (zod, loose). */
export const PolicyResultCountSchema = z.looseObject({
  advisoryFailed: count,
  mandatoryFailed: count,
  passed: count,
  errored: count,
});
/** The `result-count` of a policy evaluation or a policy set outcome. */
export type PolicyResultCount = z.infer<typeof PolicyResultCountSchema>;

/** A policy evaluation's attributes in camelCase (zod, loose). */
export const PolicyEvaluationAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenPolicyEvaluationStatus>,
  /** `opa` or `sentinel`. */
  policyKind: z.string().nullable().optional() as z.ZodType<
    'opa' | 'sentinel' | (string & {}) | null | undefined
  >,
  policyToolVersion: z.string().nullable().optional(),
  resultCount: PolicyResultCountSchema.nullable().optional(),
  createdAt: optionalTimestamp,
  updatedAt: optionalTimestamp,
  statusTimestamps,
});

/** How a `policy-evaluations` resource decodes. */
export const PolicyEvaluationModel = defineModel('policy-evaluations', PolicyEvaluationAttributesSchema);
/** A policy evaluation's attributes: kind, status and result counts. */
export type PolicyEvaluationAttributes = z.infer<typeof PolicyEvaluationAttributesSchema>;
/**
 * The policy sets of one kind (OPA or Sentinel) evaluated in a task stage; `policyAttachable` is that stage.
 * Its outcomes are read with `policySetOutcomes.list(evaluation.id)`.
 */
export type PolicyEvaluation = Model<
  PolicyEvaluationAttributes,
  'policyAttachable',
  { policyAttachable: TaskStage },
  'policySetOutcomes'
>;

/**
 * A policy's enforcement level in an outcome: `advisory` or `mandatory` (the docs' filter values); Sentinel
 * also knows `soft-mandatory` and `hard-mandatory`.
 */
export type PolicyEnforcementLevel = 'advisory' | 'mandatory' | 'soft-mandatory' | 'hard-mandatory';

/** One policy's result in a policy set outcome (its keys arrive in snake_case, e.g. `policy_name`). */
export const PolicyOutcomeSchema = z.looseObject({
  policyName: z.string().nullable().optional(),
  enforcementLevel: z.string().nullable().optional() as z.ZodType<
    PolicyEnforcementLevel | (string & {}) | null | undefined
  >,
  /** `passed`, `failed` or `errored`. */
  status: z.string().nullable().optional(),
  query: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
});
/** One policy's result: name, enforcement level, status, query and description. */
export type PolicyOutcome = z.infer<typeof PolicyOutcomeSchema>;

/** A policy set outcome's attributes in camelCase (zod, loose). */
export const PolicySetOutcomeAttributesSchema = z.looseObject({
  outcomes: z.array(PolicyOutcomeSchema).nullable().optional(),
  /** Why the set could not be evaluated; empty when it was. */
  error: z.string().nullable().optional(),
  /** Whether a failure of this set may be overridden (a soft failure) or not (a hard one). */
  overridable: z.boolean().nullable().optional(),
  policySetName: z.string().nullable().optional(),
  policySetDescription: z.string().nullable().optional(),
  resultCount: PolicyResultCountSchema.nullable().optional(),
  policyToolVersion: z.string().nullable().optional(),
});

/** How a `policy-set-outcomes` resource decodes. */
export const PolicySetOutcomeModel = defineModel('policy-set-outcomes', PolicySetOutcomeAttributesSchema);
/** A policy set outcome's attributes: the set's name, each policy's outcome, counts and overridability. */
export type PolicySetOutcomeAttributes = z.infer<typeof PolicySetOutcomeAttributesSchema>;
/** The outcome of one policy set in a policy evaluation: which policies passed or failed. */
export type PolicySetOutcome = Model<
  PolicySetOutcomeAttributes,
  'policyEvaluation',
  { policyEvaluation: PolicyEvaluation }
>;
