import type { Readable } from 'node:stream';
import { z } from 'zod';
import { sleep } from '../core/abort.js';
import { camelizeKeys } from '../core/case.js';
import { AbortError } from '../core/errors.js';
import { signalSchema, validateInput } from '../core/validate.js';
import type { PollInterval } from './wait.js';

const STX = 0x02;
const ETX = 0x03;

/** Plan and apply states after which the phase writes nothing more to its log. */
export const FINAL_PHASE_STATUSES: ReadonlySet<string> = new Set([
  'finished',
  'errored',
  'canceled',
  'force_canceled',
  'unreachable',
]);

const LogReadSchema = z.strictObject({
  follow: z.boolean().optional(),
  signal: signalSchema.optional(),
  pollIntervalMs: z
    .union([
      z.number().positive(),
      z.strictObject({
        initialMs: z.number().positive().optional(),
        maxMs: z.number().positive().optional(),
      }),
    ])
    .optional(),
  chunkBytes: z.number().int().min(1).optional(),
});

/** How `plans.logs` and `applies.logs` read. */
export interface LogReadOptions {
  /**
   * Keep reading as the phase writes, until its log ends (the ETX marker) or the phase is final. Default false:
   * the log as it is now.
   */
  follow?: boolean;
  /** Ends the reading with an AbortError. */
  signal?: AbortSignal;
  /** Wait after a read that found nothing new: a fixed ms, or growing (default 500 ms → 2 s, as go-tfe). */
  pollIntervalMs?: number | PollInterval;
  /** Bytes asked for per read while following (the archivist's `limit`). Default 1 MiB. */
  chunkBytes?: number;
}

/** What the log reader needs from a plan or an apply: its state, and a GET of its log URL without the token. */
export interface LogSource {
  /** Reads the phase: its status and its current (signed, expiring) `logReadUrl`. */
  readPhase(
    signal: AbortSignal | undefined,
  ): Promise<{ status: string; logReadUrl?: string | null | undefined }>;
  /** GETs a log URL (another origin or the archivist path: never with the API token) as a byte stream. */
  fetch(url: string, signal: AbortSignal | undefined): Promise<Readable>;
}

/**
 * A phase's log: `for await` gives text chunks as they arrive, with the STX/ETX markers TFE wraps logs in removed.
 * `lines()` and `events()` give whole lines and typed Terraform events. Nothing is read until iterated.
 */
export class LogStream implements AsyncIterable<string> {
  private readonly options: z.output<typeof LogReadSchema>;

  /** @internal Made by `plans.logs` and `applies.logs`, which know how to read their phase. */
  constructor(
    private readonly source: LogSource,
    options: LogReadOptions = {},
    where = 'logs',
  ) {
    this.options = validateInput(LogReadSchema, options, where);
  }

  /** The log as text chunks, markers stripped; following the phase when `follow` is set. */
  [Symbol.asyncIterator](): AsyncIterator<string> {
    return (this.options.follow ? follow(this.source, this.options) : readOnce(this.source, this.options))[
      Symbol.asyncIterator
    ]();
  }

  /** Whole lines, without their line breaks; a last line without one is given when the log ends. */
  async *lines(): AsyncGenerator<string, void, undefined> {
    let rest = '';
    for await (const chunk of this) {
      rest += chunk;
      let nl = rest.indexOf('\n');
      while (nl !== -1) {
        yield rest.slice(0, nl).replace(/\r$/, '');
        rest = rest.slice(nl + 1);
        nl = rest.indexOf('\n');
      }
    }
    if (rest) yield rest.replace(/\r$/, '');
  }

  /** Each line as a {@link LogEvent}: Terraform's JSON UI lines typed, plain lines as `text`. */
  async *events(): AsyncGenerator<LogEvent, void, undefined> {
    for await (const line of this.lines()) yield parseLogLine(line);
  }

  /** The whole log (as it is now, or once the phase ends when following). */
  async text(): Promise<string> {
    let out = '';
    for await (const chunk of this) out += chunk;
    return out;
  }
}

/** Removes the STX that opens a TFE log and the ETX that closes a finished one, decoding UTF-8 across chunks. */
class MarkerStripper {
  private readonly decoder = new TextDecoder('utf-8');
  private seenFirstByte = false;
  private pendingEtx = false;

  /** True once the bytes so far end with ETX: the log is complete. */
  get endOfText(): boolean {
    return this.pendingEtx;
  }

  feed(bytes: Uint8Array): string {
    let b = bytes;
    if (b.length === 0) return '';
    if (!this.seenFirstByte) {
      this.seenFirstByte = true;
      if (b[0] === STX) b = b.subarray(1);
    }
    // An ETX is only the end marker when nothing follows it; one followed by more bytes was text.
    let out = this.pendingEtx ? this.decoder.decode(Uint8Array.of(ETX), { stream: true }) : '';
    this.pendingEtx = b.length > 0 && b[b.length - 1] === ETX;
    if (this.pendingEtx) b = b.subarray(0, -1);
    out += this.decoder.decode(b, { stream: true });
    return out;
  }

  end(): string {
    return this.decoder.decode();
  }
}

/** A body's chunks. The transport ends a body cut off, stalled or aborted with the SDK's own error. */
async function* chunksOf(stream: Readable, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
  if (signal?.aborted) throw new AbortError();
}

/** The log as it is now: one GET of the whole object, streamed. */
async function* readOnce(source: LogSource, options: z.output<typeof LogReadSchema>): AsyncGenerator<string> {
  const phase = await source.readPhase(options.signal);
  if (!phase.logReadUrl) return;
  const stripper = new MarkerStripper();
  const body = await source.fetch(phase.logReadUrl, options.signal);
  try {
    for await (const chunk of chunksOf(body, options.signal)) {
      const text = stripper.feed(chunk);
      if (text) yield text;
    }
  } finally {
    body.destroy();
  }
  const tail = stripper.end();
  if (tail) yield tail;
}

/**
 * Reads `offset`/`limit` ranges (as go-tfe's log reader does) until the log's ETX, or until a read finds nothing
 * new after the phase reached a final state. Waits grow while nothing new arrives.
 */
async function* follow(source: LogSource, options: z.output<typeof LogReadSchema>): AsyncGenerator<string> {
  const { signal } = options;
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const stripper = new MarkerStripper();
  let phase = await source.readPhase(signal);
  let url = phase.logReadUrl ?? undefined;
  let phaseFinal = FINAL_PHASE_STATUSES.has(phase.status);
  let offset = 0;
  let idle = 0;
  for (;;) {
    const bytes = url ? await readRange(source, url, offset, chunkBytes, signal) : new Uint8Array(0);
    if (bytes.length > 0) {
      offset += bytes.length;
      idle = 0;
      const text = stripper.feed(bytes);
      if (text) yield text;
      if (stripper.endOfText) break;
      // A full chunk means more is probably waiting: read again at once.
      if (bytes.length >= chunkBytes) continue;
    } else {
      // The phase was final before this read found nothing: nothing more will come.
      if (phaseFinal) break;
      phase = await source.readPhase(signal);
      // The signed URL expires; the phase hands out a fresh one for the same log.
      url = phase.logReadUrl ?? url;
      phaseFinal = FINAL_PHASE_STATUSES.has(phase.status);
      // A phase that ended between the read and the check may have written its last lines: read once more.
      if (phaseFinal) continue;
    }
    await sleep(pollDelay(idle++, options.pollIntervalMs), signal);
  }
  const tail = stripper.end();
  if (tail) yield tail;
}

async function readRange(
  source: LogSource,
  url: string,
  offset: number,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const u = new URL(url);
  u.searchParams.set('offset', String(offset));
  u.searchParams.set('limit', String(limit));
  const body = await source.fetch(u.toString(), signal);
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of chunksOf(body, signal)) parts.push(chunk);
  } finally {
    body.destroy();
  }
  return Buffer.concat(parts);
}

function pollDelay(idle: number, setting: number | PollInterval | undefined): number {
  if (typeof setting === 'number') return setting;
  const initial = setting?.initialMs ?? 500;
  const max = Math.max(initial, setting?.maxMs ?? 2000);
  return Math.min(max, Math.round(initial * 2 ** (idle / 5)));
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform's machine-readable UI lines (`terraform plan -json`), as TFE stores them in structured run output.

/** A resource address as Terraform's JSON UI reports it. */
export interface LogResourceAddr {
  addr: string;
  module: string;
  resource?: string;
  impliedProvider?: string;
  resourceType: string;
  resourceName: string;
  resourceKey?: string | number | null;
}

/** `planned_change` / `resource_drift`: what the plan will do to one resource. */
export interface LogChange {
  resource: LogResourceAddr;
  previousResource?: LogResourceAddr;
  /** `noop`, `create`, `read`, `update`, `replace`, `delete`, `move`, `import`, `forget`, … */
  action: string;
  reason?: string;
}

/** `change_summary`: the counts Terraform prints as "Plan: 1 to add, …" or "Apply complete! …". */
export interface LogChangeSummary {
  add: number;
  change: number;
  import?: number;
  remove: number;
  /** `plan`, `apply` or `destroy`. */
  operation: string;
}

/** `diagnostic`: an error or a warning. */
export interface LogDiagnostic {
  severity: 'error' | 'warning' | (string & {});
  summary: string;
  detail?: string;
  address?: string;
  range?: {
    filename: string;
    start: { line: number; column: number };
    end: { line: number; column: number };
  };
  snippet?: Record<string, unknown>;
}

/** `apply_start` / `apply_progress` / `apply_complete` / `apply_errored` (and refresh/provision hooks). */
export interface LogHook {
  resource: LogResourceAddr;
  action?: string;
  idKey?: string;
  idValue?: string;
  elapsedSeconds?: number;
}

/** `outputs`: each output's state; names are the configuration's own and kept as written. */
export type LogOutputs = Record<
  string,
  { sensitive: boolean; type?: unknown; value?: unknown; action?: string }
>;

/** What every JSON UI line carries. */
export interface TerraformLogLine {
  /** `@level`: `trace`, `debug`, `info`, `warn`, `error`. */
  level: string;
  /** `@message`: the human-readable line. */
  message: string;
  /** `@module`, e.g. `terraform.ui`. */
  module?: string;
  /** `@timestamp`, when it parses. */
  timestamp?: Date;
  /** The line's JSON as written, for fields this SDK does not type. */
  raw: Record<string, unknown>;
}

/**
 * One line of a plan or apply log. Terraform's JSON UI lines are typed by their `type`; a JSON line of a type
 * this SDK does not know is `other` (its type in `messageType`); anything else is a `text` line.
 */
export type LogEvent =
  | { type: 'text'; text: string }
  | (TerraformLogLine & { type: 'version'; terraform: string; ui: string })
  | (TerraformLogLine & { type: 'log' })
  | (TerraformLogLine & { type: 'planned_change' | 'resource_drift'; change: LogChange })
  | (TerraformLogLine & { type: 'change_summary'; changes: LogChangeSummary })
  | (TerraformLogLine & { type: 'diagnostic'; diagnostic: LogDiagnostic })
  | (TerraformLogLine & {
      type:
        | 'apply_start'
        | 'apply_progress'
        | 'apply_complete'
        | 'apply_errored'
        | 'refresh_start'
        | 'refresh_complete'
        | 'provision_start'
        | 'provision_progress'
        | 'provision_complete'
        | 'provision_errored';
      hook: LogHook;
    })
  | (TerraformLogLine & { type: 'outputs'; outputs: LogOutputs })
  | (TerraformLogLine & { type: 'other'; messageType: string });

const PAYLOAD: Record<string, string> = {
  planned_change: 'change',
  resource_drift: 'change',
  change_summary: 'changes',
  diagnostic: 'diagnostic',
  apply_start: 'hook',
  apply_progress: 'hook',
  apply_complete: 'hook',
  apply_errored: 'hook',
  refresh_start: 'hook',
  refresh_complete: 'hook',
  provision_start: 'hook',
  provision_progress: 'hook',
  provision_complete: 'hook',
  provision_errored: 'hook',
};

/**
 * Turns one log line into a {@link LogEvent}. A line is JSON UI output when it is a JSON object with `@message`
 * and `type`; payload keys become camelCase (`resource_type` → `resourceType`), output names stay as written.
 */
export function parseLogLine(line: string): LogEvent {
  const text = line.replace(/\r?\n$/, '');
  if (!text.startsWith('{')) return { type: 'text', text };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { type: 'text', text };
  }
  if (!isObject(json) || typeof json['@message'] !== 'string' || typeof json.type !== 'string') {
    return { type: 'text', text };
  }
  const base: TerraformLogLine = {
    level: typeof json['@level'] === 'string' ? json['@level'] : 'info',
    message: json['@message'],
    raw: json,
  };
  if (typeof json['@module'] === 'string') base.module = json['@module'];
  const ts = typeof json['@timestamp'] === 'string' ? new Date(json['@timestamp']) : undefined;
  if (ts && !Number.isNaN(ts.getTime())) base.timestamp = ts;

  const type = json.type;
  const key = PAYLOAD[type];
  if (key) {
    if (!isObject(json[key])) return { ...base, type: 'other', messageType: type };
    return { ...base, type, [key]: camelizeKeys(json[key]) } as LogEvent;
  }
  switch (type) {
    case 'version':
      return { ...base, type, terraform: String(json.terraform ?? ''), ui: String(json.ui ?? '') };
    case 'log':
      return { ...base, type };
    case 'outputs':
      if (!isObject(json.outputs)) break;
      return { ...base, type, outputs: json.outputs as LogOutputs };
  }
  return { ...base, type: 'other', messageType: type };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
