// Run variables from files and the environment. The Runs API takes each value as an HCL literal (run.mdx,
// "Create a Run": "All values must be expressed as an HCL literal"), so every source is turned into one.
import { readFileSync } from 'node:fs';
import { hclString, runVariables, UsageError } from './args.js';
import { hclFileVariables } from './tfvars.js';

type Env = Record<string, string | undefined>;

/** One run variable: its name and its value as an HCL literal. */
export interface RunVariable {
  key: string;
  value: string;
}

/** A JSON value as the HCL literal that Terraform reads back to the same value. */
export function hclLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${hclString(k)} = ${hclLiteral(v)}`).join(', ')}}`;
  }
  throw new TypeError(`no HCL literal for ${typeof value}`);
}

/**
 * The variables of a `--var-file`: a name ending in `.json` is read as JSON (a `.tfvars.json` file), any other as
 * HCL (a `.tfvars` file), as Terraform picks the syntax. Errors name where the file breaks, never its values.
 */
export async function varFileVariables(file: string, command: string): Promise<RunVariable[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--var-file ${file}: no such file.`, command);
  }
  if (!/\.json$/i.test(file)) return hclFileVariables(file, text, command);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the mistake, which may be a secret: keep only where it is.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new UsageError(
      `--var-file ${file} is not valid JSON${at ? ` (at character ${at})` : ''}.`,
      command,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `--var-file ${file} must hold one JSON object of variable names and values, as Terraform's .tfvars.json does.`,
      command,
    );
  }
  return Object.entries(parsed).map(([key, value]) => ({ key, value: hclLiteral(value) }));
}

/**
 * `TF_VAR_name` environment variables, read as Terraform reads them: a value that starts with `[` or `{` is an HCL
 * expression (a list, map or object), anything else a string (Terraform converts it to a number or bool as the
 * variable's type asks).
 */
export function envVariables(env: Env): RunVariable[] {
  const out: RunVariable[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TF_VAR_') || name.length === 'TF_VAR_'.length || value === undefined) continue;
    const key = name.slice('TF_VAR_'.length);
    out.push({ key, value: /^\s*[[{]/.test(value) ? value : hclString(value) });
  }
  return out;
}

/** The run-variable flags as parsed. */
export interface RunVariableFlags {
  var?: string[] | undefined;
  'var-hcl'?: string[] | undefined;
  'var-file'?: string[] | undefined;
  'env-vars'?: boolean | undefined;
}

/**
 * Every run variable the flags ask for, in Terraform's order of precedence: `TF_VAR_*` (with `--env-vars`), then
 * each `--var-file` in order, then `--var` / `--var-hcl`. A later value of the same name replaces an earlier one.
 */
export async function collectRunVariables(
  flags: RunVariableFlags,
  command: string,
  env: Env = process.env,
): Promise<RunVariable[]> {
  const files: RunVariable[] = [];
  for (const file of flags['var-file'] ?? []) files.push(...(await varFileVariables(file, command)));
  const all = [
    ...(flags['env-vars'] ? envVariables(env) : []),
    ...files,
    ...runVariables(flags.var, flags['var-hcl']),
  ];
  const byKey = new Map<string, RunVariable>();
  for (const v of all) {
    byKey.delete(v.key);
    byKey.set(v.key, v);
  }
  return [...byKey.values()];
}
