import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AbortError,
  type ApplyMode,
  type Run,
  readDecision,
  runOutcome,
  type TfeClient,
  type WorkflowEvent,
  type WorkflowResult,
} from '../../index.js';
import {
  CONNECTION_FLAGS,
  EXIT,
  oneOf,
  parse,
  parseDuration,
  RUN_FLAGS,
  UsageError,
  WAIT_FLAGS,
  WORKSPACE_FLAGS,
} from '../args.js';
import { connect, defaultMessage, workspaceNotFound, workspaceRef } from '../context.js';
import { decisionLines } from '../decision.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Interrupt } from '../interrupt.js';
import { APPLY_PHASE_STATUSES, LogFollower } from '../logs-follow.js';
import { Output } from '../output.js';
import { checkOutputFiles, reportFiles } from '../output-files.js';
import { symlinkMode } from '../pack-list.js';
import { reviewPlan } from '../plan-review.js';
import { QueueWatch, queueLimits } from '../queue.js';
import {
  buildReport,
  confirmationHint,
  describeOutcome,
  failureAdvice,
  planSentence,
  publishReport,
  readRunForReport,
  renderReport,
} from '../report.js';
import { readRunFailure } from '../run-errors.js';
import { collectRunVariables } from '../run-variables.js';
import { checkDirectory, checkTarball } from '../source-checks.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...WORKSPACE_FLAGS,
  ...RUN_FLAGS,
  ...WAIT_FLAGS,
  dir: { type: 'string' },
  tarball: { type: 'string' },
  symlinks: { type: 'string' },
  apply: { type: 'string' },
  logs: { type: 'boolean' },
  'pr-comment': { type: 'boolean' },
} as const;

/** Checks the run flags every run-starting command shares; returns the run attributes they set. */
export async function runAttributes(
  values: {
    message?: string | undefined;
    'plan-only'?: boolean | undefined;
    destroy?: boolean | undefined;
    'refresh-only'?: boolean | undefined;
    'no-refresh'?: boolean | undefined;
    target?: string[] | undefined;
    replace?: string[] | undefined;
    var?: string[] | undefined;
    'var-hcl'?: string[] | undefined;
    'var-file'?: string[] | undefined;
    'env-vars'?: boolean | undefined;
    'save-plan'?: boolean | undefined;
    'allow-empty-apply'?: boolean | undefined;
    'terraform-version'?: string | undefined;
  },
  command: string,
) {
  if (values.destroy && values['refresh-only']) {
    throw new UsageError('--destroy and --refresh-only are different plan modes: pass one.', command);
  }
  if (values['no-refresh'] && values['refresh-only']) {
    throw new UsageError(
      '--no-refresh and --refresh-only contradict each other: a refresh-only run refreshes.',
      command,
    );
  }
  if (values['terraform-version'] && !values['plan-only']) {
    throw new UsageError(
      '--terraform-version is only allowed with --plan-only (TFE runs the workspace version).',
      command,
    );
  }
  if (values['save-plan'] && values['plan-only']) {
    throw new UsageError(
      '--save-plan and --plan-only exclude each other: a saved plan can be applied later, a plan-only run never.',
      command,
    );
  }
  const variables = await collectRunVariables(values, command);
  return {
    message: values.message ?? defaultMessage(),
    planOnly: values['plan-only'] || undefined,
    isDestroy: values.destroy || undefined,
    refresh: values['no-refresh'] ? false : undefined,
    refreshOnly: values['refresh-only'] || undefined,
    targetAddrs: values.target?.length ? values.target : undefined,
    replaceAddrs: values.replace?.length ? values.replace : undefined,
    variables: variables.length ? variables : undefined,
    savePlan: values['save-plan'] || undefined,
    allowEmptyApply: values['allow-empty-apply'] || undefined,
    terraformVersion: values['terraform-version'],
  };
}

/**
 * The waiting flags every waiting command shares, checked. `onInterrupt` defaults to what suits the command: a
 * command that started the run cancels it when stopped; one that only watches it leaves it alone.
 */
export function waitSettings(
  values: {
    timeout?: string | undefined;
    'poll-interval'?: string | undefined;
    'on-interrupt'?: string | undefined;
  },
  defaultOnInterrupt: 'cancel' | 'leave' = 'cancel',
) {
  const poll = values['poll-interval'] ? parseDuration('poll-interval', values['poll-interval']) : undefined;
  // `--timeout 0`: no deadline, as with no --timeout (it also lifts the CI queue limit, see queueLimits).
  const noTimeout = values.timeout === undefined || values.timeout.trim() === '0';
  return {
    timeoutMs: noTimeout ? undefined : parseDuration('timeout', values.timeout as string),
    pollIntervalMs: poll === undefined ? undefined : { initialMs: poll, maxMs: Math.max(poll, poll * 3) },
    onInterrupt: oneOf('on-interrupt', values['on-interrupt'], ['cancel', 'leave'], defaultOnInterrupt),
  };
}

/** `tfe run`: the API-driven workflow in one step. */
export async function runWorkflow(argv: string[]): Promise<number> {
  const { values } = parse('run', argv, FLAGS);
  if (values.help) {
    process.stdout.write(helpFor('run'));
    return 0;
  }
  const out = new Output(values.json ?? false);
  if (values.dir !== undefined && values.tarball !== undefined) {
    throw new UsageError('--dir and --tarball both name what to upload: pass one.', 'run');
  }
  const apply = oneOf<ApplyMode>('apply', values.apply, ['auto', 'confirm', 'never'], 'never');
  if (values['plan-only'] && apply !== 'never') {
    throw new UsageError(`a --plan-only run is never applied: drop --apply ${apply} or --plan-only.`, 'run');
  }
  if (values['save-plan'] && apply !== 'never') {
    throw new UsageError(
      `a --save-plan run is applied later, with tfe run apply <run-id>: drop --apply ${apply} or --save-plan.`,
      'run',
    );
  }
  const attributes = await runAttributes(values, 'run');
  const wait = waitSettings(values, 'cancel');
  const limits = queueLimits(values, 'run');
  checkOutputFiles('run', reportFiles(values.dotenv));
  const source = sourcePath(values.dir, values.tarball);
  const symlinks = symlinkMode(values.symlinks, 'run');
  const ref = workspaceRef(values, 'run');
  if (values.tarball === undefined) await checkDirectory(source, values.dir ?? '.', 'run', out, { symlinks });
  const tfe = connect(values, 'run');

  const state: RunState = {};
  const interrupt = new Interrupt((signal) => {
    out.close();
    const what = wait.onInterrupt === 'leave' ? 'leaving the run as it is' : 'stopping the run';
    out.note(`\nReceived ${signal}: ${state.run ? what : 'stopping'}… (again to exit at once)`);
  });
  const logs = values.logs ? new LogFollower(tfe, out, wait.pollIntervalMs) : undefined;
  const queue = new QueueWatch(tfe, out, limits);
  try {
    const result = await tfe.workflows.run({
      workspace: ref,
      source,
      pack: { symlinks },
      ...attributes,
      apply,
      signal: AbortSignal.any([interrupt.signal, queue.signal]),
      onAbort: wait.onInterrupt,
      timeoutMs: wait.timeoutMs,
      pollIntervalMs: wait.pollIntervalMs,
      onEvent: (event) => {
        onEvent(event, out, state, source);
        if (event.type === 'run_created' || event.type === 'run_status') queue.observe(event.run);
        if (logs) followLogs(logs, event);
      },
    });
    await logs?.finish();
    out.close();
    return await finish(tfe, result, out, {
      detailedExitcode: values['detailed-exitcode'],
      dotenvFile: values.dotenv,
      prComment: values['pr-comment'] ?? false,
    });
  } catch (err) {
    logs?.stop();
    const runInfo = state.run ? { runId: state.run.id, status: state.run.status, runUrl: state.runUrl } : {};
    if (err instanceof AbortError && (interrupt.received || queue.gaveUp || wait.timeoutMs !== undefined)) {
      const code = interrupt.received ? interrupt.exitCode : 1;
      const why = interrupt.received
        ? `interrupted by ${interrupt.received}`
        : (queue.gaveUp ?? `timed out after ${values.timeout} (--timeout)`);
      const fate = state.run ? `; run ${state.run.id} ${state.stopped ?? 'was left as it is'}` : '';
      return await stopped(tfe, out, state.run?.id, `${why}${fate}.`, code, values.dotenv, queueDoc(queue));
    }
    return reportFailure(out, state.resolved ? err : workspaceNotFound(err, ref, 'run'), 'run', runInfo);
  } finally {
    queue.dispose();
    interrupt.dispose();
    tfe.close();
  }
}

/** What a queued run waited for, for the JSON document of a command the queue limit stopped. */
export function queueDoc(queue: QueueWatch): Record<string, unknown> {
  if (!queue.gaveUp || !queue.reason) return {};
  const { stuck: _stuck, concrete: _concrete, message, ...rest } = queue.reason;
  return { queue: { ...rest, message } };
}

function sourcePath(dir: string | undefined, tarball: string | undefined): string {
  const given = tarball ?? dir ?? '.';
  const flag = tarball !== undefined ? '--tarball' : '--dir';
  const full = resolve(given);
  let info: ReturnType<typeof statSync> | undefined;
  try {
    info = statSync(full);
  } catch {
    throw new UsageError(`${flag} ${given}: no such ${tarball !== undefined ? 'file' : 'directory'}.`, 'run');
  }
  if (tarball === undefined && !info.isDirectory()) {
    throw new UsageError(`--dir ${given} is not a directory (use --tarball for a .tar.gz).`, 'run');
  }
  if (tarball !== undefined && !(info.isFile() && /\.(tar\.gz|tgz)$/i.test(full))) {
    throw new UsageError(`--tarball ${given} must be a .tar.gz file.`, 'run');
  }
  if (tarball !== undefined) checkTarball(full, given, 'run');
  return full;
}

/** What the command knows of its run as the workflow goes. */
interface RunState {
  run?: Run;
  runUrl?: string;
  stopped?: string;
  resolved?: boolean;
  /** The phase whose log group is open (GitHub Actions). */
  phase?: string;
}

/** Opens the log group of a phase once, when the workflow enters it. */
function enterPhase(out: Output, state: RunState, phase: string): void {
  if (state.phase === phase) return;
  state.phase = phase;
  out.group(phase);
}

function onEvent(event: WorkflowEvent, out: Output, state: RunState, source: string): void {
  switch (event.type) {
    case 'workspace_resolved': {
      state.resolved = true;
      enterPhase(out, state, 'Upload the configuration');
      const ws = event.workspace;
      const org = ws.relationships.organization?.id;
      out.step(`Workspace ${org ? `${org}/` : ''}${ws.name} (${ws.id})`);
      break;
    }
    case 'configuration_version_created':
      out.step(`Configuration version ${event.configurationVersion.id} created`);
      break;
    case 'upload_started':
      out.step(`Uploading ${source}`);
      out.status('uploading');
      break;
    case 'upload_finished':
      out.status('processing the upload');
      break;
    case 'configuration_version_ready':
      out.step(`Configuration version ${event.configurationVersion.id} ${event.configurationVersion.status}`);
      out.status('creating the run');
      break;
    case 'run_created':
      enterPhase(out, state, 'Plan');
      state.run = event.run;
      state.runUrl = event.runUrl;
      out.step(`Run ${event.run.id} created: ${event.runUrl}`);
      break;
    case 'run_status':
      if (APPLY_PHASE_STATUSES.has(event.run.status)) enterPhase(out, state, 'Apply');
      state.run = event.run;
      // The live line first, so the step line is drawn above the new status, not the old one.
      out.status(event.run.status);
      out.step(
        `Run ${event.run.status}${event.run.positionInQueue ? ` (position ${event.run.positionInQueue} in the queue)` : ''}`,
      );
      break;
    case 'apply_requested':
      enterPhase(out, state, 'Apply');
      out.step('Plan confirmed: applying');
      break;
    case 'run_stopped':
      state.run = event.run;
      state.stopped =
        event.action === 'cancel'
          ? 'was canceled'
          : event.action === 'discard'
            ? 'was discarded'
            : `was ${event.run.status}`;
      break;
    case 'finished':
      // Printed by finish(), after any log being streamed has ended.
      state.run = event.run;
      break;
  }
}

function followLogs(logs: LogFollower, event: WorkflowEvent): void {
  if (event.type === 'run_created' && event.run.relationships.plan)
    logs.plan(event.run.relationships.plan.id);
  if (
    event.type === 'run_status' &&
    APPLY_PHASE_STATUSES.has(event.run.status) &&
    event.run.relationships.apply
  ) {
    logs.apply(event.run.relationships.apply.id);
  }
}

async function finish(
  tfe: TfeClient,
  result: WorkflowResult,
  out: Output,
  options: { detailedExitcode?: boolean | undefined; dotenvFile?: string | undefined; prComment: boolean },
): Promise<number> {
  const plan = result.summary.plan;
  out.step(`Run ${describeOutcome(result.outcome)}${plan ? ` — plan: ${planSentence(plan)}` : ''}`);
  const run = await readRunForReport(tfe, result.run.id);
  const decision = result.decision ?? (await decisionOf(tfe, run, result.outcome));
  const report = buildReport(tfe, run, result.outcome, {
    detailedExitcode: options.detailedExitcode,
    workspace: result.workspace,
    decision,
  });
  // The report on stdout carries these lines; with --json, stderr says them to the person reading the log.
  if (decision && out.json) for (const line of decisionLines(decision, report.runId)) out.note(line);
  if (report.outcome === 'errored') report.failure = await readRunFailure(tfe, run);
  if (report.outcome === 'needs_confirmation') {
    out.note(confirmationHint(report.runId));
  }
  if (report.outcome === 'saved') {
    out.note(`The plan is saved: apply it later with tfe run apply ${report.runId} (or tfe run discard it).`);
  }
  const advice = failureAdvice(report);
  if (advice) out.error(advice, `Terraform run ${describeOutcome(report.outcome)}`);
  // CI files first: if one cannot be written, the error is the one document and the exit code says so.
  publishReport(report, { dotenvFile: options.dotenvFile });
  const review = await reviewPlan(
    tfe,
    report,
    { json: out.json, prComment: options.prComment, stepSummary: true },
    out,
  );
  out.document({ ...report, ...review });
  out.result(renderReport(report));
  return report.exitCode;
}

/** What a run waiting for a decision waits on, read when the wait did not bring it; undefined otherwise. */
async function decisionOf(tfe: TfeClient, run: Run, outcome: string) {
  if (outcome !== 'awaiting_decision' && outcome !== 'needs_policy_override') return undefined;
  try {
    return await readDecision(tfe, run);
  } catch {
    // The outcome and exit code already say the run waits; the details are a courtesy.
    return undefined;
  }
}

/** Ends an interrupted or timed-out command: the run's state as it is now, reported, and the given exit code. */
export async function stopped(
  tfe: TfeClient,
  out: Output,
  runId: string | undefined,
  message: string,
  exitCode: number,
  dotenvFile: string | undefined,
  extra: Record<string, unknown> = {},
): Promise<number> {
  out.close();
  // A timeout fails the job and wants a longer --timeout; an interrupt (a canceled job) needs no annotation.
  if (exitCode === EXIT.failed) out.error(`Stopped: ${message}`, 'Terraform run timed out');
  else out.note(`Stopped: ${message}`);
  let report: ReturnType<typeof buildReport> | undefined;
  if (runId) {
    try {
      const run = await readRunForReport(tfe, runId);
      report = { ...buildReport(tfe, run, runOutcome(run)), exitCode };
      publishReport(report, { dotenvFile });
    } catch {
      // The report is a courtesy: the exit code already says what happened.
    }
  }
  out.document({
    ...report,
    ...extra,
    runId: runId ?? null,
    error: { type: 'Interrupted', message },
    exitCode,
  });
  return exitCode;
}
