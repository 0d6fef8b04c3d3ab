import { newId, opaqueToken } from './ids.js';
import type {
  ApplyRecord,
  ConfigurationVersionRecord,
  CostEstimateRecord,
  OrganizationRecord,
  PlanRecord,
  PolicyCheckRecord,
  RunRecord,
  TaskStageRecord,
  UserRecord,
  WorkspaceRecord,
} from './records.js';

export const DEFAULT_TERRAFORM_VERSION = '1.9.4';

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
  /** Archivist object key → what it serves. */
  readonly objects = new Map<
    string,
    { kind: 'upload' | 'download' | 'plan-log' | 'apply-log'; id: string }
  >();

  addUser(username: string, token: string = opaqueToken()): UserRecord {
    const user = { id: newId('user'), username, email: `${username}@example.com` };
    this.users.set(user.id, user);
    this.tokens.set(token, user.id);
    return user;
  }

  addOrganization(name: string): OrganizationRecord {
    const org = { name, email: `admin@${name}.example.com`, createdAt: new Date() };
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

  /** Drops a workspace and everything hanging from it. */
  deleteWorkspace(ws: WorkspaceRecord): void {
    this.workspaces.delete(ws.id);
    for (const cv of [...this.configurationVersions.values()]) {
      if (cv.workspaceId !== ws.id) continue;
      this.configurationVersions.delete(cv.id);
      this.objects.delete(cv.uploadKey);
      this.objects.delete(cv.downloadKey);
    }
    for (const run of [...this.runs.values()]) {
      if (run.workspaceId !== ws.id) continue;
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
