// Why a run errored, in Terraform's own words: the error diagnostics of the phase that failed, read from its log.
import { type LogEvent, parseLogLine, type Run, type TfeClient } from '../index.js';

/** One error Terraform reported. */
export interface RunError {
  summary: string;
  detail: string | null;
  /** The configuration file and line it points at, when it points at one. */
  filename: string | null;
  line: number | null;
  /** The resource it concerns, when Terraform names one. */
  address: string | null;
}

/** What a report says about an errored run. */
export interface RunFailure {
  /** The phase whose log holds the errors. */
  phase: 'plan' | 'apply';
  errors: RunError[];
  /** The last lines of the log, when it held no error diagnostic to quote. */
  logTail: string[];
  /** The command that prints the whole log. */
  logCommand: string;
}

const MAX_ERRORS = 5;
const TAIL_LINES = 10;

/** Reads the log of the phase that failed (apply when the apply errored, else plan) and picks its errors. */
export async function readRunFailure(tfe: TfeClient, run: Run): Promise<RunFailure> {
  const applyFailed = run.apply?.status === 'errored' && run.relationships.apply;
  const phase: 'plan' | 'apply' = applyFailed ? 'apply' : 'plan';
  const logCommand = `tfe run logs ${run.id} --phase ${phase}`;
  const phaseId = (applyFailed ? run.relationships.apply : run.relationships.plan)?.id;
  const lines: string[] = [];
  if (phaseId) {
    try {
      const stream = phase === 'apply' ? tfe.applies.logs(phaseId) : tfe.plans.logs(phaseId);
      for await (const line of stream.lines()) lines.push(line);
    } catch {
      // No log to quote (expired, not readable): the command to read it still helps.
    }
  }
  const errors = errorsOf(lines.map(parseLogLine)).slice(0, MAX_ERRORS);
  const logTail = errors.length ? [] : lines.filter((l) => l.trim() !== '').slice(-TAIL_LINES);
  return { phase, errors, logTail, logCommand };
}

/** The error diagnostics of a log: Terraform's JSON `diagnostic` lines, or the `Error:` blocks of its text output. */
export function errorsOf(events: LogEvent[]): RunError[] {
  const errors: RunError[] = [];
  let block: string[] | undefined;
  const flush = () => {
    if (block) errors.push(textError(block));
    block = undefined;
  };
  for (const event of events) {
    if (event.type === 'diagnostic') {
      flush();
      const d = event.diagnostic;
      if (d.severity !== 'error') continue;
      errors.push({
        summary: d.summary,
        detail: d.detail || null,
        filename: d.range?.filename ?? null,
        line: d.range?.start.line ?? null,
        address: d.address ?? null,
      });
      continue;
    }
    if (event.type !== 'text') continue;
    // Terraform frames a diagnostic in box-drawing characters: `╷`, `│ Error: …`, `│ …`, `╵`.
    const text = event.text.replace(/^[│╷]\s?/, '');
    if (/^╵/.test(event.text) || /^Warning: /.test(text)) {
      flush();
      continue;
    }
    if (/^Error: /.test(text)) {
      flush();
      block = [text];
    } else if (block) {
      block.push(text);
    }
  }
  flush();
  return errors;
}

function textError(block: string[]): RunError {
  const summary = block[0]!.replace(/^Error: /, '');
  const at = block.map((l) => /^\s*(?:on|with) (\S+) line (\d+)/.exec(l)).find(Boolean);
  const address = block.map((l) => /^\s*with ([^\s,]+),/.exec(l)?.[1]).find(Boolean);
  const detail = block
    .slice(1)
    // Leave out where it is (said apart) and the quoted source lines (`  3:   foo = "bar"`).
    .filter((l) => !/^\s*(on|with) \S+/.test(l) && !/^\s*\d+:/.test(l))
    .join('\n')
    .trim();
  return {
    summary,
    detail: detail || null,
    filename: at?.[1] ?? null,
    line: at ? Number(at[2]) : null,
    address: address ?? null,
  };
}

/** `Error: Unsupported argument (main.tf line 3)` and its detail, indented, for a terminal. */
export function renderFailure(f: RunFailure): string {
  const lines: string[] = [];
  for (const e of f.errors) {
    const where = e.filename ? ` (${e.filename}${e.line ? ` line ${e.line}` : ''})` : '';
    lines.push(`  Error: ${e.summary}${where}${e.address ? ` [${e.address}]` : ''}`);
    if (e.detail) lines.push(...e.detail.split('\n').map((l) => `    ${l}`));
  }
  if (f.logTail.length) lines.push(`  The ${f.phase} log ends with:`, ...f.logTail.map((l) => `    ${l}`));
  lines.push(`  Whole ${f.phase} log: ${f.logCommand}`);
  return lines.join('\n');
}
