import type { RunScenario } from './types.js';

/** In-memory rows of the fake. Exported read-only through the core for tests to inspect. */

export interface UserRecord {
  id: string;
  username: string;
  email: string;
}

export interface OrganizationRecord {
  name: string;
  email: string;
  createdAt: Date;
  /** Every organization has a default project; the fake puts every workspace in it. */
  defaultProjectId: string;
}

/** Who holds a workspace's lock: a user (with a reason) or a run. */
export type WorkspaceLock =
  | { by: 'user'; userId: string; reason: string | null }
  | { by: 'run'; runId: string };

/** A workspace as the fake stores it. */
export interface WorkspaceRecord {
  id: string;
  organization: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  autoApply: boolean;
  executionMode: string;
  workingDirectory: string | null;
  terraformVersion: string;
  description: string | null;
  tagNames: string[];
  allowDestroyPlan: boolean;
  speculativeEnabled: boolean;
  queueAllRuns: boolean;
  /** Attributes the fake does not model, kept and echoed back. */
  extraAttributes: Record<string, unknown>;
  lock: WorkspaceLock | null;
  currentRunId: string | null;
  latestRunId: string | null;
  currentConfigurationVersionId: string | null;
  currentStateVersionId: string | null;
  /** Key/value tags (`tag-bindings`); flat tags are `tagNames`. */
  tagBindings: { key: string; value: string }[];
  /** The most recently created or used configuration version (what a run without one uses). */
  latestConfigurationVersionId: string | null;
  /** Fake Terraform state: resource addresses and output names the last apply left. */
  state: { resources: string[]; outputs: string[] };
  scenario: RunScenario | null;
}

export type ConfigurationVersionStatus = 'pending' | 'fetching' | 'uploaded' | 'archived' | 'errored';

/** A configuration version as the fake stores it, with the files its upload unpacked to. */
export interface ConfigurationVersionRecord {
  id: string;
  workspaceId: string;
  /** Who created it: the auto-queued run is theirs. */
  createdById: string;
  createdAt: Date;
  status: ConfigurationVersionStatus;
  statusTimestamps: Record<string, string>;
  autoQueueRuns: boolean;
  speculative: boolean;
  provisional: boolean;
  source: string;
  error: string | null;
  errorMessage: string | null;
  uploadKey: string;
  downloadKey: string;
  archive: Buffer | null;
  files: Map<string, Buffer> | null;
}

/** One state of a run's path; a pause waits for someone (confirm, override, decision). */
export interface Step {
  status: string;
  pause?: boolean;
}

/**
 * A stage of a run's path: the states it passes through, in order. Its last step is its completed state
 * (`planned`, `post_plan_completed`, `cost_estimated`, `policy_checked`), where a run that needs confirmation
 * pauses if no stage follows (the Run States page).
 */
export interface Stage {
  name: StageName;
  steps: Step[];
}

/**
 * Stage names in the order the Run States page gives them: run tasks before the plan, the plan, run tasks after
 * it, OPA policy evaluation, cost estimation, the Sentinel policy check; then, after confirmation, the apply with
 * its own run-task stages around it.
 */
export const STAGE_ORDER = [
  'pre_plan',
  'plan',
  'post_plan',
  'policy_evaluation',
  'cost_estimation',
  'policy_check',
  'pre_apply',
  'apply',
  'post_apply',
] as const;

/** One of {@link STAGE_ORDER}. */
export type StageName = (typeof STAGE_ORDER)[number];

export interface RunComment {
  action: string;
  body: string;
  at: Date;
}

export interface PlanDiff {
  additions: number;
  changes: number;
  destructions: number;
  /** Addresses each change touches, for the log. */
  add: string[];
  change: string[];
  destroy: string[];
  /** True when outputs alone differ. */
  outputsChanged: boolean;
  /** The state an apply of this plan leaves. */
  nextState: { resources: string[]; outputs: string[] };
  /** The state the plan was made against (the JSON plan's no-op and prior outputs). */
  prior: { resources: string[]; outputs: string[] };
}

/** A run as the fake stores it: its status, the path it moves along, and its plan and apply. */
export interface RunRecord {
  id: string;
  /** Creation order (timestamps can tie within a millisecond). */
  seq: number;
  workspaceId: string;
  configurationVersionId: string;
  createdById: string;
  createdAt: Date;
  status: string;
  statusTimestamps: Record<string, string>;
  isDestroy: boolean;
  message: string;
  refresh: boolean;
  refreshOnly: boolean;
  replaceAddrs: string[] | null;
  targetAddrs: string[] | null;
  planOnly: boolean;
  /** As requested on the run; `null` follows the workspace. */
  autoApply: boolean | null;
  allowEmptyApply: boolean;
  terraformVersion: string;
  savePlan: boolean;
  debuggingMode: boolean;
  variables: { key: string; value: string }[];
  source: string;
  triggerReason: string;
  hasChanges: boolean;
  planId: string;
  applyId: string;
  costEstimateId: string;
  policyCheckId: string;
  taskStageIds: string[];
  canceledAt: Date | null;
  cancelRequested: boolean;
  forceCancelAvailableAt: Date | null;
  comments: RunComment[];
  scenario: RunScenario;
  /** The stages its workspace setup gives it (pre-plan tasks, plan, post-plan tasks, …), set when it starts. */
  stages: Stage[];
  /** States still to go through; the head is entered on the next tick. */
  pipeline: Step[];
  /** Waiting for someone (confirm, override, decision): no tick is scheduled. */
  paused: boolean;
  /** Pending and past its minimum time in `pending`: may start once the workspace is free. */
  queueable: boolean;
  diff: PlanDiff | null;
}

/** A run's plan as the fake stores it. */
export interface PlanRecord {
  id: string;
  runId: string;
  status: string;
  statusTimestamps: Record<string, string>;
  resourceAdditions: number;
  resourceChanges: number;
  resourceDestructions: number;
  resourceImports: number;
  hasChanges: boolean;
  logKey: string;
  log: string[];
}

/** A run's apply as the fake stores it. */
export type ApplyRecord = Omit<PlanRecord, 'hasChanges'> & {
  /** The state versions this apply wrote (`relationships.state-versions`). */
  stateVersionIds: string[];
};

export interface CostEstimateRecord {
  id: string;
  runId: string;
  status: string;
  statusTimestamps: Record<string, string>;
  resourcesCount: number;
}

export interface PolicyCheckRecord {
  id: string;
  runId: string;
  status: string;
  statusTimestamps: Record<string, string>;
  softFailed: number;
}

export interface TaskStageRecord {
  id: string;
  runId: string;
  stage: 'pre_plan' | 'post_plan';
  status: string;
  statusTimestamps: Record<string, string>;
}

/** A workspace variable as the fake stores it. */
export interface VariableRecord {
  id: string;
  workspaceId: string;
  key: string;
  value: string;
  description: string | null;
  category: string;
  hcl: boolean;
  sensitive: boolean;
  versionId: string;
}

/** A comment on a run as the fake stores it. */
export interface CommentRecord {
  id: string;
  runId: string;
  body: string;
  createdAt: Date;
  userId: string;
}

/** An entry of a run's timeline as the fake stores it. */
export interface RunEventRecord {
  id: string;
  runId: string;
  /** The status the run entered (`queued` for its creation), or `commented`. */
  action: string;
  description: string | null;
  createdAt: Date;
  actorId: string | null;
  commentId: string | null;
}

/** A state version as the fake stores it. */
export interface StateVersionRecord {
  id: string;
  workspaceId: string;
  runId: string;
  serial: number;
  createdAt: Date;
  terraformVersion: string;
  /** False until the fake has "extracted" the outputs (one step after the apply). */
  resourcesProcessed: boolean;
  resources: string[];
  outputIds: string[];
  /** Archivist keys of the raw state and of its JSON form (`hosted-state-download-url` and the JSON one). */
  stateKey: string;
  jsonStateKey: string;
}

/** A state version output as the fake stores it. */
export interface StateVersionOutputRecord {
  id: string;
  stateVersionId: string;
  name: string;
  sensitive: boolean;
  type: string;
  value: unknown;
}
