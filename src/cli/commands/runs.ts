import {
  AbortError,
  ConflictError,
  FINAL_OUTCOMES,
  type Run,
  runOutcome,
  type TfeClient,
  WaitTimeoutError,
} from '../../index.js';
import {
  CONNECTION_FLAGS,
  EXIT,
  oneOf,
  parse,
  parseDuration,
  RUN_FLAGS,
  type RunSubcommand,
  UsageError,
  WAIT_FLAGS,
  WORKSPACE_FLAGS,
} from '../args.js';
import { connect, resolveWorkspace, workspaceRef } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Interrupt } from '../interrupt.js';
import { renderLogEvent } from '../log-render.js';
import { Output } from '../output.js';
import { checkOutputFiles, reportFiles } from '../output-files.js';
import { reviewPlan } from '../plan-review.js';
import { QueueWatch, queueLimits } from '../queue.js';
import { buildReport, confirmationHint, publishReport, readRunForReport, renderReport } from '../report.js';
import { readRunFailure } from '../run-errors.js';
import { queueDoc, runAttributes, stopped, waitSettings } from './run.js';

type Sub = RunSubcommand;

/** Dispatches `tfe run <sub> …`. */
export async function runSubcommand(sub: Sub, argv: string[]): Promise<number> {
  switch (sub) {
    case 'create':
      return create(argv);
    case 'show':
      return show(argv);
    case 'list': {
      const { list } = await import('./run-list.js');
      return list(argv);
    }
    case 'wait':
      return waitCommand(argv);
    case 'logs':
      return logs(argv);
    default:
      return action(sub, argv);
  }
}

function help(command: string): number {
  process.stdout.write(helpFor(command));
  return EXIT.ok;
}

/** The run id positional, checked. */
function runIdArg(positionals: string[], command: string): string {
  const id = positionals[0];
  if (!id) throw new UsageError(`which run? Pass its id: tfe ${command} run-…`, command);
  return id;
}

type WaitValues = {
  timeout?: string | undefined;
  'queue-timeout'?: string | undefined;
  'poll-interval'?: string | undefined;
  'on-interrupt'?: string | undefined;
  'detailed-exitcode'?: boolean | undefined;
  dotenv?: string | undefined;
};

/**
 * Waits for a run to settle, printing each status change, then reports it. On SIGINT/SIGTERM, the deadline or
 * the CI queue limit, cancels (or discards) the run when `--on-interrupt cancel` (by default, a command that
 * started the run or its apply), leaves it otherwise (`tfe run wait`, which only watches).
 */
async function waitAndReport(
  tfe: TfeClient,
  runId: string,
  values: WaitValues,
  out: Output,
  command: string,
  defaultOnInterrupt: 'cancel' | 'leave',
): Promise<number> {
  const wait = waitSettings(values, defaultOnInterrupt);
  const queue = new QueueWatch(tfe, out, queueLimits(values, command));
  const interrupt = new Interrupt((signal) => {
    out.close();
    const what = wait.onInterrupt === 'leave' ? 'leaving the run as it is' : 'stopping the run';
    out.note(`\nReceived ${signal}: ${what}… (again to exit at once)`);
  });
  try {
    const result = await tfe.runs.waitFor(runId, {
      signal: AbortSignal.any([interrupt.signal, queue.signal]),
      timeoutMs: wait.timeoutMs,
      pollIntervalMs: wait.pollIntervalMs,
      onChange: (run) => {
        out.status(run.status);
        out.step(`Run ${run.status}`);
        queue.observe(run);
      },
    });
    out.close();
    const run = await readRunForReport(tfe, result.run.id);
    const report = buildReport(tfe, run, result.outcome, {
      detailedExitcode: values['detailed-exitcode'],
      decision: result.decision,
    });
    if (report.outcome === 'errored') report.failure = await readRunFailure(tfe, run);
    if (report.outcome === 'needs_confirmation') {
      out.note(confirmationHint(report.runId));
    }
    // CI files first: if one cannot be written, the error is the one document and the exit code says so.
    publishReport(report, { dotenvFile: values.dotenv });
    out.document(report);
    out.result(renderReport(report));
    return report.exitCode;
  } catch (err) {
    const timedOut = err instanceof WaitTimeoutError;
    const aborted = err instanceof AbortError && (interrupt.received || queue.gaveUp);
    if (timedOut || aborted) {
      const fate = wait.onInterrupt === 'cancel' ? await stopRun(tfe, runId) : 'was left as it is';
      const why = interrupt.received
        ? `interrupted by ${interrupt.received}`
        : timedOut
          ? `timed out after ${values.timeout} (--timeout)`
          : (queue.gaveUp as string);
      const code = interrupt.received ? interrupt.exitCode : EXIT.failed;
      return stopped(tfe, out, runId, `${why}; run ${runId} ${fate}.`, code, values.dotenv, queueDoc(queue));
    }
    return reportFailure(out, err, command, { runId });
  } finally {
    queue.dispose();
    interrupt.dispose();
  }
}

/** Cancels a working run or discards a waiting one; says which. */
async function stopRun(tfe: TfeClient, runId: string): Promise<string> {
  const comment = 'Stopped by tfe: the CI job was interrupted or timed out.';
  try {
    const run = await tfe.runs.read(runId);
    if (run.actions.isCancelable) {
      await tfe.runs.cancel(runId, { comment });
      return 'was canceled';
    }
    if (run.actions.isDiscardable) {
      await tfe.runs.discard(runId, { comment });
      return 'was discarded';
    }
    return `was ${run.status}, nothing to stop`;
  } catch (err) {
    return `could not be stopped (${(err as Error).message})`;
  }
}

/** `tfe run create`. */
async function create(argv: string[]): Promise<number> {
  const command = 'run create';
  const { values } = parse(command, argv, {
    ...CONNECTION_FLAGS,
    ...WORKSPACE_FLAGS,
    ...RUN_FLAGS,
    ...WAIT_FLAGS,
    'configuration-version': { type: 'string' },
    'auto-apply': { type: 'boolean' },
    wait: { type: 'boolean' },
  });
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const attributes = await runAttributes(values, command);
  if (values['auto-apply'] && attributes.planOnly) {
    throw new UsageError('a --plan-only run is never applied: drop --auto-apply or --plan-only.', command);
  }
  waitSettings(values, 'cancel');
  queueLimits(values, command);
  checkOutputFiles(command, reportFiles(values.dotenv, { summary: values.wait ?? false }));
  const ref = workspaceRef(values, command);
  const tfe = connect(values, command);
  try {
    const workspaceId = 'id' in ref ? ref.id : (await resolveWorkspace(tfe, ref, command)).id;
    const run = await tfe.runs.create({
      workspaceId,
      configurationVersionId: values['configuration-version'],
      autoApply: values['auto-apply'] || undefined,
      ...attributes,
    });
    const report = buildReport(tfe, await readRunForReport(tfe, run.id), 'in_progress');
    out.step(`Run ${run.id} created${report.runUrl ? `: ${report.runUrl}` : ''}`);
    if (values.wait) return await waitAndReport(tfe, run.id, values, out, command, 'cancel');
    publishReport(report, { dotenvFile: values.dotenv, summary: false });
    out.document({ ...report, exitCode: EXIT.ok });
    out.result(run.id);
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command);
  } finally {
    tfe.close();
  }
}

/** `tfe run show <id>`. */
async function show(argv: string[]): Promise<number> {
  const command = 'run show';
  const flags = {
    ...CONNECTION_FLAGS,
    json: { type: 'boolean' },
    'pr-comment': { type: 'boolean' },
  } as const;
  const { values, positionals } = parse(command, argv, flags, 1);
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const runId = runIdArg(positionals, command);
  checkOutputFiles(command, reportFiles(undefined, { summary: false }));
  const tfe = connect(values, command);
  try {
    const run = await readRunForReport(tfe, runId);
    const report = { ...buildReport(tfe, run, runOutcome(run)), exitCode: EXIT.ok };
    if (report.outcome === 'errored') report.failure = await readRunFailure(tfe, run);
    publishReport(report, { summary: false });
    const prComment = values['pr-comment'] ?? false;
    const review = await reviewPlan(tfe, report, { json: out.json, prComment, stepSummary: true }, out);
    out.document({ ...report, ...review });
    out.result(renderReport(report));
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command, { runId });
  } finally {
    tfe.close();
  }
}

/** `tfe run wait <id>`. */
async function waitCommand(argv: string[]): Promise<number> {
  const command = 'run wait';
  const { values, positionals } = parse(command, argv, { ...CONNECTION_FLAGS, ...WAIT_FLAGS }, 1);
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const runId = runIdArg(positionals, command);
  waitSettings(values, 'leave');
  queueLimits(values, command);
  checkOutputFiles(command, reportFiles(values.dotenv));
  const tfe = connect(values, command);
  try {
    return await waitAndReport(tfe, runId, values, out, command, 'leave');
  } finally {
    tfe.close();
  }
}

const PAST: Record<string, string> = {
  apply: 'applied',
  discard: 'discarded',
  cancel: 'canceled',
  'force-cancel': 'force-canceled',
  'force-execute': 'force-executed',
};

const ACTION_TEXT: Record<string, string> = {
  apply: 'apply requested',
  discard: 'discarded',
  cancel: 'cancel requested',
  'force-cancel': 'force-canceled',
  'force-execute': 'force-execute requested',
};

const FORCE_EXECUTE_FLAGS = { ...CONNECTION_FLAGS, json: { type: 'boolean' } } as const;
const ACTION_FLAGS = { ...FORCE_EXECUTE_FLAGS, comment: { type: 'string' } } as const;
const APPLY_FLAGS = { ...ACTION_FLAGS, ...WAIT_FLAGS, wait: { type: 'boolean' } } as const;

/** `tfe run apply|discard|cancel|force-cancel|force-execute <id>`. */
async function action(sub: Exclude<Sub, 'create' | 'show' | 'list' | 'wait' | 'logs'>, argv: string[]) {
  const command = `run ${sub}`;
  const spec = sub === 'apply' ? APPLY_FLAGS : sub === 'force-execute' ? FORCE_EXECUTE_FLAGS : ACTION_FLAGS;
  // Typed as the widest set; parseArgs enforces the command's own set at run time.
  const { values, positionals } = parse(command, argv, spec as typeof APPLY_FLAGS, 1);
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const runId = runIdArg(positionals, command);
  if (values.wait) {
    waitSettings(values, 'cancel');
    queueLimits(values, command);
    checkOutputFiles(command, reportFiles(values.dotenv));
  }
  const tfe = connect(values, command);
  try {
    const params = values.comment === undefined ? {} : { comment: values.comment };
    try {
      if (sub === 'apply') await tfe.runs.apply(runId, params);
      else if (sub === 'discard') await tfe.runs.discard(runId, params);
      else if (sub === 'cancel') await tfe.runs.cancel(runId, params);
      else if (sub === 'force-cancel') await tfe.runs.forceCancel(runId, params);
      else await tfe.runs.forceExecute(runId);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const run = await tfe.runs.read(runId).catch(() => undefined);
      const now = run ? ` is ${run.status}:` : '';
      throw new ConflictError(err, `run ${runId}${now} it cannot be ${PAST[sub]} now (409 Conflict).`);
    }
    out.step(`Run ${runId}: ${ACTION_TEXT[sub]}`);
    if (sub === 'apply' && values.wait)
      return await waitAndReport(tfe, runId, values, out, command, 'cancel');
    out.document({ runId, action: sub, exitCode: EXIT.ok });
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command, { runId, action: sub });
  } finally {
    tfe.close();
  }
}

/**
 * The phase whose log `tfe run logs` prints: a plan or apply id names its own phase (so `--phase` may be left
 * out); a `--phase` it contradicts is a usage error, not a silent print of the other log.
 */
function logPhase(id: string, flag: string | undefined, command: string): 'plan' | 'apply' {
  const phase = oneOf('phase', flag, ['plan', 'apply'], 'plan');
  const own = /^(plan|apply)-/.exec(id)?.[1] as 'plan' | 'apply' | undefined;
  if (own === undefined) return phase;
  if (flag !== undefined && phase !== own) {
    throw new UsageError(
      `${id} is ${own === 'apply' ? 'an apply' : 'a plan'} id, so it has no ${phase} log: pass the run id ` +
        `(run-…) with --phase ${phase}, or drop --phase to print the ${own} log.`,
      command,
    );
  }
  return own;
}

/**
 * An apply that never started has no log: say so (and where the plan's is) instead of printing nothing. With
 * --follow on a run that may still apply, the log is waited for.
 */
async function checkApplyStarted(
  tfe: TfeClient,
  run: Run,
  applyId: string,
  follow: boolean,
  command: string,
): Promise<void> {
  const apply = await tfe.applies.read(applyId);
  if (!['pending', 'unreachable'].includes(apply.status)) return;
  const plan = `Its plan log: tfe run logs ${run.id} --phase plan.`;
  const ended = apply.status === 'unreachable' || FINAL_OUTCOMES.has(runOutcome(run));
  if (ended) {
    throw new UsageError(
      `run ${run.id} was never applied (${run.status}), so it has no apply log. ${plan}`,
      command,
    );
  }
  if (!follow) {
    throw new UsageError(
      `run ${run.id} has not started applying yet (${run.status}): add --follow to wait for the apply log. ${plan}`,
      command,
    );
  }
}

/** `tfe run logs <id> --phase plan|apply [--follow] [--raw]`. */
async function logs(argv: string[]): Promise<number> {
  const command = 'run logs';
  const { values, positionals } = parse(
    command,
    argv,
    {
      ...CONNECTION_FLAGS,
      phase: { type: 'string' },
      follow: { type: 'boolean' },
      raw: { type: 'boolean' },
      'poll-interval': { type: 'string' },
    },
    1,
  );
  if (values.help) return help(command);
  const out = new Output(false);
  const id = runIdArg(positionals, command);
  const phase = logPhase(id, values.phase, command);
  const poll = values['poll-interval'] ? parseDuration('poll-interval', values['poll-interval']) : undefined;
  const tfe = connect(values, command);
  const interrupt = new Interrupt(() => {});
  try {
    let phaseId = id;
    if (!/^(plan|apply)-/.test(id)) {
      const run = await tfe.runs.read(id, {}, { signal: interrupt.signal });
      const rel = phase === 'plan' ? run.relationships.plan : run.relationships.apply;
      if (!rel) throw new UsageError(`run ${id} has no ${phase} yet.`, command);
      phaseId = rel.id;
      if (phase === 'apply') await checkApplyStarted(tfe, run, rel.id, values.follow ?? false, command);
    }
    const options = {
      follow: values.follow ?? false,
      signal: interrupt.signal,
      ...(poll !== undefined && { pollIntervalMs: poll }),
    };
    const stream = phase === 'plan' ? tfe.plans.logs(phaseId, options) : tfe.applies.logs(phaseId, options);
    if (values.raw) {
      for await (const chunk of stream) process.stdout.write(chunk);
    } else {
      for await (const event of stream.events()) {
        const line = renderLogEvent(event);
        if (line !== undefined) process.stdout.write(`${line}\n`);
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AbortError && interrupt.received) return interrupt.exitCode;
    return reportFailure(out, err, command);
  } finally {
    interrupt.dispose();
    tfe.close();
  }
}
