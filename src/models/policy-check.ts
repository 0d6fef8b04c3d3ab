import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';
import type { Run } from './run.js';

/** Policy check states. Open: the API may add more. */
export const PolicyCheckStatus = {
  Pending: 'pending',
  Queued: 'queued',
  Passed: 'passed',
  SoftFailed: 'soft_failed',
  HardFailed: 'hard_failed',
  Overridden: 'overridden',
  Errored: 'errored',
  Canceled: 'canceled',
  Unreachable: 'unreachable',
} as const;
/** A policy check state this SDK knows (see the const of the same name). */
export type PolicyCheckStatus = (typeof PolicyCheckStatus)[keyof typeof PolicyCheckStatus];
/** A policy check state as read: a known one, or one the API added later. */
export type OpenPolicyCheckStatus = PolicyCheckStatus | (string & {});

const count = z.number().nullable().optional();

/** The pass/fail counts of a policy check's `result` (zod, loose). */
export const PolicyCheckResultSchema = z.looseObject({
  /** Whether the policies passed as a whole. */
  result: z.boolean().optional(),
  passed: count,
  totalFailed: count,
  hardFailed: count,
  softFailed: count,
  advisoryFailed: count,
  durationMs: count,
  /** The policy engine's low-level details; the docs warn its shape may change. */
  sentinel: z.unknown().optional(),
});

/** A policy check's attributes in camelCase (zod, loose). */
export const PolicyCheckAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenPolicyCheckStatus>,
  /** `organization` or `workspace`. */
  scope: z.string().nullable().optional(),
  result: PolicyCheckResultSchema.nullable().optional(),
  actions: z.looseObject({ isOverridable: z.boolean().default(false) }).default({ isOverridable: false }),
  permissions: z.looseObject({ canOverride: z.boolean().optional() }).optional(),
  statusTimestamps,
});

// Sentinel's details name policies and rules: user data whose keys stay as written.
/** How a `policy-checks` resource decodes. */
export const PolicyCheckModel = defineModel(
  'policy-checks',
  PolicyCheckAttributesSchema,
  new Set(['sentinel']),
);
/** A policy check's attributes: status, scope, result counts and the `actions` it allows. */
export type PolicyCheckAttributes = z.infer<typeof PolicyCheckAttributesSchema>;

/** A Sentinel policy check of a run. A soft failure that `actions.isOverridable` allows can be overridden. */
export type PolicyCheck = Model<PolicyCheckAttributes, 'run', { run: Run }>;

/** What `include` may ask for on a policy check. */
export type PolicyCheckInclude = 'run' | 'run.workspace';
