import { z } from 'zod';
import type { Apply } from './apply.js';
import type { ConfigurationVersion } from './configuration-version.js';
import type { CostEstimate } from './cost-estimate.js';
import { defineModel, type Model, optionalTimestamp, statusTimestamps } from './model.js';
import type { Plan } from './plan.js';
import type { OpenRunStatus } from './run-status.js';
import type { TaskStage } from './task-stage.js';
import type { User } from './user.js';
import type { Workspace } from './workspace.js';

const flag = z.boolean().optional();

/** What a run allows now (`actions`); absent flags read as false. Gate actions on these, not on statuses. */
export const RunActionsSchema = z.looseObject({
  isCancelable: z.boolean().default(false),
  isConfirmable: z.boolean().default(false),
  isDiscardable: z.boolean().default(false),
  isForceCancelable: z.boolean().default(false),
});

/** What the token may do to the run (`permissions`). */
export const RunPermissionsSchema = z.looseObject({
  canApply: flag,
  canCancel: flag,
  canComment: flag,
  canDiscard: flag,
  canForceExecute: flag,
  canForceCancel: flag,
  canOverridePolicyCheck: flag,
});

/** A run variable: `value` is an HCL literal, e.g. `"\"text\""` or `"10"`. */
export const RunVariableSchema = z.looseObject({ key: z.string(), value: z.string() });

/** A run's attributes in camelCase (zod, loose: attributes this SDK does not know yet are kept). */
export const RunAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenRunStatus>,
  actions: RunActionsSchema.default({
    isCancelable: false,
    isConfirmable: false,
    isDiscardable: false,
    isForceCancelable: false,
  }),
  permissions: RunPermissionsSchema.optional(),
  message: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  triggerReason: z.string().nullable().optional(),
  hasChanges: flag,
  isDestroy: flag,
  planOnly: flag,
  refresh: flag,
  refreshOnly: flag,
  autoApply: flag,
  allowEmptyApply: flag,
  allowConfigGeneration: flag,
  savePlan: flag,
  terraformVersion: z.string().nullable().optional(),
  targetAddrs: z.array(z.string()).nullable().optional(),
  replaceAddrs: z.array(z.string()).nullable().optional(),
  invokeActionAddrs: z.array(z.string()).nullable().optional(),
  variables: z.array(RunVariableSchema).nullable().optional(),
  positionInQueue: z.number().nullable().optional(),
  createdAt: optionalTimestamp,
  canceledAt: optionalTimestamp,
  forceCancelAvailableAt: optionalTimestamp,
  statusTimestamps,
});

/** How a `runs` resource decodes, with its included plan, apply, user and configuration version. */
export const RunModel = defineModel('runs', RunAttributesSchema);

/** A run's attributes: status, actions, permissions, message, plan options, timestamps. */
export type RunAttributes = z.infer<typeof RunAttributesSchema>;
/** What a run allows now: `isCancelable`, `isConfirmable`, `isDiscardable`, `isForceCancelable`. */
export type RunActions = z.infer<typeof RunActionsSchema>;
/** To-one relationships of a run, reachable by id without `include`. */
export type RunRelationshipName =
  | 'workspace'
  | 'configurationVersion'
  | 'plan'
  | 'apply'
  | 'costEstimate'
  | 'createdBy'
  | 'confirmedBy'
  | 'inputStateVersion';
/** To-many relationships of a run: lists of ids. */
export type RunRelationshipListName =
  | 'policyChecks'
  | 'runEvents'
  | 'taskStages'
  | 'comments'
  | 'workspaceRunAlerts';

/**
 * A run. With `include`, the related plan, apply, user, cost estimate, configuration version, workspace and task
 * stages are typed here.
 */
export type Run = Model<
  RunAttributes,
  RunRelationshipName,
  {
    plan: Plan;
    apply: Apply;
    createdBy: User;
    costEstimate: CostEstimate;
    configurationVersion: ConfigurationVersion;
    workspace: Workspace;
    taskStages: TaskStage[];
  },
  RunRelationshipListName
>;

/** What `include` may ask for on a run (`task_stages` is go-tfe's `RunTaskStages`; run.mdx lists the rest). */
export type RunInclude =
  | 'plan'
  | 'apply'
  | 'created_by'
  | 'cost_estimate'
  | 'configuration_version'
  | 'configuration_version.ingress_attributes'
  | 'workspace'
  | 'task_stages';
