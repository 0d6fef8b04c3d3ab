/**
 * `.terraformignore` rules with the semantics of Terraform's own packer (hashicorp/go-slug):
 * a pattern is anchored to the root only with a leading `/`, otherwise it matches at any depth
 * (even when it contains a `/`); a trailing `/` matches a directory and everything below it;
 * `*` and `?` never cross `/`; `**` crosses any number of directories; `!` re-includes; the
 * last matching rule wins. Rules and paths are compared in Unicode NFC, as go-slug compares them,
 * so a name macOS wrote decomposed (NFD) matches a rule typed composed, and the other way round.
 */

/** Where a rule came from: go-slug's built-in defaults, the root's `.terraformignore`, or the `ignoreRules` option. */
export type IgnoreRuleSource = 'default' | '.terraformignore' | 'ignoreRules';

/** One parsed line of a `.terraformignore` file. */
export interface IgnoreRule {
  /** The line as written, trimmed, without its leading `!`. */
  readonly pattern: string;
  /** A `!pattern` line: re-includes what earlier rules excluded. */
  readonly negated: boolean;
  /** Must match a whole relative path in NFC (a directory is also tested with a trailing `/`). */
  readonly regex: RegExp;
  readonly source: IgnoreRuleSource;
  /** 1-based line in `.terraformignore`, position in `ignoreRules`, or in {@link DEFAULT_IGNORE_PATTERNS}. */
  readonly line: number;
}

/** What the rules decide for one path. */
export interface IgnoreVerdict {
  excluded: boolean;
  /** Excluded by a rule no negation follows, so nothing below a directory can be re-included. */
  dominating: boolean;
  /** The last rule that matched, which decided; undefined when none matched. */
  rule: IgnoreRule | undefined;
}

/** The rules go-slug applies before any `.terraformignore` line, as they would be written in the file. */
// In go-slug's order: `.git/` last, after the only negation, so it excludes `.git` without walking it.
export const DEFAULT_IGNORE_PATTERNS: readonly string[] = Object.freeze([
  '.terraform/',
  '!.terraform/modules/',
  '.git/',
]);

/**
 * Parses `.terraformignore` text: blank lines and `#` comments are skipped, every other line is a rule.
 * A whitespace-only line and a lone `!` are skipped too (go-slug panics on both).
 */
export function parseTerraformIgnore(
  text: string,
  source: IgnoreRuleSource = '.terraformignore',
): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split('\n').forEach((raw, index) => {
    // go-slug trims both ends (so also a CRLF's `\r`), then looks for `#` and `!`.
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    if (line === '') return;
    let glob = toNFC(line);
    glob = glob.endsWith('/') ? `${glob}**` : glob;
    glob = glob.startsWith('/') ? glob.slice(1) : `**/${glob}`;
    rules.push(Object.freeze({ pattern: line, negated, regex: globToRegExp(glob), source, line: index + 1 }));
  });
  return rules;
}

/** NFC, skipping the work for plain ASCII (which NFC leaves alone): most paths are ASCII. */
function toNFC(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is the point.
  return /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFC');
}

/** The default rules, parsed: `.git/` and `.terraform/` are skipped, `.terraform/modules/` kept. */
export const DEFAULT_IGNORE_RULES: readonly IgnoreRule[] = Object.freeze(
  parseTerraformIgnore(DEFAULT_IGNORE_PATTERNS.join('\n'), 'default'),
);

/**
 * Whether the packer leaves out the entry for `relPath` (relative to the root, `/`-separated).
 * For a directory this decides only its own entry: what lies below is decided path by path,
 * so `.terraform/` can be left out while `.terraform/modules/` is packed.
 */
export function isIgnored(relPath: string, isDir: boolean, rules: readonly IgnoreRule[]): boolean {
  const path = relPath.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (evaluateIgnore(path, rules).excluded) return true;
  return isDir && evaluateIgnore(`${path}/`, rules).excluded;
}

const negationFollows = new WeakMap<readonly IgnoreRule[], boolean[]>();

function negationsAfter(rules: readonly IgnoreRule[]): boolean[] {
  let after = negationFollows.get(rules);
  if (after === undefined) {
    after = new Array<boolean>(rules.length);
    let seen = false;
    for (let i = rules.length - 1; i >= 0; i--) {
      after[i] = seen;
      if (rules[i]?.negated) seen = true;
    }
    negationFollows.set(rules, after);
  }
  return after;
}

/** Applies every rule in order to one path (compared in NFC); the last rule that matches decides. */
export function evaluateIgnore(path: string, rules: readonly IgnoreRule[]): IgnoreVerdict {
  const after = negationsAfter(rules);
  const normalized = toNFC(path);
  let excluded = false;
  let dominating = false;
  let decided: IgnoreRule | undefined;
  rules.forEach((rule, i) => {
    if (!rule.regex.test(normalized)) return;
    excluded = !rule.negated;
    dominating = excluded && !after[i];
    decided = rule;
  });
  return { excluded, dominating, rule: decided };
}

const NEVER = /(?!)/u;

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/u.test(ch) ? `\\${ch}` : ch;
}

/** Translates a glob the way go-slug does (`**` then `/` → any directories, trailing `**` → anything). */
function globToRegExp(glob: string): RegExp {
  const chars = Array.from(glob);
  let source = '^';
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] as string;
    if (ch === '*' && chars[i + 1] === '*') {
      i += 2;
      if (chars[i] === '/') i++;
      source += i >= chars.length ? '.*' : '(?:.*/)?';
    } else if (ch === '*') {
      source += '[^/]*';
      i++;
    } else if (ch === '?') {
      source += '[^/]';
      i++;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      source += next === undefined ? '\\\\' : escapeRegExp(next);
      i += next === undefined ? 1 : 2;
    } else if (ch === '[') {
      const cls = bracketClass(chars, i);
      source += cls?.source ?? '\\[';
      i = cls?.end ?? i + 1;
    } else {
      source += escapeRegExp(ch);
      i++;
    }
  }
  try {
    return new RegExp(`${source}$`, 'u');
  } catch {
    // go-slug drops a rule it cannot compile (e.g. `[z-a]`): it matches nothing.
    return NEVER;
  }
}

/** `[abc]`, `[a-z]`, `[!a]` / `[^a]`; undefined when unterminated, so the `[` is literal. */
function bracketClass(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (chars[i] === '!' || chars[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < chars.length) {
    const ch = chars[i] as string;
    if (ch === ']' && !first) {
      // A negated class must not match `/`, as `*` and `?` do not.
      return { source: negate ? `[^/${body}]` : `[${body}]`, end: i + 1 };
    }
    if (ch === '\\' && i + 1 < chars.length) {
      const next = chars[i + 1] as string;
      body += '\\^-[]/'.includes(next) ? `\\${next}` : next;
      i += 2;
    } else {
      body += ch === '\\' || ch === '[' || ch === ']' || ch === '^' || ch === '/' ? `\\${ch}` : ch;
      i++;
    }
    first = false;
  }
  return undefined;
}
