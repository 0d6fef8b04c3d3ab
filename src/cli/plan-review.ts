import { appendFileSync } from 'node:fs';
import { type PlanSummary, renderPlanMarkdown, summarizePlan, type TfeClient } from '../index.js';
import { type PrCommentResult, upsertPrComment } from './ci/pr-comment.js';
import type { Output } from './output.js';
import { describeOutcome, type RunReport } from './report.js';

type Env = Record<string, string | undefined>;

/** What a run's report gains from its JSON plan: the resource-level summary, and the PR comment's fate. */
export interface PlanReview {
  /** Null when there is no finished plan, or it could not be read (`planSummaryError` says why). */
  planSummary: PlanSummary | null;
  planSummaryError?: string;
  prComment?: PrCommentResult;
}

/** How long a report waits for the JSON plan of a finished plan (the service may still be writing it). */
const JSON_PLAN_WAIT_MS = 60_000;

const workspaceOf = (r: RunReport) =>
  r.workspace.organization && r.workspace.name
    ? `${r.workspace.organization}/${r.workspace.name}`
    : r.workspace.id;

/**
 * The resource-level summary of a reported run, where it is wanted: `--json` output, the GitHub step summary,
 * and with `--pr-comment` the pull request's comment. Reading the JSON plan needs a token with admin access to
 * the workspace; without it the run's result stands and a warning says why.
 */
export async function reviewPlan(
  tfe: TfeClient,
  report: RunReport,
  options: { json: boolean; prComment: boolean; stepSummary: boolean },
  out: Output,
  env: Env = process.env,
): Promise<PlanReview | undefined> {
  const stepSummary = options.stepSummary && Boolean(env.GITHUB_STEP_SUMMARY);
  if (!options.json && !options.prComment && !stepSummary) return undefined;
  let summary: PlanSummary | null = null;
  let error: string | undefined;
  if (report.plan?.status === 'finished') {
    try {
      summary = summarizePlan(
        await tfe.runs.planJsonOutput(report.runId, { waitTimeoutMs: JSON_PLAN_WAIT_MS }),
      );
    } catch (err) {
      error = `the JSON plan could not be read: ${(err as Error).message}`;
      out.warning(`no resource-level summary: ${error}`, 'tfe plan review');
    }
  } else {
    error = `the plan is ${report.plan?.status ?? 'missing'}, so there is no JSON plan`;
  }
  const workspace = workspaceOf(report);
  const markdown = (maxLength?: number) =>
    summary
      ? renderPlanMarkdown(summary, {
          runUrl: report.runUrl ?? undefined,
          runId: report.runId,
          workspace,
          maxLength,
        })
      : noPlanMarkdown(report, workspace, error ?? '');
  if (summary && stepSummary) {
    try {
      appendFileSync(env.GITHUB_STEP_SUMMARY!, markdown());
    } catch (err) {
      out.warning(
        `the resource-level summary was not written to GITHUB_STEP_SUMMARY: ${(err as Error).message}`,
        'tfe plan review',
      );
    }
  }
  const review: PlanReview = { planSummary: summary, ...(error ? { planSummaryError: error } : {}) };
  if (options.prComment) {
    review.prComment = await upsertPrComment(workspace, markdown, env);
    const { status, message } = review.prComment;
    if (status === 'failed') out.warning(`--pr-comment: ${message}`, 'tfe --pr-comment');
    else out.note(`--pr-comment: ${message}`);
  }
  return review;
}

/** The comment when there is no plan to show: a stale summary of an earlier run must not stay up. */
function noPlanMarkdown(r: RunReport, workspace: string, why: string): string {
  const run = r.runUrl ? `[${r.runId}](${r.runUrl})` : `\`${r.runId}\``;
  return `### Terraform plan for \`${workspace}\`: not available\n\nRun ${run} ${describeOutcome(r.outcome)}: ${why}.\n`;
}
