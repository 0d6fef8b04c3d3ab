// The action's inputs, read as the runner passes them (`INPUT_<NAME>`, the name upper-cased, spaces as `_`), and
// turned into the `tfe run` flags of the same names: the action is `tfe run` with another way to pass flags.
import { UsageError } from '../cli/args.js';

type Env = Record<string, string | undefined>;

/** An input's value, trimmed; undefined when empty or not given (the runner passes unset inputs as ''). */
export function getInput(name: string, env: Env = process.env): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
  return value ? value : undefined;
}

/** A boolean input as YAML 1.2's core schema spells one (what `@actions/core`'s getBooleanInput accepts). */
export function getBooleanInput(name: string, env: Env = process.env): boolean {
  const value = getInput(name, env);
  if (value === undefined) return false;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`input ${name} must be true or false, got "${value}".`);
}

/** A multi-line input: one item a line, blank lines dropped. */
export function getMultilineInput(name: string, env: Env = process.env): string[] {
  return (getInput(name, env) ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Inputs passed on as `--name value`. */
const STRING_INPUTS: Array<[input: string, flag: string]> = [
  ['organization', 'organization'],
  ['workspace', 'workspace'],
  ['workspace-id', 'workspace-id'],
  ['directory', 'dir'],
  ['tarball', 'tarball'],
  ['apply', 'apply'],
  ['message', 'message'],
  ['timeout', 'timeout'],
  ['poll-interval', 'poll-interval'],
  ['terraform-version', 'terraform-version'],
  ['address', 'address'],
];

/** Inputs passed on as `--name` when true. */
const BOOLEAN_INPUTS = [
  'plan-only',
  'destroy',
  'refresh-only',
  'save-plan',
  'allow-empty-apply',
  'env-vars',
  'detailed-exitcode',
  'logs',
  'pr-comment',
];

/** Multi-line inputs passed on as one `--flag line` per line. */
const MULTILINE_INPUTS: Array<[input: string, flag: string]> = [
  ['target', 'target'],
  ['replace', 'replace'],
  ['variables', 'var'],
  ['var-file', 'var-file'],
];

/** Names of every input this action reads, as action.yml must declare them. */
export const INPUT_NAMES = [
  ...STRING_INPUTS.map(([input]) => input),
  ...BOOLEAN_INPUTS,
  ...MULTILINE_INPUTS.map(([input]) => input),
  'token',
  'github-token',
];

/**
 * The environment `tfe run` reads, with GITHUB_TOKEN from the `github-token` input (default the job's token) when
 * the step sets none: `--pr-comment` writes the pull request's comment with it.
 */
export function runEnvironment(env: Env): Env {
  const githubToken = getInput('github-token', env);
  return githubToken && !env.GITHUB_TOKEN ? { ...env, GITHUB_TOKEN: githubToken } : env;
}

/** Every token the step may use: the inputs, and the variables `tfe` reads one from (TF_TOKEN_<host> included). */
export function tokensOf(env: Env = process.env): string[] {
  const names = Object.keys(env).filter((name) =>
    /^(TFE_TOKEN|TF_API_TOKEN|TF_TOKEN_.+|GITHUB_TOKEN)$/.test(name),
  );
  const values = [
    getInput('token', env),
    getInput('github-token', env),
    ...names.map((name) => env[name]?.trim()),
  ];
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

/**
 * The `tfe run` arguments the inputs ask for, the token among them when the input gives one: they are handed to
 * the command in this process, never to a child's command line, where other processes could read them.
 */
export function runArguments(env: Env = process.env): string[] {
  const argv: string[] = [];
  const token = getInput('token', env);
  if (token !== undefined) argv.push(`--token=${token}`);
  for (const [input, flag] of STRING_INPUTS) {
    const value = getInput(input, env);
    // `--flag=value`: a value starting with "-" stays a value.
    if (value !== undefined) argv.push(`--${flag}=${value}`);
  }
  for (const input of BOOLEAN_INPUTS) if (getBooleanInput(input, env)) argv.push(`--${input}`);
  for (const [input, flag] of MULTILINE_INPUTS) {
    for (const line of getMultilineInput(input, env)) argv.push(`--${flag}=${line}`);
  }
  return argv;
}
