import type { JsonObject } from '../jsonapi.js';
import type { ConfigurationVersionRecord, RunRecord, WorkspaceRecord } from '../records.js';
import {
  applyResource,
  configurationVersionResource,
  costEstimateResource,
  organizationResource,
  planResource,
  policyCheckResource,
  runResource,
  type SerializeContext,
  taskStageResource,
  userResource,
} from '../serialize.js';
import { workspaceResource } from '../serialize-workspace.js';

export const RUN_INCLUDES = [
  'plan',
  'apply',
  'created_by',
  'cost_estimate',
  'configuration_version',
  'configuration_version.ingress_attributes',
  'workspace',
  'policy_checks',
  'task_stages',
] as const;

export const WORKSPACE_INCLUDES = [
  'organization',
  'current_run',
  'current_run.plan',
  'current_run.configuration_version',
  'current_run.configuration_version.ingress_attributes',
  'current_configuration_version',
  'current_configuration_version.ingress_attributes',
  'latest_run',
  'locked_by',
  'outputs',
  'readme',
  'current_state_version',
  'project',
] as const;

export const CONFIGURATION_VERSION_INCLUDES = ['ingress_attributes'] as const;

/** Collects included resources once each, in the order first asked for. */
class Included {
  private readonly seen = new Map<string, JsonObject>();
  add(resource: JsonObject | undefined): void {
    if (resource) this.seen.set(`${String(resource.type)}/${String(resource.id)}`, resource);
  }
  list(): JsonObject[] {
    return [...this.seen.values()];
  }
}

function addRunIncludes(out: Included, run: RunRecord, names: string[], ctx: SerializeContext): void {
  const { store } = ctx;
  for (const name of names) {
    const cv = store.configurationVersions.get(run.configurationVersionId);
    if (name === 'plan') out.add(mapGet(store.plans, run.planId, (p) => planResource(p, ctx)));
    if (name === 'apply') out.add(mapGet(store.applies, run.applyId, (a) => applyResource(a, ctx)));
    if (name === 'created_by') out.add(mapGet(store.users, run.createdById, userResource));
    if (name === 'cost_estimate')
      out.add(mapGet(store.costEstimates, run.costEstimateId, costEstimateResource));
    if (name.startsWith('configuration_version') && cv) out.add(configurationVersionResource(cv, ctx));
    if (name === 'workspace')
      out.add(mapGet(store.workspaces, run.workspaceId, (w) => workspaceResource(w, ctx)));
    if (name === 'policy_checks') out.add(mapGet(store.policyChecks, run.policyCheckId, policyCheckResource));
    if (name === 'task_stages') {
      for (const id of run.taskStageIds) out.add(mapGet(store.taskStages, id, taskStageResource));
    }
  }
}

function mapGet<T>(map: Map<string, T>, id: string, render: (row: T) => JsonObject): JsonObject | undefined {
  const row = map.get(id);
  return row === undefined ? undefined : render(row);
}

export function runsIncluded(runs: RunRecord[], names: string[], ctx: SerializeContext): JsonObject[] {
  const out = new Included();
  for (const run of runs) addRunIncludes(out, run, names, ctx);
  return out.list();
}

export function workspacesIncluded(
  list: WorkspaceRecord[],
  names: string[],
  ctx: SerializeContext,
): JsonObject[] {
  const out = new Included();
  const { store } = ctx;
  for (const ws of list) {
    for (const name of names) {
      if (name === 'organization')
        out.add(mapGet(store.organizations, ws.organization, organizationResource));
      const runId = name.startsWith('current_run')
        ? ws.currentRunId
        : name === 'latest_run'
          ? ws.latestRunId
          : null;
      const run = runId === null ? undefined : store.runs.get(runId);
      if (run) {
        out.add(runResource(run, ctx));
        const nested = name.split('.').slice(1).join('.');
        if (nested) addRunIncludes(out, run, [nested], ctx);
      }
      if (name.startsWith('current_configuration_version') && ws.currentConfigurationVersionId) {
        const cv = store.configurationVersions.get(ws.currentConfigurationVersionId);
        if (cv) out.add(configurationVersionResource(cv, ctx));
      }
      if (name === 'locked_by' && ws.lock) {
        const lock = ws.lock;
        if (lock.by === 'user') out.add(mapGet(store.users, lock.userId, userResource));
        else out.add(mapGet(store.runs, lock.runId, (r) => runResource(r, ctx)));
      }
    }
  }
  return out.list();
}

/** Configuration versions made through the API have no ingress attributes: nothing to include. */
export function configurationVersionsIncluded(
  _list: ConfigurationVersionRecord[],
  _names: string[],
): JsonObject[] {
  return [];
}
