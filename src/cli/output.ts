import { inGithubActions, workflowCommand } from './github.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** `0.4s`, `12.3s`, `2m05s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Where a command writes: progress to stderr (each line with the elapsed time, and on a terminal a live status
 * line), the result to stdout — in `--json` mode exactly one JSON document.
 */
export class Output {
  private readonly started = Date.now();
  private statusText: string | undefined;
  private statusSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private jsonWritten = false;
  private readonly live: boolean;
  /** In GitHub Actions: progress in collapsible groups, errors as annotations. */
  private readonly github = inGithubActions();
  private groupOpen = false;

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.live = Boolean(stderr.isTTY) && !process.env.CI && process.env.TERM !== 'dumb';
  }

  /** Milliseconds since the command started. */
  elapsed(): number {
    return Date.now() - this.started;
  }

  /** A progress line on stderr, stamped with the elapsed time. */
  step(text: string): void {
    this.writeErr(`[${formatElapsed(this.elapsed()).padStart(6)}] ${text}\n`);
  }

  /** A plain line on stderr (hints, log lines, errors). */
  note(text: string): void {
    this.writeErr(`${text}\n`);
  }

  /** In GitHub Actions, starts a collapsible log group for a phase, closing the one before; elsewhere nothing. */
  group(title: string): void {
    if (!this.github) return;
    this.endGroup();
    this.writeErr(workflowCommand('group', title));
    this.groupOpen = true;
  }

  /** An error on stderr (`Error: …`); in GitHub Actions also an annotation on the job, with a title. */
  error(message: string, title = 'tfe'): void {
    this.endGroup();
    this.writeErr(`Error: ${message}\n`);
    if (this.github) this.writeErr(workflowCommand('error', message, { title }));
  }

  /** A warning on stderr (`Warning: …`); in GitHub Actions also a warning annotation on the job, with a title. */
  warning(message: string, title = 'tfe'): void {
    this.writeErr(`Warning: ${message}\n`);
    if (this.github) this.writeErr(workflowCommand('warning', message, { title }));
  }

  /** The command's human result on stdout; nothing in --json mode. */
  result(text: string): void {
    if (this.json) return;
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The one JSON document of --json mode (a second call is ignored, so an error cannot add another). */
  document(doc: unknown): void {
    if (!this.json || this.jsonWritten) return;
    this.jsonWritten = true;
    this.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }

  /** True once the JSON document has been written. */
  get documentWritten(): boolean {
    return this.jsonWritten;
  }

  /** On a terminal, a live line under the progress: `⠋ planning · 12s`. Elsewhere nothing. */
  status(text: string | undefined): void {
    if (!this.live) return;
    if (text !== this.statusText) this.statusSince = Date.now();
    this.statusText = text;
    if (text === undefined) {
      this.clearStatus();
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.drawStatus(), 120);
      this.timer.unref();
    }
    this.drawStatus();
  }

  /** Stops the live line and closes a log group; call before exiting. */
  close(): void {
    this.status(undefined);
    this.endGroup();
  }

  private endGroup(): void {
    if (!this.groupOpen) return;
    this.groupOpen = false;
    this.writeErr('::endgroup::\n');
  }

  private drawStatus(): void {
    if (!this.statusText) return;
    const spin = SPINNER[this.frame++ % SPINNER.length];
    const since = formatElapsed(Date.now() - this.statusSince);
    const total = formatElapsed(this.elapsed());
    // A pseudo-terminal may report 0 columns.
    const columns = this.stderr.columns || 80;
    const line = `${spin} ${this.statusText} · ${since} (total ${total})`.slice(0, Math.max(10, columns - 1));
    this.stderr.write(`\r\x1b[2K${line}`);
  }

  private clearStatus(): void {
    if (this.live) this.stderr.write('\r\x1b[2K');
  }

  private writeErr(text: string): void {
    if (this.live && this.statusText) {
      this.clearStatus();
      this.stderr.write(text);
      this.drawStatus();
      return;
    }
    this.stderr.write(text);
  }
}
