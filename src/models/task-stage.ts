import { z } from 'zod';
import { defineModel, type Model, optionalTimestamp, statusTimestamps } from './model.js';
import type { PolicyEvaluation } from './policy-evaluation.js';
import type { Run } from './run.js';
import type { TaskResult } from './task-result.js';

/** The run stages run tasks and policy evaluations attach to (`stage`). Open: the API may add more. */
export const TaskStageName = {
  PrePlan: 'pre_plan',
  PostPlan: 'post_plan',
  PreApply: 'pre_apply',
  PostApply: 'post_apply',
} as const;
/** A run stage this SDK knows (see the const of the same name). */
export type TaskStageName = (typeof TaskStageName)[keyof typeof TaskStageName];
/** A run stage as read: a known one, or one the API added later. */
export type OpenTaskStageName = TaskStageName | (string & {});

/** Task stage states (run task stages and results docs). Open: the API may add more. */
export const TaskStageStatus = {
  Pending: 'pending',
  Running: 'running',
  Passed: 'passed',
  Failed: 'failed',
  AwaitingOverride: 'awaiting_override',
  Errored: 'errored',
  Canceled: 'canceled',
  Unreachable: 'unreachable',
} as const;
/** A task stage state this SDK knows (see the const of the same name). */
export type TaskStageStatus = (typeof TaskStageStatus)[keyof typeof TaskStageStatus];
/** A task stage state as read: a known one, or one the API added later. */
export type OpenTaskStageStatus = TaskStageStatus | (string & {});

/** A task stage's attributes in camelCase (zod, loose). */
export const TaskStageAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenTaskStageStatus>,
  stage: z.string() as unknown as z.ZodType<OpenTaskStageName>,
  /** Milliseconds the stage ran. */
  duration: z.number().nullable().optional(),
  /** What the stage allows now; only the override response in the docs shows it, so absent reads as false. */
  actions: z.looseObject({ isOverridable: z.boolean().default(false) }).default({ isOverridable: false }),
  /** What the token may override: tasks, policies, or either (`canOverride`). */
  permissions: z
    .looseObject({
      canOverride: z.boolean().optional(),
      canOverrideTasks: z.boolean().optional(),
      canOverridePolicy: z.boolean().optional(),
    })
    .optional(),
  createdAt: optionalTimestamp,
  updatedAt: optionalTimestamp,
  statusTimestamps,
});

/** How a `task-stages` resource decodes. */
export const TaskStageModel = defineModel('task-stages', TaskStageAttributesSchema);
/** A task stage's attributes: stage, status, actions and permissions. */
export type TaskStageAttributes = z.infer<typeof TaskStageAttributesSchema>;

/**
 * One stage of a run (pre-plan, post-plan, pre-apply, post-apply) with its run task results and policy
 * evaluations. A stage in `awaiting_override` holds its run in `<stage>_awaiting_decision` until overridden.
 */
export type TaskStage = Model<
  TaskStageAttributes,
  'run',
  { run: Run; taskResults: TaskResult[]; policyEvaluations: PolicyEvaluation[] },
  'taskResults' | 'policyEvaluations'
>;

/** What `include` may ask for on a task stage (the docs' list; `task_results` and `policy_evaluations` typed). */
export type TaskStageInclude = 'run' | 'run.workspace' | 'task_results' | 'policy_evaluations';
