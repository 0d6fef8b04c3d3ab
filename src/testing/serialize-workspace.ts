import { isoMillis, type JsonObject, relationship, relationshipMany } from './jsonapi.js';
import type { WorkspaceRecord } from './records.js';
import { API, type SerializeContext } from './serialize.js';

const WORKSPACE_PERMISSIONS = {
  'can-update': true,
  'can-destroy': true,
  'can-queue-run': true,
  'can-read-run': true,
  'can-read-variable': true,
  'can-update-variable': true,
  'can-read-state-versions': true,
  'can-read-state-outputs': true,
  'can-create-state-versions': true,
  'can-queue-apply': true,
  'can-lock': true,
  'can-unlock': true,
  'can-force-unlock': true,
  'can-read-settings': true,
  'can-manage-tags': true,
  'can-manage-run-tasks': true,
  'can-force-delete': true,
  'can-manage-assessments': true,
  'can-manage-ephemeral-workspaces': false,
  'can-read-assessment-results': true,
  'can-queue-destroy': true,
};

/** The workspace's outputs: those of its current state version, once processed. */
function currentOutputIds(ws: WorkspaceRecord, ctx: SerializeContext): string[] {
  const sv = ws.currentStateVersionId ? ctx.store.stateVersions.get(ws.currentStateVersionId) : undefined;
  return sv?.resourcesProcessed ? sv.outputIds : [];
}

/** Relationships as the docs' show-workspace sample lists them (workspaces.mdx). */
export function workspaceResource(ws: WorkspaceRecord, ctx: SerializeContext): JsonObject {
  const runLink = (id: string | null) => relationship('runs', id, id ? `${API}/runs/${id}` : undefined);
  const cvId = ws.currentConfigurationVersionId;
  const lock = ws.lock;
  return {
    id: ws.id,
    type: 'workspaces',
    attributes: {
      ...ws.extraAttributes,
      actions: { 'is-destroyable': true },
      'allow-destroy-plan': ws.allowDestroyPlan,
      'assessments-enabled': false,
      'auto-apply': ws.autoApply,
      'auto-apply-run-trigger': false,
      'auto-destroy-at': null,
      'auto-destroy-status': null,
      'auto-destroy-activity-duration': null,
      'inherits-project-auto-destroy': null,
      'created-at': isoMillis(ws.createdAt),
      description: ws.description,
      environment: 'default',
      'execution-mode': ws.executionMode,
      'file-triggers-enabled': true,
      'global-remote-state': false,
      'latest-change-at': isoMillis(ws.updatedAt),
      'last-assessment-result-at': null,
      locked: lock !== null,
      'locked-reason': lock?.by === 'user' ? lock.reason : null,
      name: ws.name,
      'oauth-client-name': null,
      operations: ws.executionMode !== 'local',
      permissions: WORKSPACE_PERMISSIONS,
      'apply-duration-average': null,
      'plan-duration-average': null,
      'policy-check-failures': null,
      'queue-all-runs': ws.queueAllRuns,
      'resource-count': ws.state.resources.length,
      'run-failures': 0,
      source: 'tfe-api',
      'source-name': null,
      'source-url': null,
      'speculative-enabled': ws.speculativeEnabled,
      'structured-run-output-enabled': true,
      'tag-names': ws.tagNames,
      'terraform-version': ws.terraformVersion,
      'trigger-prefixes': [],
      'updated-at': isoMillis(ws.updatedAt),
      'vcs-repo': null,
      'vcs-repo-identifier': null,
      'working-directory': ws.workingDirectory,
      'workspace-kpis-runs-count': 0,
      'setting-overwrites': { 'execution-mode': false, 'agent-pool': false },
    },
    relationships: {
      organization: relationship('organizations', ws.organization),
      'current-run': runLink(ws.currentRunId),
      'latest-run': runLink(ws.latestRunId),
      'current-configuration-version': relationship(
        'configuration-versions',
        cvId,
        cvId ? `${API}/configuration-versions/${cvId}` : undefined,
      ),
      'current-state-version': relationship(
        'state-versions',
        ws.currentStateVersionId,
        `${API}/workspaces/${ws.id}/current-state-version`,
      ),
      'locked-by':
        lock === null
          ? relationship('users', null)
          : lock.by === 'run'
            ? relationship('runs', lock.runId, `${API}/runs/${lock.runId}`)
            : relationship('users', lock.userId, `${API}/users/${lock.userId}`),
      outputs: relationshipMany(
        'workspace-outputs',
        currentOutputIds(ws, ctx),
        `${API}/workspaces/${ws.id}/current-state-version-outputs`,
      ),
      project: relationship(
        'projects',
        ctx.store.organizations.get(ws.organization)?.defaultProjectId ?? null,
      ),
      'agent-pool': relationship('agent-pools', null),
      'current-assessment-result': relationship('assessment-results', null),
      readme: relationship('workspace-readme', null),
      'ssh-key': relationship('ssh-keys', null),
      'remote-state-consumers': {
        links: { related: `${API}/workspaces/${ws.id}/relationships/remote-state-consumers` },
      },
      vars: relationshipMany(
        'vars',
        [...ctx.store.variables.values()].filter((v) => v.workspaceId === ws.id).map((v) => v.id),
      ),
      'tag-bindings': { links: { related: `${API}/workspaces/${ws.id}/tag-bindings` } },
      'effective-tag-bindings': { links: { related: `${API}/workspaces/${ws.id}/effective-tag-bindings` } },
      'configuration-versions': {
        links: { related: `${API}/workspaces/${ws.id}/configuration-versions` },
      },
      runs: { links: { related: `${API}/workspaces/${ws.id}/runs` } },
    },
    links: {
      self: `${API}/organizations/${ws.organization}/workspaces/${ws.name}`,
      'self-html': `/app/${ws.organization}/workspaces/${ws.name}`,
    },
  };
}
