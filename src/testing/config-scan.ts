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
  const lines = text.split(/\r?\n/);
  const blocks: [string, string][] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i]?.match(OUTPUT_OPEN);
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

/** A literal `value = …` is kept as Terraform would store it; any other expression as its source text. */
function literal(expression: string): unknown {
  try {
    return JSON.parse(expression);
  } catch {
    return expression;
  }
}

function typeOf(value: unknown): string {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'tuple';
  if (value !== null && typeof value === 'object') return 'object';
  return 'string';
}

/** Outputs with their values, for the state version an apply leaves. */
export function declaredOutputs(
  files: Map<string, Buffer> | null,
  workingDirectory: string | null,
): DeclaredOutput[] {
  const out = new Map<string, DeclaredOutput>();
  for (const text of tfSources(files, workingDirectory)) {
    for (const [name, body] of outputBlocks(text)) {
      const inline = body.match(/value\s*=\s*(.+?)\s*$/m);
      const value = inline?.[1] === undefined ? null : literal(inline[1]);
      out.set(name, { name, value, sensitive: /sensitive\s*=\s*true/.test(body), type: typeOf(value) });
    }
  }
  return [...out.values()];
}
