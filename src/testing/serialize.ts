import { isoMillis, type JsonObject, relationship, relationshipMany } from './jsonapi.js';
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
  TaskStageRecord,
  UserRecord,
} from './records.js';
import { isCancelable, isConfirmable, isDiscardable, isForceCancelable } from './run-states.js';
import type { Store } from './store.js';

/** What serializers need besides the row: other rows and where the archivist lives. */
export interface SerializeContext {
  store: Store;
  archivistUrl: string;
}

export const API = '/api/v2';

const RUN_PERMISSIONS = {
  'can-apply': true,
  'can-cancel': true,
  'can-comment': true,
  'can-discard': true,
  'can-force-execute': true,
  'can-force-cancel': true,
  'can-override-policy-check': true,
};

function idsWhere(map: Map<string, { id: string; runId: string }>, runId: string): string[] {
  return [...map.values()].filter((row) => row.runId === runId).map((row) => row.id);
}

export function runResource(run: RunRecord, ctx: SerializeContext): JsonObject {
  const ws = ctx.store.workspaces.get(run.workspaceId);
  const self = `${API}/runs/${run.id}`;
  const attributes: JsonObject = {
    actions: {
      'is-cancelable': isCancelable(run),
      'is-confirmable': isConfirmable(run),
      'is-discardable': isDiscardable(run),
      'is-force-cancelable': isForceCancelable(run),
    },
    'canceled-at': run.canceledAt ? isoMillis(run.canceledAt) : null,
    'created-at': isoMillis(run.createdAt),
    'has-changes': run.hasChanges,
    'auto-apply': run.autoApply ?? ws?.autoApply ?? false,
    'allow-empty-apply': run.allowEmptyApply,
    'allow-config-generation': false,
    'is-destroy': run.isDestroy,
    'invoke-action-addrs': null,
    message: run.message,
    'plan-only': run.planOnly,
    source: run.source,
    'status-timestamps': { ...run.statusTimestamps },
    status: run.status,
    'trigger-reason': run.triggerReason,
    'target-addrs': run.targetAddrs,
    permissions: RUN_PERMISSIONS,
    refresh: run.refresh,
    'refresh-only': run.refreshOnly,
    'replace-addrs': run.replaceAddrs,
    'save-plan': run.savePlan,
    variables: run.variables,
    'terraform-version': run.terraformVersion,
    'debugging-mode': run.debuggingMode,
    'position-in-queue': 0,
  };
  if (run.forceCancelAvailableAt)
    attributes['force-cancel-available-at'] = isoMillis(run.forceCancelAvailableAt);
  return {
    id: run.id,
    type: 'runs',
    attributes,
    relationships: {
      apply: relationship('applies', run.applyId, `${self}/apply`),
      comments: relationshipMany('comments', idsWhere(ctx.store.comments, run.id), `${self}/comments`),
      'configuration-version': relationship(
        'configuration-versions',
        run.configurationVersionId,
        `${self}/configuration-version`,
      ),
      'cost-estimate': relationship(
        'cost-estimates',
        run.costEstimateId,
        `${API}/cost-estimates/${run.costEstimateId}`,
      ),
      'created-by': relationship('users', run.createdById, `${self}/created-by`),
      'input-state-version': relationship('state-versions', null),
      plan: relationship('plans', run.planId, `${self}/plan`),
      'run-events': relationshipMany(
        'run-events',
        idsWhere(ctx.store.runEvents, run.id),
        `${self}/run-events`,
      ),
      'policy-checks': relationshipMany('policy-checks', [run.policyCheckId], `${self}/policy-checks`),
      'task-stages': relationshipMany('task-stages', run.taskStageIds, `${self}/task-stages`),
      workspace: relationship('workspaces', run.workspaceId),
      'workspace-run-alerts': relationshipMany('workspace-run-alerts', [], `${self}/workspace-run-alerts`),
    },
    links: { self },
  };
}

/** `uploadUrl`: only the create response carries `upload-url` (configuration-versions.mdx samples). */
export function configurationVersionResource(
  cv: ConfigurationVersionRecord,
  ctx: SerializeContext,
  { uploadUrl = false }: { uploadUrl?: boolean } = {},
): JsonObject {
  const self = `${API}/configuration-versions/${cv.id}`;
  return {
    id: cv.id,
    type: 'configuration-versions',
    attributes: {
      'auto-queue-runs': cv.autoQueueRuns,
      error: cv.error,
      'error-message': cv.errorMessage,
      source: cv.source,
      speculative: cv.speculative,
      status: cv.status,
      'status-timestamps': { ...cv.statusTimestamps },
      ...(uploadUrl ? { 'upload-url': `${ctx.archivistUrl}/v1/object/${cv.uploadKey}` } : {}),
      provisional: cv.provisional,
      'created-at': isoMillis(cv.createdAt),
    },
    relationships: {
      'ingress-attributes': relationship('ingress-attributes', null, `${self}/ingress-attributes`),
    },
    links: { self, download: `${self}/download` },
  };
}

function phaseAttributes(row: PlanRecord | ApplyRecord, ctx: SerializeContext): JsonObject {
  return {
    'execution-details': { mode: 'remote' },
    status: row.status,
    'status-timestamps': { ...row.statusTimestamps },
    'log-read-url': `${ctx.archivistUrl}/v1/object/${row.logKey}`,
    'resource-additions': row.resourceAdditions,
    'resource-changes': row.resourceChanges,
    'resource-destructions': row.resourceDestructions,
    'resource-imports': row.resourceImports,
  };
}

export function planResource(plan: PlanRecord, ctx: SerializeContext): JsonObject {
  return {
    id: plan.id,
    type: 'plans',
    attributes: {
      ...phaseAttributes(plan, ctx),
      'generated-configuration': false,
      'has-changes': plan.hasChanges,
    },
    relationships: { 'state-versions': relationshipMany('state-versions', []) },
    links: { self: `${API}/plans/${plan.id}`, 'json-output': `${API}/plans/${plan.id}/json-output` },
  };
}

export function applyResource(apply: ApplyRecord, ctx: SerializeContext): JsonObject {
  return {
    id: apply.id,
    type: 'applies',
    attributes: phaseAttributes(apply, ctx),
    relationships: { 'state-versions': relationshipMany('state-versions', apply.stateVersionIds) },
    links: { self: `${API}/applies/${apply.id}` },
  };
}

export function userResource(user: UserRecord): JsonObject {
  return {
    id: user.id,
    type: 'users',
    attributes: {
      username: user.username,
      'is-service-account': false,
      'avatar-url': `https://www.gravatar.com/avatar/${user.id}?s=100&d=mm`,
      'v2-only': false,
      permissions: {
        'can-create-organizations': true,
        'can-change-email': true,
        'can-change-username': true,
      },
    },
    relationships: {
      'authentication-tokens': { links: { related: `${API}/users/${user.id}/authentication-tokens` } },
    },
    links: { self: `${API}/users/${user.id}` },
  };
}

export function organizationResource(org: OrganizationRecord): JsonObject {
  return {
    id: org.name,
    type: 'organizations',
    attributes: {
      name: org.name,
      email: org.email,
      'created-at': isoMillis(org.createdAt),
      'cost-estimation-enabled': true,
    },
    links: { self: `${API}/organizations/${org.name}` },
  };
}

export function costEstimateResource(ce: CostEstimateRecord): JsonObject {
  return {
    id: ce.id,
    type: 'cost-estimates',
    attributes: {
      'delta-monthly-cost': '0.0',
      'error-message': null,
      'matched-resources-count': ce.resourcesCount,
      'prior-monthly-cost': '0.0',
      'proposed-monthly-cost': '0.0',
      'resources-count': ce.resourcesCount,
      status: ce.status,
      'status-timestamps': { ...ce.statusTimestamps },
      'unmatched-resources-count': 0,
    },
    links: { self: `${API}/cost-estimates/${ce.id}` },
  };
}

export function policyCheckResource(pc: PolicyCheckRecord): JsonObject {
  const overridable = pc.status === 'soft_failed';
  return {
    id: pc.id,
    type: 'policy-checks',
    attributes: {
      result: {
        result: pc.softFailed === 0 || pc.status === 'overridden',
        passed: pc.softFailed === 0 ? 1 : 0,
        'total-failed': pc.softFailed,
        'hard-failed': 0,
        'soft-failed': pc.softFailed,
        'advisory-failed': 0,
        'duration-ms': 0,
        sentinel: null,
      },
      scope: 'organization',
      status: pc.status,
      'status-timestamps': { ...pc.statusTimestamps },
      actions: { 'is-overridable': overridable },
      permissions: { 'can-override': true },
    },
    relationships: { run: relationship('runs', pc.runId) },
    links: { self: `${API}/policy-checks/${pc.id}`, output: `${API}/policy-checks/${pc.id}/output` },
  };
}

export function taskStageResource(ts: TaskStageRecord): JsonObject {
  return {
    id: ts.id,
    type: 'task-stages',
    attributes: {
      status: ts.status,
      stage: ts.stage,
      'status-timestamps': { ...ts.statusTimestamps },
      actions: { 'is-overridable': ts.status === 'awaiting_override' },
      permissions: { 'can-override-tasks': true, 'can-override-policies': true, 'can-override': true },
    },
    relationships: { run: relationship('runs', ts.runId) },
    links: { self: `${API}/task-stages/${ts.id}` },
  };
}

export function commentResource(comment: CommentRecord, ctx: SerializeContext): JsonObject {
  const event = [...ctx.store.runEvents.values()].find((e) => e.commentId === comment.id);
  return {
    id: comment.id,
    type: 'comments',
    attributes: { body: comment.body, 'created-at': isoMillis(comment.createdAt) },
    relationships: {
      'run-event': relationship(
        'run-events',
        event?.id ?? null,
        event ? `${API}/run-events/${event.id}` : undefined,
      ),
    },
    links: { self: `${API}/comments/${comment.id}` },
  };
}

export function runEventResource(event: RunEventRecord): JsonObject {
  return {
    id: event.id,
    type: 'run-events',
    attributes: {
      action: event.action,
      'created-at': isoMillis(event.createdAt),
      description: event.description,
    },
    relationships: {
      actor: relationship('users', event.actorId),
      comment: relationship('comments', event.commentId),
      target: relationship('runs', event.runId),
    },
    links: { self: `${API}/run-events/${event.id}` },
  };
}
