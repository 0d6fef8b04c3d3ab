// `.tfvars` files in HCL, read by hashicorp/hcl itself (compiled to WebAssembly in @cdktn/hcl2json) and loaded only
// when such a file is given: starting the parser costs a fraction of a second that no other command should pay.
// Terraform evaluates each attribute of the file with no variables and no functions (`expr.Value(nil)`); the Runs
// API takes HCL literals only (run.mdx), so every value is checked to be a literal on the syntax tree and rebuilt
// from it: numbers as written (arbitrary precision), strings decoded by the parser. Anything else is refused by name.
import { hclString, UsageError } from './args.js';
import type { RunVariable } from './run-variables.js';

/** The part of @cdktn/hcl2json used here (its own typings would pull the DOM library into the whole build). */
interface Hcl2Json {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
  getExpressionAst(filename: string, expression: string): Promise<AstNode | null>;
}

/** A node of getExpressionAst's tree; `type` is '' for nodes it does not name (object keys, parentheses). */
interface AstNode {
  type: string;
  children: AstNode[];
  range: { start: { line: number; byte: number }; end: { line: number; byte: number } };
  meta?: {
    value?: string;
    type?: string;
    operator?: string;
    name?: string;
    traversal?: Array<{ type: string; segment?: string }>;
  };
}

/** A literal whose strings are filled in once the parser has decoded them all. */
type Literal = (strings: readonly string[]) => string;

let parser: Promise<Hcl2Json> | undefined;

/** Loads the parser once; the `as string` keeps its typings out while the bundlers still see the literal name. */
function loadParser(): Promise<Hcl2Json> {
  parser ??= import('@cdktn/hcl2json' as string).then(
    (mod: { default?: Hcl2Json } & Hcl2Json) => mod.default ?? mod,
  );
  return parser;
}

// The file's body is read as one object expression, with a first item so that a first attribute named `for` is not
// taken for a for expression. It keeps the file's line numbers: the tree counts lines from 0, the file from 1.
const WRAP_START = '{"" = null\n';
const AST_FILE = 'tfvars';

/**
 * The variables of a `.tfvars` file in HCL, in file order, each value as the HCL literal Terraform reads back to
 * the same value. Syntax errors, blocks and non-literal values are usage errors that name the file and line; none
 * quotes a value from the file.
 */
export async function hclFileVariables(file: string, text: string, command: string): Promise<RunVariable[]> {
  let hcl: Hcl2Json;
  try {
    hcl = await loadParser();
  } catch (err) {
    parser = undefined;
    throw new Error(
      `--var-file ${file}: the HCL parser (@cdktn/hcl2json) did not load (${(err as Error).message}). Reinstall tfe-client, or convert the file to .tfvars.json.`,
    );
  }
  // Terraform's own parse of the file (hclsyntax.ParseConfig), for its syntax errors and positions.
  let top: Record<string, unknown> | undefined;
  try {
    top = await hcl.parse(file, text);
  } catch (err) {
    const message = (err as Error).message;
    if (message.startsWith('parse config: ')) throw syntaxError(file, message, command);
    // Only blocks fail the conversion after a clean parse: the syntax tree below names them.
  }
  // A byte order mark is skipped at the start of a file only (as the parser does), not inside the wrapper.
  const wrapped = `${WRAP_START}${text.replace(/^\uFEFF/, '')}\n}`;
  let tree: AstNode | null;
  try {
    tree = await hcl.getExpressionAst(AST_FILE, wrapped);
  } catch (err) {
    throw blockError(file, text, wrapped, (err as Error).message, command);
  }
  const reader = new LiteralReader(file, Buffer.from(wrapped), command);
  const variables = reader.attributes(tree);
  const names = new Set(variables.map((v) => v.key));
  if (!top || Object.keys(top).length !== names.size || !Object.keys(top).every((k) => names.has(k))) {
    throw new Error(
      `--var-file ${file}: the parser's two readings of the file disagree (a tfe bug): not sent.`,
    );
  }
  const strings = await reader.decode(hcl);
  return variables.map(({ key, literal }) => ({ key, value: literal(strings) }));
}

/** The parser's first syntax error, as Terraform shows it (file:line,column: summary; detail). */
function syntaxError(file: string, message: string, command: string): UsageError {
  const diags = message.replace(/^parse config: \[/, '').replace(/\]$/, '');
  // Each diagnostic starts with the file name and its position.
  const starts = [...diags.matchAll(new RegExp(` (?=${escapeRegExp(file)}:\\d+,)`, 'g'))].map((m) => m.index);
  const first = starts.length ? diags.slice(0, starts[0]) : diags;
  const more = starts.length ? ` (and ${starts.length} more)` : '';
  return new UsageError(`--var-file ${first}${more}`, command);
}

/** A body Terraform parses but an object expression does not holds a block (Terraform: "Unexpected block"). */
function blockError(
  file: string,
  text: string,
  wrapped: string,
  message: string,
  command: string,
): UsageError {
  // The message starts with the whole input (the file's values): only what follows it is used.
  const prefix = `getExpressionAst errors on input string '${wrapped}': `;
  const diag = message.startsWith(prefix) ? message.slice(prefix.length) : '';
  const line = Number(new RegExp(`^${AST_FILE}:(\\d+),`).exec(diag)?.[1] ?? 0);
  const source = text.split(/\r?\n/)[line - 1] ?? '';
  const block = /^\s*([A-Za-z_][\w-]*)\s*("([^"]*)"\s*)*\{/.exec(source);
  if (!line || !block) {
    return new UsageError(
      `--var-file ${file}${line ? `:${line}` : ''} could not be read as name = value lines, the only content a variables file has.`,
      command,
    );
  }
  const label = /^\s*variable\s+"([^"]+)"/.exec(source)?.[1];
  if (block[1] === 'variable' && label) {
    return new UsageError(
      `--var-file ${file}:${line}: a variable block declares a variable, and a .tfvars file only assigns values to variables declared in .tf files: write ${label} = <value> (Terraform: "Variable declaration in .tfvars file").`,
      command,
    );
  }
  return new UsageError(
    `--var-file ${file}:${line}: "${block[1]}" is a block, and a variables file holds only name = value lines (Terraform: Unexpected "${block[1]}" block; Blocks are not allowed here).`,
    command,
  );
}

/** Rebuilds each attribute's value as an HCL literal from the syntax tree, refusing anything that is not one. */
class LiteralReader {
  /** Quoted strings, heredocs and number keys, as written: the parser decodes them all at once. */
  private readonly sources: Array<{ source: string; key: boolean }> = [];

  constructor(
    private readonly file: string,
    private readonly wrapped: Buffer,
    private readonly command: string,
  ) {}

  /** The file's attributes: the wrapping object's items after the first. */
  attributes(tree: AstNode | null): Array<{ key: string; literal: Literal }> {
    if (tree?.type !== 'object' || tree.children.length % 2 !== 0) {
      throw new Error(
        `--var-file ${this.file}: the parser returned no attribute list (a tfe bug): not sent.`,
      );
    }
    const out: Array<{ key: string; literal: Literal }> = [];
    for (let i = 2; i < tree.children.length; i += 2) {
      const key = this.sourceOf(tree.children[i]!);
      out.push({ key, literal: this.literal(tree.children[i + 1]!, key) });
    }
    return out;
  }

  /** Decodes the strings and keys collected, as the parser reads them. */
  async decode(hcl: Hcl2Json): Promise<string[]> {
    if (!this.sources.length) return [];
    const body = this.sources
      .map(({ source, key }, i) => `v${i} = ${key ? `{${source} = null}` : source}\n`)
      .join('');
    const decoded = await hcl.parse(AST_FILE, body);
    return this.sources.map(({ key }, i) => {
      const value = decoded[`v${i}`];
      const text = key && value && typeof value === 'object' ? Object.keys(value)[0] : value;
      if (typeof text !== 'string') {
        throw new Error(`--var-file ${this.file}: a string did not decode (a tfe bug): not sent.`);
      }
      // hcl2json writes a literal `${` as `$${` and `%{` as `%%{` (its output is template text): undo exactly that.
      // Only literal strings get here, so every `${` it wrote is one of those.
      return text.replace(/\$(?=\$\{)/g, '').replace(/%(?=%\{)/g, '');
    });
  }

  private literal(node: AstNode, name: string): Literal {
    switch (node.type) {
      case 'literalValue':
        return this.scalar(node, name);
      case 'unaryOp': {
        const [operand] = node.children;
        if (node.meta?.operator !== 'negate' || operand?.type !== 'literalValue') break;
        if (operand.meta?.type !== 'number') break;
        const number = this.scalar(operand, name);
        return (s) => `-${number(s)}`;
      }
      case 'template': {
        if (!node.children.every((c) => c.type === 'literalValue')) break;
        const index = this.collect(node.meta?.value, false);
        return (s) => hclString(s[index]!);
      }
      case 'tuple': {
        const items = node.children.map((c) => this.literal(c, name));
        return (s) => `[${items.map((item) => item(s)).join(', ')}]`;
      }
      case 'object': {
        const items: Array<[Literal, Literal]> = [];
        for (let i = 0; i + 1 < node.children.length; i += 2) {
          items.push([this.key(node.children[i]!, name), this.literal(node.children[i + 1]!, name)]);
        }
        return (s) => `{${items.map(([k, v]) => `${k(s)} = ${v(s)}`).join(', ')}}`;
      }
    }
    throw this.refusal(node, name);
  }

  /** A number exactly as written (HCL numbers have arbitrary precision), true, false or null. */
  private scalar(node: AstNode, name: string): Literal {
    const text = node.meta?.value ?? '';
    const ok =
      (node.meta?.type === 'number' && /^[0-9][0-9.eE+-]*$/.test(text)) ||
      (node.meta?.type === 'bool' && (text === 'true' || text === 'false')) ||
      (node.meta?.type === 'dynamic' && text === 'null');
    if (!ok) throw this.refusal(node, name);
    return () => text;
  }

  /** An object key: a name or keyword (the key is its text), a quoted string, or a number Terraform turns into one. */
  private key(node: AstNode, name: string): Literal {
    const [inner, ...rest] = node.children;
    if (!inner) {
      const text = this.sourceOf(node);
      return () => hclString(text);
    }
    if (rest.length) throw this.refusal(node, name);
    if (inner.type === 'literalValue' && inner.meta?.type === 'number') {
      const index = this.collect(inner.meta.value, true);
      return (s) => hclString(s[index]!);
    }
    if (inner.type !== 'template') throw this.refusal(inner, name);
    return this.literal(inner, name);
  }

  private collect(source: string | undefined, key: boolean): number {
    if (!source)
      throw new Error(`--var-file ${this.file}: a value without source text (a tfe bug): not sent.`);
    return this.sources.push({ source, key }) - 1;
  }

  /** The text a node spans in the wrapped file (ranges count UTF-8 bytes). */
  private sourceOf(node: AstNode): string {
    return this.wrapped.subarray(node.range.start.byte, node.range.end.byte).toString('utf8');
  }

  /** Why a value is not a literal, in Terraform's words where Terraform refuses it too. */
  private refusal(node: AstNode, name: string): UsageError {
    // Names inside a for expression are its own: such a value is an expression, whatever it refers to.
    const local = find(node, 'for');
    const reference = local ? undefined : find(node, 'scopeTraversal');
    const call = local ? undefined : find(node, 'function');
    const at = reference ?? call ?? node;
    const where = `--var-file ${this.file}:${at.range.start.line}: ${name}`;
    if (reference) {
      const names = (reference.meta?.traversal ?? []).filter((t) => t.type === 'nameTraversal').slice(0, 2);
      return new UsageError(
        `${where} refers to ${names.map((t) => t.segment).join('.') || 'a variable'}, and a variables file holds values only (Terraform: "Variables not allowed"). Write the value itself.`,
        this.command,
      );
    }
    if (call) {
      return new UsageError(
        `${where} calls ${call.meta?.name ?? 'a function'}(), and a variables file holds values only (Terraform: "Function calls not allowed"). Write the value it returns.`,
        this.command,
      );
    }
    return new UsageError(
      `${where} is an expression, not a literal value. Run variables are sent as HCL literals (the Runs API takes nothing else), so write the value it stands for.`,
      this.command,
    );
  }
}

/** The first node of a type in a subtree, depth first. */
function find(node: AstNode, type: string): AstNode | undefined {
  if (node.type === type) return node;
  for (const child of node.children) {
    const found = find(child, type);
    if (found) return found;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
