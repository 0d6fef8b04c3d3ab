import { newId } from './ids.js';
import { isoSeconds } from './jsonapi.js';
import type { ConfigurationVersionRecord, RunRecord, UserRecord, WorkspaceRecord } from './records.js';

/** The run attributes a create request sets, as the row keeps them. */
type RunAttributes = Pick<
  RunRecord,
  | 'isDestroy'
  | 'message'
  | 'refresh'
  | 'refreshOnly'
  | 'replaceAddrs'
  | 'targetAddrs'
  | 'planOnly'
  | 'autoApply'
  | 'allowEmptyApply'
  | 'savePlan'
  | 'debuggingMode'
  | 'variables'
  | 'source'
  | 'scenario'
>;

/** What creating a run takes: where, on which configuration, by whom, and its attributes. */
export interface NewRun extends RunAttributes {
  workspace: WorkspaceRecord;
  configurationVersion: ConfigurationVersionRecord;
  createdBy: UserRecord;
  /** `null` takes the workspace's version. */
  terraformVersion: string | null;
}

/** A new run's row: `pending`, with ids for its plan, apply, cost estimate and policy check. */
export function newRunRecord(input: NewRun, seq: number): RunRecord {
  const { workspace: ws, configurationVersion: cv } = input;
  const now = new Date();
  return {
    id: newId('run'),
    seq,
    workspaceId: ws.id,
    configurationVersionId: cv.id,
    createdById: input.createdBy.id,
    createdAt: now,
    status: 'pending',
    statusTimestamps: { 'plan-queueable-at': isoSeconds(now) },
    isDestroy: input.isDestroy,
    message: input.message,
    refresh: input.refresh,
    refreshOnly: input.refreshOnly,
    replaceAddrs: input.replaceAddrs,
    targetAddrs: input.targetAddrs,
    planOnly: input.planOnly,
    autoApply: input.autoApply,
    allowEmptyApply: input.allowEmptyApply,
    terraformVersion: input.terraformVersion ?? ws.terraformVersion,
    savePlan: input.savePlan,
    debuggingMode: input.debuggingMode,
    variables: input.variables,
    source: input.source,
    triggerReason: 'manual',
    hasChanges: false,
    planId: newId('plan'),
    applyId: newId('apply'),
    costEstimateId: newId('ce'),
    policyCheckId: newId('polchk'),
    taskStageIds: [],
    canceledAt: null,
    cancelRequested: false,
    forceCancelAvailableAt: null,
    comments: [],
    scenario: input.scenario,
    stages: [],
    pipeline: [],
    paused: false,
    queueable: false,
    diff: null,
  };
}
