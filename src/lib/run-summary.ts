import type { TfeClient } from '../client.js';
import type { Apply } from '../models/apply.js';
import type { CostEstimate } from '../models/cost-estimate.js';
import type { Plan } from '../models/plan.js';
import type { PolicyCheck } from '../models/policy-check.js';
import type { PolicyEvaluation } from '../models/policy-evaluation.js';
import type { TaskStage } from '../models/task-stage.js';

/** Resources a plan or an apply adds, changes, destroys and imports. */
export interface ResourceCounts {
  additions: number;
  changes: number;
  destructions: number;
  imports: number;
}

/** A run's cost estimate as summarised: monthly costs are decimal strings, as the API sends them. */
export interface CostEstimateSummary {
  status: string;
  priorMonthlyCost: string | null;
  proposedMonthlyCost: string | null;
  deltaMonthlyCost: string | null;
  resourcesCount: number | null;
  matchedResourcesCount: number | null;
  unmatchedResourcesCount: number | null;
  errorMessage: string | null;
}

/** The run's policy outcome: its Sentinel policy checks and the policy evaluations of its task stages. */
export interface PolicySummary {
  policyChecks: Array<{
    id: string;
    status: string;
    softFailed: number;
    hardFailed: number;
    advisoryFailed: number;
  }>;
  policyEvaluations: Array<{
    id: string;
    stage: string;
    policyKind: string | null;
    status: string;
    passed: number;
    advisoryFailed: number;
    mandatoryFailed: number;
    errored: number;
  }>;
}

/** A run's task stage as summarised, with how many of its run tasks failed. */
export interface TaskStageSummary {
  id: string;
  stage: string;
  status: string;
  taskResults: Array<{
    id: string;
    name: string | null;
    enforcementLevel: string | null;
    status: string;
    url: string | null;
  }>;
}

/**
 * The plan's and the apply's counts and statuses (the apply only when it ran), the cost estimate, the task
 * stages and the policy outcome (each only when the run has one).
 */
export interface WorkflowSummary {
  plan?: ResourceCounts & { status: string };
  apply?: ResourceCounts & { status: string };
  costEstimate?: CostEstimateSummary;
  taskStages?: TaskStageSummary[];
  policies?: PolicySummary;
}

/** Reads what a finished wait leaves to report: counts, cost estimate, task stages and policy outcome. */
export async function summarise(
  tfe: TfeClient,
  runId: string,
  signal: AbortSignal,
): Promise<WorkflowSummary> {
  const run = await tfe.runs.read(runId, { include: ['plan', 'apply', 'cost_estimate'] }, { signal });
  const summary: WorkflowSummary = {};
  if (run.plan) summary.plan = { status: run.plan.status, ...counts(run.plan) };
  if (run.apply && run.apply.status !== 'unreachable' && run.apply.status !== 'pending') {
    summary.apply = { status: run.apply.status, ...counts(run.apply) };
  }
  const ce = run.costEstimate;
  // An estimate that never ran (cost estimation off, or a plan that errored) says nothing.
  if (ce && ce.status !== 'pending' && ce.status !== 'unreachable') summary.costEstimate = costEstimate(ce);
  // Task stages and policy checks are read only when the run has some: most runs cost no extra request.
  const stages = run.relationships.taskStages?.length
    ? await collect(
        tfe.taskStages.list(runId, { include: ['task_results', 'policy_evaluations'] }, { signal }),
      )
    : [];
  const checks = run.relationships.policyChecks?.length
    ? await collect(tfe.policyChecks.list(runId, {}, { signal }))
    : [];
  if (stages.length) summary.taskStages = stages.map(stageSummary);
  const evaluations = stages.flatMap((st) =>
    (st.policyEvaluations ?? []).map((e) => evaluationSummary(e, String(st.stage))),
  );
  const ranChecks = checks.filter((c) => c.status !== 'pending' && c.status !== 'unreachable');
  if (ranChecks.length || evaluations.length) {
    summary.policies = { policyChecks: ranChecks.map(checkSummary), policyEvaluations: evaluations };
  }
  return summary;
}

function costEstimate(ce: CostEstimate): CostEstimateSummary {
  return {
    status: ce.status,
    priorMonthlyCost: ce.priorMonthlyCost ?? null,
    proposedMonthlyCost: ce.proposedMonthlyCost ?? null,
    deltaMonthlyCost: ce.deltaMonthlyCost ?? null,
    resourcesCount: ce.resourcesCount ?? null,
    matchedResourcesCount: ce.matchedResourcesCount ?? null,
    unmatchedResourcesCount: ce.unmatchedResourcesCount ?? null,
    errorMessage: ce.errorMessage ?? null,
  };
}

function stageSummary(st: TaskStage): TaskStageSummary {
  return {
    id: st.id,
    stage: st.stage,
    status: st.status,
    taskResults: (st.taskResults ?? []).map((r) => ({
      id: r.id,
      name: r.taskName ?? null,
      enforcementLevel: r.workspaceTaskEnforcementLevel ?? null,
      status: r.status,
      url: r.url ?? null,
    })),
  };
}

function evaluationSummary(e: PolicyEvaluation, stage: string): PolicySummary['policyEvaluations'][number] {
  const n = e.resultCount;
  return {
    id: e.id,
    stage,
    policyKind: e.policyKind ?? null,
    status: e.status,
    passed: n?.passed ?? 0,
    advisoryFailed: n?.advisoryFailed ?? 0,
    mandatoryFailed: n?.mandatoryFailed ?? 0,
    errored: n?.errored ?? 0,
  };
}

function checkSummary(c: PolicyCheck): PolicySummary['policyChecks'][number] {
  return {
    id: c.id,
    status: c.status,
    softFailed: c.result?.softFailed ?? 0,
    hardFailed: c.result?.hardFailed ?? 0,
    advisoryFailed: c.result?.advisoryFailed ?? 0,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function counts(phase: Plan | Apply): ResourceCounts {
  return {
    additions: phase.resourceAdditions ?? 0,
    changes: phase.resourceChanges ?? 0,
    destructions: phase.resourceDestructions ?? 0,
    imports: phase.resourceImports ?? 0,
  };
}
