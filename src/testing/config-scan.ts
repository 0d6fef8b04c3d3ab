/** What the fake reads from an uploaded configuration: a few regexes, not an HCL parser. */

export interface Declared {
  resources: string[];
  outputs: string[];
}

const RESOURCE = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/gm;
const OUTPUT = /^\s*output\s+"([^"]+)"/gm;

/** Text of the `.tf` files directly in the working directory (Terraform reads no other). */
function tfSources(files: Map<string, Buffer> | null, workingDirectory: string | null): string[] {
  const dir = (workingDirectory ?? '').replace(/^\.?\/+|\/+$/g, '');
  const out: string[] = [];
  for (const [path, content] of files ?? []) {
    const slash = path.lastIndexOf('/');
    if (path.endsWith('.tf') && (slash === -1 ? '' : path.slice(0, slash)) === dir)
      out.push(content.toString('utf8'));
  }
  return out;
}

/** Resource addresses and outputs declared by the `.tf` files of one directory of the upload. */
export function declared(files: Map<string, Buffer> | null, workingDirectory: string | null): Declared {
  const resources = new Set<string>();
  const outputs = new Set<string>();
  for (const text of tfSources(files, workingDirectory)) {
    for (const m of text.matchAll(RESOURCE))
      resources.add(`${m[1] === 'data' ? 'data.' : ''}${m[2]}.${m[3]}`);
    for (const m of text.matchAll(OUTPUT)) if (m[1]) outputs.add(m[1]);
  }
  return { resources: [...resources].filter((a) => !a.startsWith('data.')), outputs: [...outputs] };
}

export interface DeclaredOutput {
  name: string;
  value: unknown;
  sensitive: boolean;
  type: string;
}

const OUTPUT_OPEN = /^\s*output\s+"([^"]+)"\s*\{(.*)$/;

/** Body of each `output "name" { … }`: one-line blocks, or lines up to a closing brace at line start. */
function outputBlocks(text: string): [string, string][] {
  return blocks(text, OUTPUT_OPEN);
}

/** Body of each block `open` matches (`output "x" {`, `variable "x" {`). */
function blocks(text: string, opener: RegExp): [string, string][] {
  const lines = text.split(/\r?\n/);
  const blocks: [string, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]?.match(opener);
    if (!open) continue;
    const rest = open[2] ?? '';
    if (rest.includes('}')) {
      blocks.push([open[1] ?? '', rest.slice(0, rest.lastIndexOf('}'))]);
      continue;
    }
    const body: string[] = [rest];
    while (++i < lines.length && !/^\s*\}/.test(lines[i] ?? '')) body.push(lines[i] ?? '');
    blocks.push([open[1] ?? '', body.join('\n')]);
  }
  return blocks;
}

/** What an output's expression may refer to: input variables by name, and the resources the configuration declares. */
interface Scope {
  variables: Record<string, unknown>;
  resources: Set<string>;
}

/** A literal as Terraform stores it, or `undefined` when the text is not one. */
function literal(expression: string): unknown {
  try {
    return JSON.parse(expression);
  } catch {
    return undefined;
  }
}

/** A stable number for an address: the fake's stand-in for the id a provider would assign. */
function fakeId(address: string): string {
  let h = 2166136261;
  for (const c of address) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return String(1_000_000_000 + (h % 8_999_999_999));
}

/**
 * The value Terraform would store for an output's expression, as far as a fake can tell: literals, `var.x`
 * (run variable, workspace variable, or the declared default), a declared resource's attribute (a stable fake
 * id for `id`), and string templates of those. Anything else (a function call, arithmetic) is null: never the
 * expression's source text, which no real state holds.
 */
function evaluate(expression: string, scope: Scope): unknown {
  const text = expression.trim();
  const lit = literal(text);
  if (lit !== undefined && !(typeof lit === 'string' && /\$\{/.test(lit))) return lit;
  if (/^"[^"]*"$/.test(text)) {
    // A template: each `${…}` replaced by its value's text.
    return text.slice(1, -1).replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
      const v = evaluate(inner, scope);
      return v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  const variable = /^var\.([A-Za-z_][\w-]*)$/.exec(text);
  if (variable) return scope.variables[variable[1]!] ?? null;
  const ref = /^([A-Za-z][\w-]*)\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)$/.exec(text);
  if (ref && scope.resources.has(`${ref[1]}.${ref[2]}`)) {
    const address = `${ref[1]}.${ref[2]}`;
    return ref[3] === 'id'
      ? fakeId(address)
      : `${ref[2]}-${ref[3]}-${fakeId(`${address}.${ref[3]}`).slice(-6)}`;
  }
  return null;
}

const VARIABLE_OPEN = /^\s*variable\s+"([^"]+)"\s*\{(.*)$/;

/** `variable "x" { default = … }` defaults that are literals. */
function variableDefaults(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, body] of blocks(text, VARIABLE_OPEN)) {
    const d = body.match(/default\s*=\s*(.+?)\s*$/m);
    const v = d?.[1] === undefined ? undefined : literal(d[1]);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function typeOf(value: unknown): string {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'tuple';
  if (value !== null && typeof value === 'object') return 'object';
  return 'string';
}

/**
 * Outputs with their values, for the state version an apply leaves. `variables` are the values the run sees
 * (run variables over workspace variables); a variable's declared default fills in the rest.
 */
export function declaredOutputs(
  files: Map<string, Buffer> | null,
  workingDirectory: string | null,
  variables: Record<string, unknown> = {},
): DeclaredOutput[] {
  const out = new Map<string, DeclaredOutput>();
  const sources = tfSources(files, workingDirectory);
  const defaults = Object.assign({}, ...sources.map(variableDefaults)) as Record<string, unknown>;
  const scope: Scope = {
    variables: { ...defaults, ...variables },
    resources: new Set(declared(files, workingDirectory).resources),
  };
  for (const text of sources) {
    for (const [name, body] of outputBlocks(text)) {
      const inline = body.match(/value\s*=\s*(.+?)\s*$/m);
      const value = inline?.[1] === undefined ? null : evaluate(inline[1], scope);
      out.set(name, { name, value, sensitive: /sensitive\s*=\s*true/.test(body), type: typeOf(value) });
    }
  }
  return [...out.values()];
}
