import { z } from 'zod';
import { defineModel, type Model, optionalTimestamp } from './model.js';

const flag = z.boolean().optional();
const text = z.string().nullable().optional();

export const WorkspaceAttributesSchema = z.looseObject({
  name: z.string(),
  description: text,
  autoApply: flag,
  autoApplyRunTrigger: flag,
  allowDestroyPlan: flag,
  locked: flag,
  lockedReason: text,
  executionMode: text,
  workingDirectory: text,
  terraformVersion: text,
  environment: text,
  source: text,
  sourceName: text,
  sourceUrl: text,
  operations: flag,
  queueAllRuns: flag,
  speculativeEnabled: flag,
  structuredRunOutputEnabled: flag,
  fileTriggersEnabled: flag,
  globalRemoteState: flag,
  assessmentsEnabled: flag,
  resourceCount: z.number().nullable().optional(),
  tagNames: z.array(z.string()).nullable().optional(),
  triggerPrefixes: z.array(z.string()).nullable().optional(),
  triggerPatterns: z.array(z.string()).nullable().optional(),
  vcsRepo: z.looseObject({}).nullable().optional(),
  vcsRepoIdentifier: text,
  actions: z.looseObject({ isDestroyable: flag }).optional(),
  permissions: z.record(z.string(), z.boolean()).optional(),
  settingOverwrites: z.record(z.string(), z.boolean()).nullable().optional(),
  createdAt: optionalTimestamp,
  updatedAt: optionalTimestamp,
  latestChangeAt: optionalTimestamp,
  autoDestroyAt: optionalTimestamp,
});

export const WorkspaceModel = defineModel('workspaces', WorkspaceAttributesSchema);
export type WorkspaceAttributes = z.infer<typeof WorkspaceAttributesSchema>;
export type WorkspaceRelationshipName =
  | 'organization'
  | 'project'
  | 'currentRun'
  | 'latestRun'
  | 'currentConfigurationVersion'
  | 'currentStateVersion'
  | 'lockedBy'
  | 'agentPool'
  | 'sshKey';
export type Workspace = Model<WorkspaceAttributes, WorkspaceRelationshipName>;
