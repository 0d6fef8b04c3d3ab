import { z } from 'zod';
import { defineModel, type Model, optionalTimestamp, statusTimestamps } from './model.js';
import type { TaskStage } from './task-stage.js';

/** Run task result states. Open: the API may add more. */
export const TaskResultStatus = {
  Pending: 'pending',
  Running: 'running',
  Passed: 'passed',
  Failed: 'failed',
  Errored: 'errored',
  Canceled: 'canceled',
  Unreachable: 'unreachable',
} as const;
/** A task result state this SDK knows (see the const of the same name). */
export type TaskResultStatus = (typeof TaskResultStatus)[keyof typeof TaskResultStatus];
/** A task result state as read: a known one, or one the API added later. */
export type OpenTaskResultStatus = TaskResultStatus | (string & {});

/** How a workspace enforces a run task: a failed `mandatory` task stops the run, an `advisory` one warns. */
export const TaskEnforcementLevel = { Advisory: 'advisory', Mandatory: 'mandatory' } as const;
/** A run task enforcement level this SDK knows. */
export type TaskEnforcementLevel = (typeof TaskEnforcementLevel)[keyof typeof TaskEnforcementLevel];

const text = z.string().nullable().optional();

/** A run task result's attributes in camelCase (zod, loose). */
export const TaskResultAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenTaskResultStatus>,
  /** The external service's verdict in words. */
  message: text,
  /** Where the service shows its details. */
  url: text,
  taskId: text,
  taskName: text,
  taskUrl: text,
  stage: text,
  isSpeculative: z.boolean().nullable().optional(),
  workspaceTaskId: text,
  workspaceTaskEnforcementLevel: z.string().nullable().optional() as z.ZodType<
    TaskEnforcementLevel | (string & {}) | null | undefined
  >,
  agentPoolId: text,
  duration: z.number().nullable().optional(),
  createdAt: optionalTimestamp,
  updatedAt: optionalTimestamp,
  statusTimestamps,
});

/** How a `task-results` resource decodes. */
export const TaskResultModel = defineModel('task-results', TaskResultAttributesSchema);
/** A run task result's attributes: the task, its enforcement level, status, message and link. */
export type TaskResultAttributes = z.infer<typeof TaskResultAttributesSchema>;
/** One run task's result in a task stage. */
export type TaskResult = Model<TaskResultAttributes, 'taskStage', { taskStage: TaskStage }>;
