import { z } from 'zod';
import type { ConfigurationVersion } from './configuration-version.js';
import { defineModel, type Model, optionalTimestamp } from './model.js';
import type { Run } from './run.js';
import type { User } from './user.js';

const flag = z.boolean().optional();
const text = z.string().nullable().optional();
const count = z.number().nullable().optional();
const names = z.array(z.string()).nullable().optional();

/** A workspace's attributes in camelCase; loose, so attributes this SDK does not know yet are kept. */
export const WorkspaceAttributesSchema = z.looseObject({
  name: z.string(),
  description: text,
  autoApply: flag,
  autoApplyRunTrigger: flag,
  allowDestroyPlan: flag,
  locked: flag,
  /** Why the workspace was locked, as given to `lock`; empty or null when there is none. */
  lockedReason: text,
  /** `remote`, `local` or `agent`. */
  executionMode: text,
  /** The agent pool's id, when `executionMode` is `agent` (also the `agent-pool` relationship). */
  agentPoolId: text,
  workingDirectory: text,
  terraformVersion: text,
  environment: text,
  source: text,
  sourceName: text,
  sourceUrl: text,
  oauthClientName: text,
  operations: flag,
  queueAllRuns: flag,
  speculativeEnabled: flag,
  structuredRunOutputEnabled: flag,
  fileTriggersEnabled: flag,
  globalRemoteState: flag,
  assessmentsEnabled: flag,
  inheritsProjectAutoDestroy: z.boolean().nullable().optional(),
  resourceCount: count,
  /** Average apply time, ms. */
  applyDurationAverage: count,
  /** Average plan time, ms. */
  planDurationAverage: count,
  policyCheckFailures: count,
  runFailures: count,
  workspaceKpisRunsCount: count,
  tagNames: names,
  triggerPrefixes: names,
  triggerPatterns: names,
  vcsRepo: z.looseObject({}).nullable().optional(),
  vcsRepoIdentifier: text,
  actions: z.looseObject({ isDestroyable: flag }).optional(),
  permissions: z.record(z.string(), z.boolean()).optional(),
  settingOverwrites: z.record(z.string(), z.boolean()).nullable().optional(),
  autoDestroyStatus: text,
  autoDestroyActivityDuration: text,
  createdAt: optionalTimestamp,
  updatedAt: optionalTimestamp,
  latestChangeAt: optionalTimestamp,
  autoDestroyAt: optionalTimestamp,
  lastAssessmentResultAt: optionalTimestamp,
});

/** How a `workspaces` resource decodes. */
export const WorkspaceModel = defineModel('workspaces', WorkspaceAttributesSchema);
/** A workspace's attributes: name, settings, lock state, counts and timestamps. */
export type WorkspaceAttributes = z.infer<typeof WorkspaceAttributesSchema>;

/** To-one relationships of a workspace, reachable by id without `include`. */
export type WorkspaceRelationshipName =
  | 'organization'
  | 'project'
  | 'currentRun'
  | 'latestRun'
  | 'currentConfigurationVersion'
  | 'currentStateVersion'
  | 'currentAssessmentResult'
  | 'lockedBy'
  | 'agentPool'
  | 'sshKey'
  | 'readme';

/**
 * A workspace. `relationships.lockedBy` names who holds the lock (a user, run or team); with `include`, the
 * current run, configuration version and lock holder are typed here.
 */
export type Workspace = Model<
  WorkspaceAttributes,
  WorkspaceRelationshipName,
  {
    currentRun: Run;
    latestRun: Run;
    currentConfigurationVersion: ConfigurationVersion;
    lockedBy: User | Run | Model<Record<string, unknown>>;
  }
>;

/** What `include` may ask for on a workspace. Open: the API documents more. */
export type WorkspaceInclude =
  | 'organization'
  | 'project'
  | 'current_run'
  | 'current_run.plan'
  | 'current_run.configuration_version'
  | 'current_run.configuration_version.ingress_attributes'
  | 'current_configuration_version'
  | 'current_configuration_version.ingress_attributes'
  | 'current_state_version'
  | 'effective_tag_bindings'
  | 'locked_by'
  | 'readme'
  | 'outputs'
  | (string & {});

/** A tag binding's attributes (also those of an effective tag binding). */
export const TagBindingAttributesSchema = z.looseObject({
  key: z.string(),
  value: z.string().nullable().optional(),
  createdAt: optionalTimestamp,
});

/** A key/value tag set on a workspace itself. */
export const TagBindingModel = defineModel('tag-bindings', TagBindingAttributesSchema);
/** A key/value tag set on a workspace itself. */
export type TagBinding = Model<z.infer<typeof TagBindingAttributesSchema>>;

/**
 * A tag binding in effect on a workspace: its own or inherited from its project (then `links['inherited-from']`
 * points at the project).
 */
export const EffectiveTagBindingModel = defineModel('effective-tag-bindings', TagBindingAttributesSchema);
/** A key/value tag that applies to a workspace, set on it or inherited from its project. */
export type EffectiveTagBinding = Model<z.infer<typeof TagBindingAttributesSchema>>;

/** A flat tag's attributes. */
export const TagAttributesSchema = z.looseObject({
  name: z.string(),
  createdAt: optionalTimestamp,
  instanceCount: z.number().nullable().optional(),
});

/** A flat string tag (the older kind, beside key/value tag bindings). */
export const TagModel = defineModel('tags', TagAttributesSchema);
/** A flat string tag (the older kind, beside key/value tag bindings). */
export type Tag = Model<z.infer<typeof TagAttributesSchema>, 'organization'>;
