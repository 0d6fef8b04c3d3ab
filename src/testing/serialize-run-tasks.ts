import { isoMillis, type JsonObject, relationship, relationshipMany } from './jsonapi.js';
import type {
  PolicyEvaluationRecord,
  PolicySetOutcomeRecord,
  TaskResultRecord,
  TaskStageRecord,
} from './records.js';
import type { Store } from './store.js';

const API = '/api/v2';

const ms = (row: { statusTimestamps: Record<string, string> }, from: string, to: string): number => {
  const a = row.statusTimestamps[from];
  const b = row.statusTimestamps[to];
  return a && b ? Math.max(0, Date.parse(b) - Date.parse(a)) : 0;
};

/** As "Show a Run Task Stage" and "Override a Task Stage" answer. */
export function taskStageResource(ts: TaskStageRecord): JsonObject {
  return {
    id: ts.id,
    type: 'task-stages',
    attributes: {
      status: ts.status,
      stage: ts.stage,
      'status-timestamps': { ...ts.statusTimestamps },
      duration: ms(ts, 'running-at', `${ts.status.replaceAll('_', '-')}-at`),
      'created-at': isoMillis(ts.createdAt),
      'updated-at': isoMillis(ts.updatedAt),
      permissions: {
        'can-override-policy': ts.canOverride,
        'can-override-tasks': ts.canOverride,
        'can-override': ts.canOverride,
      },
      actions: { 'is-overridable': ts.status === 'awaiting_override' },
    },
    relationships: {
      run: relationship('runs', ts.runId),
      'task-results': relationshipMany('task-results', ts.taskResultIds),
      'policy-evaluations': relationshipMany('policy-evaluations', ts.policyEvaluationIds),
    },
    links: { self: `${API}/task-stages/${ts.id}` },
  };
}

/** As "Show a Run Task Result" answers. */
export function taskResultResource(r: TaskResultRecord): JsonObject {
  return {
    id: r.id,
    type: 'task-results',
    attributes: {
      message: r.message,
      status: r.status,
      'status-timestamps': { ...r.statusTimestamps },
      duration: ms(r, 'running-at', `${r.status}-at`),
      url: r.url,
      'created-at': isoMillis(r.createdAt),
      'updated-at': isoMillis(r.updatedAt),
      'task-id': r.taskId,
      'task-name': r.taskName,
      'task-url': `https://run-tasks.fake-tfe.invalid/${encodeURIComponent(r.taskName)}`,
      stage: r.stage,
      'is-speculative': r.isSpeculative,
      'workspace-task-id': r.workspaceTaskId,
      'workspace-task-enforcement-level': r.enforcementLevel,
    },
    relationships: { 'task-stage': relationship('task-stages', r.taskStageId) },
    links: { self: `${API}/task-results/${r.id}` },
  };
}

/** `result-count` over a set of outcomes: errored ones count apart from failures, by enforcement level. */
function resultCount(store: Store, outcomeIds: string[]): JsonObject {
  const n = { 'advisory-failed': 0, errored: 0, 'mandatory-failed': 0, passed: 0 };
  for (const id of outcomeIds) {
    for (const o of store.policySetOutcomes.get(id)?.outcomes ?? []) {
      if (o.status === 'passed') n.passed++;
      else if (o.status === 'errored') n.errored++;
      else if (o.enforcement_level === 'advisory') n['advisory-failed']++;
      else n['mandatory-failed']++;
    }
  }
  return n;
}

/** As "List Policy Evaluations in the Task Stage" answers. */
export function policyEvaluationResource(e: PolicyEvaluationRecord, store: Store): JsonObject {
  return {
    id: e.id,
    type: 'policy-evaluations',
    attributes: {
      status: e.status,
      'policy-kind': e.kind,
      'policy-tool-version': e.kind === 'opa' ? '0.61.0' : '0.26.0',
      'result-count': resultCount(store, e.status === 'pending' ? [] : e.outcomeIds),
      'status-timestamps': { ...e.statusTimestamps },
      'created-at': isoMillis(e.createdAt),
      'updated-at': isoMillis(e.updatedAt),
    },
    relationships: {
      'policy-attachable': relationship('task-stages', e.taskStageId),
      'policy-set-outcomes': {
        links: { related: `${API}/policy-evaluations/${e.id}/policy-set-outcomes` },
      },
    },
    links: { self: `${API}/policy-evaluations/${e.id}` },
  };
}

/** As "List Policy Outcomes" and "Show a Policy Outcome" answer. */
export function policySetOutcomeResource(o: PolicySetOutcomeRecord, store: Store): JsonObject {
  const evaluated = store.policyEvaluations.get(o.policyEvaluationId)?.status !== 'pending';
  return {
    id: o.id,
    type: 'policy-set-outcomes',
    attributes: {
      outcomes: o.outcomes.map((row) => ({ ...row })),
      error: '',
      overridable: o.overridable,
      'policy-set-name': o.name,
      'policy-set-description': null,
      'result-count': resultCount(store, evaluated ? [o.id] : []),
      'policy-tool-version': '0.61.0',
    },
    relationships: { 'policy-evaluation': relationship('policy-evaluations', o.policyEvaluationId) },
  };
}
