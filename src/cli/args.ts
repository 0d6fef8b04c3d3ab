import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Exit codes of `tfe`, as documented in `tfe --help`. */
export const EXIT = {
  /** The command did what was asked; a run ended well. */
  ok: 0,
  /** A run failed (errored, canceled, discarded, policy failure), timed out, or the API call failed. */
  failed: 1,
  /** With --detailed-exitcode: the run succeeded and its plan has changes. */
  changes: 2,
  /** A bad flag, or missing or wrong configuration (token, organization, workspace). */
  usage: 3,
  /** Stopped by SIGINT. */
  sigint: 130,
  /** Stopped by SIGTERM. */
  sigterm: 143,
} as const;

/** A mistake in how `tfe` was called or configured: exit 3, with a message saying what to fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help explains the fix, e.g. `run create`. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The `tfe run` subcommands; `tfe run` with flags only is the whole workflow. */
export const RUN_SUBCOMMANDS = [
  'create',
  'show',
  'list',
  'wait',
  'apply',
  'discard',
  'cancel',
  'force-cancel',
  'force-execute',
  'logs',
] as const;

/** One of {@link RUN_SUBCOMMANDS}. */
export type RunSubcommand = (typeof RUN_SUBCOMMANDS)[number];

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parse` returns: typed flag values and the positional arguments. */
export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

/** Flags every command that talks to TFE takes. */
export const CONNECTION_FLAGS = {
  token: { type: 'string' },
  address: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** How a command names its workspace. */
export const WORKSPACE_FLAGS = {
  organization: { type: 'string' },
  workspace: { type: 'string' },
  'workspace-id': { type: 'string' },
} as const satisfies Options;

/** The run attributes `tfe run` and `tfe run create` set. */
export const RUN_FLAGS = {
  message: { type: 'string' },
  'plan-only': { type: 'boolean' },
  destroy: { type: 'boolean' },
  'refresh-only': { type: 'boolean' },
  // Declared by name: Node 20's parseArgs has no `--no-x` negation, and `refresh` is on unless refused.
  'no-refresh': { type: 'boolean' },
  target: { type: 'string', multiple: true },
  replace: { type: 'string', multiple: true },
  var: { type: 'string', multiple: true },
  'var-hcl': { type: 'string', multiple: true },
  'var-file': { type: 'string', multiple: true },
  'env-vars': { type: 'boolean' },
  'save-plan': { type: 'boolean' },
  'allow-empty-apply': { type: 'boolean' },
  'terraform-version': { type: 'string' },
} as const satisfies Options;

/** How a command that waits for a run waits, reports, and ends. */
export const WAIT_FLAGS = {
  timeout: { type: 'string' },
  'queue-timeout': { type: 'string' },
  'poll-interval': { type: 'string' },
  'on-interrupt': { type: 'string' },
  'detailed-exitcode': { type: 'boolean' },
  json: { type: 'boolean' },
  dotenv: { type: 'string' },
} as const satisfies Options;

/**
 * `util.parseArgs`, strict, with its errors turned into UsageErrors that name the flag, suggest the nearest one
 * and point at the command's help.
 */
export function parse<O extends Options>(
  command: string,
  args: string[],
  options: O,
  positionals = 0,
): Parsed<O> {
  jsonAsked = flagGiven(args, options, 'json');
  commandParsed = command;
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      // Named by position, not echoed: a pasted token or secret must not reach the terminal or CI log.
      throw new UsageError(`unexpected argument at position ${positionals + 1}.`, command);
    }
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(explainParseError(err as Error & { code?: string }, Object.keys(options)), command);
  }
}

/** The command whose flags were parsed last: a bad value found later points at that command's help. */
let commandParsed: string | undefined;

/** The command whose flags `parse` read last, if any (`run create`). */
export function commandInUse(): string | undefined {
  return commandParsed;
}

/** What the last `parse` found of `--json`; a usage error found after parsing is reported as that command asked. */
let jsonAsked: boolean | undefined;

/**
 * Whether the command line asks for `--json` as a flag: `--message --json` gives `--message` the value
 * `--json`, so it does not. Read from the command's own flags once `parse` ran, from `argv` before that.
 */
export function jsonRequested(argv: string[]): boolean {
  return jsonAsked ?? flagGiven(argv, { json: { type: 'boolean' } }, 'json');
}

/** Whether `name` is given as a flag, reading the arguments as `options` does (a string flag takes the next one). */
function flagGiven(args: string[], options: Options, name: string): boolean {
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  return tokens.some((token) => token.kind === 'option' && token.name === name);
}

/** Node's parseArgs error in words: the flag, the nearest known one, or the value it needs. */
export function explainParseError(err: Error & { code?: string }, known: string[]): string {
  const msg = err.message;
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-{1,2}[^'\s]+)'/.exec(msg)?.[1] ?? msg;
    const near = nearest(flag.replace(/^-+/, '').split('=')[0]!, known);
    return `unknown flag ${flag}${near ? `; did you mean --${near}?` : '.'}`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(--[a-z-]+)/.exec(msg)?.[1];
    if (flag && /argument (missing|is ambiguous)/.test(msg)) {
      return `${flag} needs a value, e.g. ${flag} <value> (or ${flag}=<value> for one starting with "-").`;
    }
    if (flag) return `${flag} takes no value.`;
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']+)'/.exec(msg)?.[1];
    return `unexpected argument${arg ? ` "${arg}"` : ''}.`;
  }
  return msg;
}

/** The known name closest to `name` (edit distance at most 2), for "did you mean". */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length]!;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `30m`, `1h30m`, `500ms` → milliseconds. A number without a unit is refused: seconds or minutes? */
export function parseDuration(flag: string, value: string): number {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(
      /^\d+(\.\d+)?$/.test(text)
        ? `--${flag} ${text} needs a unit, e.g. ${text}s or ${text}m.`
        : `--${flag} must be a duration like 90s, 30m or 1h30m, got "${value}".`,
    );
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
  if (ms <= 0) throw new UsageError(`--${flag} must be longer than 0, got "${value}".`);
  return ms;
}

/** One of `allowed`, or a UsageError listing them. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}".`);
}

/**
 * A JSON value as an HCL expression: JSON with the escapes HCL lacks (`\b`, `\f`) spelled as `\u`, and `${`, `%{`
 * doubled so strings stay literal instead of becoming templates.
 */
export function hclOf(value: unknown): string {
  return JSON.stringify(value).replace(/\\(.)|([$%])\{/g, (match, escaped?: string, sigil?: string) => {
    if (sigil !== undefined) return `${sigil}${sigil}{`;
    if (escaped === 'b') return '\\u0008';
    if (escaped === 'f') return '\\u000c';
    return match;
  });
}

/** A string as an HCL quoted string literal that Terraform reads back to the same string. */
export function hclString(value: string): string {
  return hclOf(value);
}

/**
 * Run variables. `--var key=value` sends the value as an HCL string (Terraform converts it to a number or bool
 * as the variable's type asks, as `terraform -var` does); `--var-hcl key=expr` sends an HCL expression as is.
 */
export function runVariables(
  vars: readonly string[] = [],
  hcl: readonly string[] = [],
): Array<{ key: string; value: string }> {
  const split = (flag: string, item: string) => {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    if (!key) throw new UsageError(`--${flag} takes key=value, got "${item}".`);
    return { key, value: item.slice(eq + 1) };
  };
  return [
    ...vars.map((item) => {
      const { key, value } = split('var', item);
      return { key, value: hclString(value) };
    }),
    ...hcl.map((item) => split('var-hcl', item)),
  ];
}
