import { newId, opaqueToken } from './ids.js';
import type {
  ApplyRecord,
  CommentRecord,
  ConfigurationVersionRecord,
  CostEstimateRecord,
  OrganizationRecord,
  PlanRecord,
  PolicyCheckRecord,
  RunEventRecord,
  RunRecord,
  StateVersionOutputRecord,
  StateVersionRecord,
  TaskStageRecord,
  UserRecord,
  VariableRecord,
  WorkspaceRecord,
} from './records.js';

export const DEFAULT_TERRAFORM_VERSION = '1.9.4';

/** Workspace settings `createWorkspace` accepts. */
export type WorkspaceInput = Partial<
  Pick<
    WorkspaceRecord,
    | 'autoApply'
    | 'executionMode'
    | 'workingDirectory'
    | 'terraformVersion'
    | 'description'
    | 'tagNames'
    | 'allowDestroyPlan'
    | 'speculativeEnabled'
    | 'queueAllRuns'
    | 'extraAttributes'
  >
>;

/** Every row of the fake, by id; plus the opaque keys the archivist serves. */
export class Store {
  readonly users = new Map<string, UserRecord>();
  /** API token → user id. */
  readonly tokens = new Map<string, string>();
  readonly organizations = new Map<string, OrganizationRecord>();
  readonly workspaces = new Map<string, WorkspaceRecord>();
  readonly configurationVersions = new Map<string, ConfigurationVersionRecord>();
  readonly runs = new Map<string, RunRecord>();
  readonly plans = new Map<string, PlanRecord>();
  readonly applies = new Map<string, ApplyRecord>();
  readonly costEstimates = new Map<string, CostEstimateRecord>();
  readonly policyChecks = new Map<string, PolicyCheckRecord>();
  readonly taskStages = new Map<string, TaskStageRecord>();
  readonly variables = new Map<string, VariableRecord>();
  readonly comments = new Map<string, CommentRecord>();
  readonly runEvents = new Map<string, RunEventRecord>();
  readonly stateVersions = new Map<string, StateVersionRecord>();
  readonly stateVersionOutputs = new Map<string, StateVersionOutputRecord>();
  /** Archivist object key → what it serves. */
  readonly objects = new Map<
    string,
    {
      kind: 'upload' | 'download' | 'plan-log' | 'apply-log' | 'plan-json' | 'state' | 'json-state';
      id: string;
    }
  >();

  addUser(username: string, token: string = opaqueToken()): UserRecord {
    const user = { id: newId('user'), username, email: `${username}@example.com` };
    this.users.set(user.id, user);
    this.tokens.set(token, user.id);
    return user;
  }

  addOrganization(name: string): OrganizationRecord {
    const org = {
      name,
      email: `admin@${name}.example.com`,
      createdAt: new Date(),
      defaultProjectId: newId('prj'),
    };
    this.organizations.set(name, org);
    return org;
  }

  workspaceByName(organization: string, name: string): WorkspaceRecord | undefined {
    for (const ws of this.workspaces.values()) {
      if (ws.organization === organization && ws.name === name) return ws;
    }
    return undefined;
  }

  addWorkspace(organization: string, name: string, input: WorkspaceInput = {}): WorkspaceRecord {
    const now = new Date();
    const ws: WorkspaceRecord = {
      id: newId('ws'),
      organization,
      name,
      createdAt: now,
      updatedAt: now,
      autoApply: false,
      executionMode: 'remote',
      workingDirectory: null,
      terraformVersion: DEFAULT_TERRAFORM_VERSION,
      description: null,
      tagNames: [],
      allowDestroyPlan: true,
      speculativeEnabled: true,
      queueAllRuns: false,
      extraAttributes: {},
      ...input,
      lock: null,
      currentRunId: null,
      latestRunId: null,
      currentConfigurationVersionId: null,
      currentStateVersionId: null,
      tagBindings: [],
      latestConfigurationVersionId: null,
      state: { resources: [], outputs: [] },
      scenario: null,
    };
    this.workspaces.set(ws.id, ws);
    return ws;
  }

  addConfigurationVersion(
    workspace: WorkspaceRecord,
    input: { autoQueueRuns: boolean; speculative: boolean; provisional: boolean; createdById: string },
  ): ConfigurationVersionRecord {
    const cv: ConfigurationVersionRecord = {
      id: newId('cv'),
      workspaceId: workspace.id,
      createdAt: new Date(),
      status: 'pending',
      statusTimestamps: {},
      ...input,
      source: 'tfe-api',
      error: null,
      errorMessage: null,
      uploadKey: opaqueToken(),
      downloadKey: opaqueToken(),
      archive: null,
      files: null,
    };
    this.configurationVersions.set(cv.id, cv);
    this.objects.set(cv.uploadKey, { kind: 'upload', id: cv.id });
    this.objects.set(cv.downloadKey, { kind: 'download', id: cv.id });
    workspace.latestConfigurationVersionId = cv.id;
    return cv;
  }

  /** A run event: what happened to a run, for `GET /runs/:id/run-events`. */
  addRunEvent(
    runId: string,
    action: string,
    extra: { actorId?: string | null; commentId?: string | null; description?: string | null } = {},
  ): RunEventRecord {
    const event: RunEventRecord = {
      id: newId('re'),
      runId,
      action,
      description: extra.description ?? null,
      createdAt: new Date(),
      actorId: extra.actorId ?? null,
      commentId: extra.commentId ?? null,
    };
    this.runEvents.set(event.id, event);
    return event;
  }

  /** A comment on a run (posted directly or with an action), with its run event. */
  addComment(run: RunRecord, body: string, userId: string, action = 'commented'): CommentRecord {
    const comment: CommentRecord = { id: newId('wsc'), runId: run.id, body, createdAt: new Date(), userId };
    this.comments.set(comment.id, comment);
    run.comments.push({ action, body, at: comment.createdAt });
    this.addRunEvent(run.id, 'commented', { actorId: userId, commentId: comment.id });
    return comment;
  }

  /** Drops a workspace and everything hanging from it. */
  deleteWorkspace(ws: WorkspaceRecord): void {
    this.workspaces.delete(ws.id);
    for (const cv of [...this.configurationVersions.values()]) {
      if (cv.workspaceId !== ws.id) continue;
      this.configurationVersions.delete(cv.id);
      this.objects.delete(cv.uploadKey);
      this.objects.delete(cv.downloadKey);
    }
    for (const v of [...this.variables.values()]) if (v.workspaceId === ws.id) this.variables.delete(v.id);
    for (const sv of [...this.stateVersions.values()]) {
      if (sv.workspaceId !== ws.id) continue;
      this.stateVersions.delete(sv.id);
      for (const id of sv.outputIds) this.stateVersionOutputs.delete(id);
    }
    for (const run of [...this.runs.values()]) {
      if (run.workspaceId !== ws.id) continue;
      for (const c of [...this.comments.values()]) if (c.runId === run.id) this.comments.delete(c.id);
      for (const e of [...this.runEvents.values()]) if (e.runId === run.id) this.runEvents.delete(e.id);
      this.runs.delete(run.id);
      for (const map of [this.plans, this.applies] as const) {
        const row = map.get(map === this.plans ? run.planId : run.applyId);
        if (row) this.objects.delete(row.logKey);
      }
      this.plans.delete(run.planId);
      this.applies.delete(run.applyId);
      this.costEstimates.delete(run.costEstimateId);
      this.policyChecks.delete(run.policyCheckId);
      for (const id of run.taskStageIds) this.taskStages.delete(id);
    }
  }
}
