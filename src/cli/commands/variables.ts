import { readFileSync } from 'node:fs';
import type { Variable, VariableUpsertParams } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, hclOf, oneOf, parse, UsageError, WORKSPACE_FLAGS } from '../args.js';
import { connect, resolveWorkspace, workspaceName, workspaceRef, workspaceSummary } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Output } from '../output.js';

const SUBCOMMANDS = ['list', 'set', 'delete'] as const;
const CATEGORIES = ['terraform', 'env'] as const;
type Category = (typeof CATEGORIES)[number];

const COMMON = {
  ...CONNECTION_FLAGS,
  ...WORKSPACE_FLAGS,
  category: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const SET_FLAGS = {
  ...COMMON,
  sensitive: { type: 'boolean' },
  hcl: { type: 'boolean' },
  description: { type: 'string' },
  'from-file': { type: 'string', multiple: true },
} as const;

/** `tfe variable list|set|delete`. */
export async function variableCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    // A missing subcommand is a usage error: the help goes where errors go, as for `tfe` alone.
    process.stderr.write(helpFor('variable'));
    return EXIT.usage;
  }
  if (sub === '--help' || sub === '-h') {
    process.stdout.write(helpFor('variable'));
    return EXIT.ok;
  }
  if (sub === 'list') return list(rest);
  if (sub === 'set') return set(rest);
  if (sub === 'delete') return remove(rest);
  throw new UsageError(
    `unknown variable command "${sub}": use ${SUBCOMMANDS.slice(0, -1).join(', ')} or ${SUBCOMMANDS.at(-1)}.`,
    'variable',
  );
}

function help(command: string): number {
  process.stdout.write(helpFor(command));
  return EXIT.ok;
}

/** `tfe variable list`. */
async function list(argv: string[]): Promise<number> {
  const command = 'variable list';
  const { values } = parse(command, argv, COMMON);
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const category = values.category === undefined ? undefined : categoryOf(values.category);
  const ref = workspaceRef(values, command);
  const tfe = connect(values, command);
  try {
    const workspace = await resolveWorkspace(tfe, ref, command);
    const variables: Variable[] = [];
    for await (const v of tfe.variables.list(workspace.id)) {
      if (category === undefined || v.category === category) variables.push(v);
    }
    const rows = variables.map((v) => ({
      id: v.id,
      key: v.key,
      category: v.category,
      // A sensitive value is write-only: the API sends null, and so do we.
      value: v.sensitive ? null : (v.value ?? null),
      hcl: v.hcl ?? false,
      sensitive: v.sensitive ?? false,
      description: v.description || null,
    }));
    out.document({ workspace: workspaceSummary(workspace), variables: rows, exitCode: EXIT.ok });
    if (!out.json) {
      if (rows.length === 0) {
        out.note(`No ${category ? `${category} ` : ''}variables in ${workspaceName(workspace)}.`);
        return EXIT.ok;
      }
      const table = [
        ['KEY', 'CATEGORY', 'HCL', 'SENSITIVE', 'VALUE'],
        ...rows.map((r) => [
          r.key,
          r.category,
          r.hcl ? 'yes' : 'no',
          r.sensitive ? 'yes' : 'no',
          r.sensitive ? '(sensitive)' : oneLine(r.value ?? ''),
        ]),
      ];
      const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table) {
        out.result(
          row
            .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell))
            .join('  ')
            .trimEnd(),
        );
      }
    }
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command);
  } finally {
    tfe.close();
  }
}

/** A multi-line value (a heredoc, a JSON document) on one table line. */
function oneLine(value: string): string {
  return value.replace(/\r?\n/g, '\\n');
}

function categoryOf(value: string | undefined): Category {
  return oneOf('category', value, CATEGORIES, 'terraform');
}

/** `tfe variable set KEY=VALUE … [--from-file vars.json]`. */
async function set(argv: string[]): Promise<number> {
  const command = 'variable set';
  // Errors of the flag parser name flags only, never an argument's value.
  const { values, positionals } = parse(command, argv, SET_FLAGS, Number.POSITIVE_INFINITY);
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const category = categoryOf(values.category);
  const assignments = [
    ...parseAssignments(positionals, process.env, command),
    ...(values['from-file'] ?? []).flatMap((file) => readVariablesFile(file, command)),
  ];
  if (assignments.length === 0) {
    throw new UsageError('nothing to set: pass KEY=VALUE (repeatable) or --from-file <file>.', command);
  }
  const wanted: VariableUpsertParams[] = assignments.map((a) => {
    const { value, hcl } = encodeValue(a.value, category, values.hcl ?? false);
    return {
      key: a.key,
      value,
      category,
      hcl,
      ...(values.sensitive && { sensitive: true }),
      ...(values.description !== undefined && { description: values.description }),
    };
  });
  const ref = workspaceRef(values, command);
  const tfe = connect(values, command);
  try {
    const workspace = await resolveWorkspace(tfe, ref, command);
    // The SDK guards each write's value; naming them all here also covers the listing and every error.
    const secrets = values.sensitive ? wanted.map((w) => w.value).filter(Boolean) : [];
    const result = await tfe.variables.upsert(workspace.id, wanted, secrets.length ? { secrets } : undefined);
    out.step(
      `Variables of ${workspaceName(workspace)}: ${result.created.length} created, ` +
        `${result.updated.length} updated, ${result.unchanged.length} unchanged`,
    );
    out.document({ workspace: workspaceSummary(workspace), ...result, exitCode: EXIT.ok });
    const width = Math.max(0, ...wanted.map((w) => w.category.length));
    for (const [what, refs] of Object.entries(result)) {
      for (const r of refs) out.result(`${what.padEnd(9)}  ${r.category.padEnd(width)}  ${r.key}`);
    }
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command);
  } finally {
    tfe.close();
  }
}

/** One variable to set, before its value is encoded for the category. */
export interface Assignment {
  key: string;
  /** A string from the command line or the file, or any other JSON value from the file. */
  value: unknown;
}

/**
 * `KEY=VALUE` arguments; a bare `KEY` takes its value from the environment variable of that name, so a secret
 * need not appear on the command line. Errors name the argument, never its value.
 */
export function parseAssignments(
  args: readonly string[],
  env: Record<string, string | undefined>,
  command: string,
): Assignment[] {
  return args.map((arg, i) => {
    const eq = arg.indexOf('=');
    if (eq === 0) throw new UsageError(`argument ${i + 1} has no key before "=": pass KEY=VALUE.`, command);
    if (eq > 0) return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
    const value = env[arg];
    if (value === undefined) {
      throw new UsageError(
        `${arg} has no value: pass ${arg}=VALUE, or set ${arg} in the environment to take it from there.`,
        command,
      );
    }
    return { key: arg, value };
  });
}

/** `--from-file`: a JSON object of key → value (a `.tfvars.json` file). Errors never quote the content. */
export function readVariablesFile(file: string, command: string): Assignment[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--from-file ${file}: not found or not readable.`, command);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the mistake, which may be a secret: keep only where it is.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new UsageError(
      `--from-file ${file} is not valid JSON${at ? ` (at character ${at})` : ''}: it takes an object of key → value.`,
      command,
    );
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`--from-file ${file} must hold a JSON object of key → value.`, command);
  }
  return Object.entries(doc).map(([key, value]) => ({ key, value }));
}

/**
 * How a value is sent. A string is sent as is (an HCL expression with `--hcl`). Any other JSON value is sent as
 * HCL (`hcl: true`), written as JSON, which HCL reads as the same list, object, number, bool or null; for an env
 * variable, which cannot be HCL, it is sent as its JSON text (`3`, `true`, `["a"]`).
 */
export function encodeValue(
  value: unknown,
  category: Category,
  hclFlag: boolean,
): { value: string; hcl: boolean } {
  if (typeof value === 'string') return { value, hcl: hclFlag };
  if (category === 'env') return { value: JSON.stringify(value), hcl: false };
  return { value: hclOf(value), hcl: true };
}

/** `tfe variable delete KEY [--category terraform|env]`. */
async function remove(argv: string[]): Promise<number> {
  const command = 'variable delete';
  const { values, positionals } = parse(command, argv, COMMON, 1);
  if (values.help) return help(command);
  const out = new Output(values.json ?? false);
  const key = positionals[0];
  if (!key) throw new UsageError('which variable? Pass its key: tfe variable delete KEY.', command);
  const category = values.category === undefined ? undefined : categoryOf(values.category);
  const ref = workspaceRef(values, command);
  const tfe = connect(values, command);
  try {
    const workspace = await resolveWorkspace(tfe, ref, command);
    const matches: Variable[] = [];
    for await (const v of tfe.variables.list(workspace.id)) {
      if (v.key === key && (category === undefined || v.category === category)) matches.push(v);
    }
    const where = workspaceName(workspace);
    const [variable, ...others] = matches;
    if (!variable) {
      const err = new Error(`no ${category ? `${category} ` : ''}variable ${key} in ${where}.`);
      err.name = 'VariableNotFound';
      throw err;
    }
    if (others.length > 0) {
      throw new UsageError(
        `${where} has ${key} in more than one category (${matches.map((v) => v.category).join(', ')}): ` +
          'pass --category to say which to delete.',
        command,
      );
    }
    await tfe.variables.delete(workspace.id, variable.id);
    out.step(`Deleted ${variable.category} variable ${key} from ${where}`);
    out.document({
      workspace: workspaceSummary(workspace),
      deleted: { id: variable.id, key: variable.key, category: variable.category },
      exitCode: EXIT.ok,
    });
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command);
  } finally {
    tfe.close();
  }
}
