import { appendFileSync, writeFileSync } from 'node:fs';
import type {
  Apply,
  CostEstimate,
  Plan,
  Run,
  RunDecision,
  RunOutcome,
  TfeClient,
  Workspace,
} from '../index.js';
import { EXIT } from './args.js';
import { decisionLines, decisionMarkdown } from './decision.js';
import { type RunFailure, renderFailure } from './run-errors.js';

/** A phase's counts as reported. */
export interface PhaseReport {
  status: string;
  additions: number;
  changes: number;
  destructions: number;
  imports: number;
}

/** A run's cost estimate as reported; costs are decimal strings in the account's currency (USD), as the API gives them. */
export interface CostEstimateReport {
  id: string;
  status: string;
  proposedMonthlyCost: string | null;
  priorMonthlyCost: string | null;
  deltaMonthlyCost: string | null;
}

/** What `--json`, the GitHub outputs and the dotenv report say about a run. */
export interface RunReport {
  runId: string;
  status: string;
  outcome: RunOutcome;
  hasChanges: boolean;
  /** The run in the TFE UI. */
  runUrl: string | null;
  message: string | null;
  workspace: { id: string; name: string | null; organization: string | null };
  configurationVersionId: string | null;
  planId: string | null;
  plan: PhaseReport | null;
  apply: PhaseReport | null;
  /** For a run waiting for a decision: the stage or check, the failed tasks and policies, whether it may be overridden. */
  decision?: RunDecision;
  /** Why an errored run failed: Terraform's errors from the failed phase's log, and how to read all of it. */
  failure?: RunFailure;
  /** Null when the organization does not estimate costs (the run has no cost estimate). */
  costEstimate: CostEstimateReport | null;
  exitCode: number;
}

/** Outcomes a pipeline counts as success; anything else exits 1. */
const SUCCESS: ReadonlySet<RunOutcome> = new Set<RunOutcome>([
  'applied',
  'planned_no_changes',
  'planned_with_changes',
  'needs_confirmation',
  'saved',
  'assessed',
]);

/** 0 for success (2 with --detailed-exitcode when the plan has changes), 1 for anything else. */
export function exitCodeFor(outcome: RunOutcome, hasChanges: boolean, detailed: boolean): number {
  if (!SUCCESS.has(outcome)) return EXIT.failed;
  return detailed && hasChanges ? EXIT.changes : EXIT.ok;
}

function phase(p: Plan | Apply | undefined): PhaseReport | null {
  if (!p) return null;
  return {
    status: p.status,
    additions: p.resourceAdditions ?? 0,
    changes: p.resourceChanges ?? 0,
    destructions: p.resourceDestructions ?? 0,
    imports: p.resourceImports ?? 0,
  };
}

function costEstimate(ce: CostEstimate | undefined): CostEstimateReport | null {
  if (!ce) return null;
  return {
    id: ce.id,
    status: ce.status,
    proposedMonthlyCost: ce.proposedMonthlyCost ?? null,
    priorMonthlyCost: ce.priorMonthlyCost ?? null,
    deltaMonthlyCost: ce.deltaMonthlyCost ?? null,
  };
}

/** Reads a run with its plan, apply, cost estimate and workspace, for a report. */
export function readRunForReport(tfe: TfeClient, runId: string, signal?: AbortSignal): Promise<Run> {
  return tfe.runs.read(
    runId,
    { include: ['plan', 'apply', 'cost_estimate', 'workspace'] },
    signal ? { signal } : undefined,
  );
}

/** The report of a run read by {@link readRunForReport}. */
export function buildReport(
  tfe: TfeClient,
  run: Run,
  outcome: RunOutcome,
  options: {
    detailedExitcode?: boolean | undefined;
    workspace?: Workspace | undefined;
    decision?: RunDecision | undefined;
  } = {},
): RunReport {
  const workspace = options.workspace ?? run.workspace;
  const organization = workspace?.relationships.organization?.id ?? null;
  const plan = phase(run.plan);
  // An apply that never ran (plan-only, discarded, waiting) says nothing worth reporting.
  const apply = run.apply && !['pending', 'unreachable'].includes(run.apply.status) ? phase(run.apply) : null;
  const hasChanges =
    run.hasChanges ??
    run.plan?.hasChanges ??
    (plan ? plan.additions + plan.changes + plan.destructions > 0 : false);
  return {
    runId: run.id,
    status: run.status,
    outcome,
    hasChanges,
    runUrl: workspace && organization ? tfe.runUrl(organization, workspace.name, run.id) : null,
    message: run.message ?? null,
    workspace: {
      id: workspace?.id ?? run.relationships.workspace?.id ?? '',
      name: workspace?.name ?? null,
      organization,
    },
    configurationVersionId: run.relationships.configurationVersion?.id ?? null,
    planId: run.relationships.plan?.id ?? null,
    plan,
    apply,
    ...(options.decision && { decision: options.decision }),
    costEstimate: costEstimate(run.costEstimate),
    exitCode: exitCodeFor(outcome, hasChanges, options.detailedExitcode ?? false),
  };
}

const OUTCOME_TEXT: Record<string, string> = {
  applied: 'applied',
  planned_no_changes: 'planned: no changes',
  planned_with_changes: 'planned: has changes (plan only)',
  needs_confirmation: 'planned: waits for confirmation',
  needs_policy_override: 'stopped: a policy check failed and needs an override',
  awaiting_decision: 'stopped: waits for a decision (run task or policy)',
  saved: 'planned and saved',
  discarded: 'discarded',
  canceled: 'canceled',
  errored: 'errored',
  policy_soft_failed: 'policy check failed',
  assessed: 'assessed',
  in_progress: 'in progress',
  unknown: 'ended in a state this CLI does not know',
};

/** What to do with a run that waits for confirmation: see its changes, then apply or discard it. */
export function confirmationHint(runId: string): string {
  return (
    `The run waits for confirmation: tfe run apply ${runId} (see what it would change first: tfe plan show ` +
    `${runId}; or discard it: tfe run discard ${runId}).`
  );
}

/** The outcome in words. */
export function describeOutcome(outcome: RunOutcome): string {
  return OUTCOME_TEXT[outcome] ?? outcome;
}

/** What to do about a run that failed the pipeline, in one sentence with where to look; undefined for success. */
export function failureAdvice(r: RunReport): string | undefined {
  if (r.exitCode !== EXIT.failed) return undefined;
  const where = r.runUrl ? ` at ${r.runUrl}` : '';
  const phase = r.apply ? 'apply' : 'plan';
  switch (r.outcome) {
    case 'errored':
      return `Run ${r.runId} errored: read the ${phase} log${where} (or tfe run logs ${r.runId} --phase ${phase}), fix the configuration and push again.`;
    case 'policy_soft_failed':
    case 'needs_policy_override':
      return `Run ${r.runId} failed a policy check: review it${where}; someone allowed to may override it (tfe run override-policy ${r.runId}).`;
    case 'awaiting_decision':
      return `Run ${r.runId} waits for a decision on a run task or policy${where}: decide there, then wait again (tfe run wait ${r.runId}).`;
    case 'canceled':
    case 'discarded':
      return `Run ${r.runId} was ${r.outcome} in TFE before it finished: see who and why${where}, then start a new run.`;
    default:
      return `Run ${r.runId} ended ${r.status}: see${where || ' it in TFE'}.`;
  }
}

/** `+2 ~1 -0`. */
export function counts(p: PhaseReport): string {
  return `+${p.additions} ~${p.changes} -${p.destructions}${p.imports ? ` ⇣${p.imports}` : ''}`;
}

/** `Plan: 2 to add, 0 to change, 0 to destroy.` */
export function planSentence(p: PhaseReport): string {
  return `${p.additions} to add, ${p.changes} to change, ${p.destructions} to destroy`;
}

/** The report as a few aligned lines for a terminal. */
export function renderReport(r: RunReport): string {
  const where =
    r.workspace.organization && r.workspace.name
      ? `${r.workspace.organization}/${r.workspace.name}`
      : r.workspace.id;
  const rows: Array<[string, string]> = [
    ['Workspace', where],
    ['Status', r.status],
  ];
  if (r.message) rows.push(['Message', r.message]);
  if (r.plan) rows.push(['Plan', `${planSentence(r.plan)} (${r.plan.status})`]);
  if (r.apply) {
    rows.push([
      'Apply',
      `${r.apply.additions} added, ${r.apply.changes} changed, ${r.apply.destructions} destroyed (${r.apply.status})`,
    ]);
  }
  if (r.runUrl) rows.push(['URL', r.runUrl]);
  return [
    `Run ${r.runId}: ${describeOutcome(r.outcome)}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(10)} ${v}`),
    ...(r.decision ? decisionLines(r.decision, r.runId).map((l) => `  ${l}`) : []),
    ...(r.failure ? [renderFailure(r.failure)] : []),
  ].join('\n');
}

/** The outputs a CI step exposes, in order; kebab-case for GitHub, upper snake case for dotenv. */
export function outputs(r: RunReport): Array<[string, string]> {
  const p = r.plan;
  return [
    ['run-id', r.runId],
    ['status', r.status],
    ['outcome', r.outcome],
    ['run-url', r.runUrl ?? ''],
    ['has-changes', String(r.hasChanges)],
    ['additions', String(p?.additions ?? 0)],
    ['changes', String(p?.changes ?? 0)],
    ['destructions', String(p?.destructions ?? 0)],
    ['workspace-id', r.workspace.id],
    ['configuration-version-id', r.configurationVersionId ?? ''],
    ['plan-id', r.planId ?? ''],
    ['cost-estimate-id', r.costEstimate?.id ?? ''],
    ['cost-estimate-status', r.costEstimate?.status ?? ''],
    ['proposed-monthly-cost', r.costEstimate?.proposedMonthlyCost ?? ''],
    ['delta-monthly-cost', r.costEstimate?.deltaMonthlyCost ?? ''],
  ];
}

/** Appends `name=value` lines to `$GITHUB_OUTPUT`; a value with a line break uses the heredoc form. */
export function writeGithubOutputs(file: string, values: Array<[string, string]>): void {
  const lines = values.map(([name, value]) => {
    if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
    const delimiter = `EOF_${Math.random().toString(36).slice(2)}`;
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  });
  appendFileSync(file, lines.join(''));
}

const ICON: Partial<Record<RunOutcome, string>> = {
  applied: '✅',
  planned_no_changes: '✅',
  planned_with_changes: '📝',
  needs_confirmation: '⏸️',
  saved: '💾',
};

/** `+12.50`, `-3.00`: a cost delta with its sign. */
const signed = (delta: string | null) =>
  delta === null ? 'change unknown' : delta.startsWith('-') ? delta : `+${delta}`;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The Markdown `$GITHUB_STEP_SUMMARY` shows for the step. */
export function markdownSummary(r: RunReport): string {
  const where =
    r.workspace.organization && r.workspace.name
      ? `${r.workspace.organization}/${r.workspace.name}`
      : r.workspace.id;
  const icon = ICON[r.outcome] ?? '❌';
  const rows: Array<[string, string]> = [
    ['Run', r.runUrl ? `[${r.runId}](${r.runUrl})` : r.runId],
    ['Workspace', `\`${where}\``],
    ['Status', `\`${r.status}\``],
  ];
  if (r.message) rows.push(['Message', cell(r.message)]);
  if (r.plan) rows.push(['Plan', `${planSentence(r.plan)} (\`${counts(r.plan)}\`)`]);
  if (r.apply) {
    rows.push([
      'Apply',
      `${r.apply.additions} added, ${r.apply.changes} changed, ${r.apply.destructions} destroyed`,
    ]);
  }
  const cost = r.costEstimate;
  if (cost?.status === 'finished' && cost.proposedMonthlyCost !== null) {
    rows.push(['Cost', `${cost.proposedMonthlyCost} a month (${signed(cost.deltaMonthlyCost)})`]);
  }
  return [
    `### ${icon} Terraform run ${describeOutcome(r.outcome)}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    ...(r.decision ? [decisionMarkdown(r.decision, r.runId)] : []),
    ...(r.failure ? [markdownFailure(r.failure), ''] : []),
    '',
  ].join('\n');
}

/** The errors of a failed run as a Markdown block, and the command to read its whole log. */
function markdownFailure(f: RunFailure): string {
  const body = f.errors.length
    ? f.errors.map((e) => {
        const where = e.filename ? ` (${e.filename}${e.line ? ` line ${e.line}` : ''})` : '';
        return `Error: ${e.summary}${where}${e.detail ? `\n  ${e.detail.replace(/\n/g, '\n  ')}` : ''}`;
      })
    : f.logTail;
  const fence = '```';
  return [
    `**Why it failed** (${f.phase} log):`,
    '',
    `${fence}text`,
    ...body,
    fence,
    '',
    `Whole log: \`${f.logCommand}\``,
  ].join('\n');
}

/** The dotenv lines of a report (a GitLab CI dotenv artifact): `TFE_RUN_ID=run-…`, `TFE_RUN_STATUS=applied`. */
export function dotenv(r: RunReport): string {
  const name = (k: string) => {
    const snake = k.replace(/-/g, '_').toUpperCase();
    return k === 'status' || k === 'outcome' ? `TFE_RUN_${snake}` : `TFE_${snake}`;
  };
  return outputs(r)
    .map(([k, v]) => `${name(k)}=${v.replace(/[\r\n]+/g, ' ')}\n`)
    .join('');
}

/** Writes the report where the CI environment and the flags ask: GitHub outputs and summary, a dotenv file. */
export function publishReport(
  r: RunReport,
  options: { dotenvFile?: string | undefined; summary?: boolean },
  env: Record<string, string | undefined> = process.env,
): void {
  if (env.GITHUB_OUTPUT) writeGithubOutputs(env.GITHUB_OUTPUT, outputs(r));
  if (options.summary !== false && env.GITHUB_STEP_SUMMARY)
    appendFileSync(env.GITHUB_STEP_SUMMARY, markdownSummary(r));
  if (options.dotenvFile) writeFileSync(options.dotenvFile, dotenv(r));
}
