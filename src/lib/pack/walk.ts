import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PackError, throwIfAborted } from './errors.js';
import { DEFAULT_IGNORE_RULES, evaluateIgnore, type IgnoreRule, parseTerraformIgnore } from './ignore.js';

/** One archive entry, as the walk finds it. */
export interface WalkEntry {
  /** Relative to the root, `/`-separated, directories ending in `/`: never absolute, never `..`. */
  name: string;
  /** Where it lives on disk. */
  absPath: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits only (`0o777`), as go-slug writes them. */
  mode: number;
  /** Whole seconds: what a ustar header holds. */
  mtime: Date;
  /** Bytes, for files; 0 otherwise. */
  size: number;
  /** The link's target as the archive stores it, for symlinks. */
  linkTarget?: string;
}

export interface WalkOptions {
  ignoreRules?: string[] | undefined;
  useTerraformIgnore?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface WalkRoot {
  /** The directory as given, made absolute (not resolved): symlink targets are judged against it. */
  root: string;
  /** The same directory with every symlink resolved, for absolute link targets. */
  realRoot: string;
  rules: readonly IgnoreRule[];
}

interface Frame {
  rel: string;
  abs: string;
  children: string[];
  next: number;
  /** `lstat` of the children, started a few ahead of the walk. */
  stats: (Promise<Stats> | undefined)[];
}

/** Siblings whose `lstat` runs ahead of the one being walked: one at a time left the walk waiting on each. */
const STAT_AHEAD = 32;

function statAhead(frame: Frame, index: number): Promise<Stats> {
  const end = Math.min(frame.children.length, index + STAT_AHEAD);
  for (let i = index; i < end; i++) {
    if (frame.stats[i] !== undefined) continue;
    const stat = lstat(path.join(frame.abs, frame.children[i] as string));
    // Observed on its turn; a failure until then must not surface as an unhandled rejection.
    stat.catch(() => {});
    frame.stats[i] = stat;
  }
  const stat = frame.stats[index] as Promise<Stats>;
  frame.stats[index] = undefined;
  return stat;
}

function readError(relPath: string, cause: unknown): PackError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PackError(`Cannot read ${relPath || '.'} while packing: ${reason}`, {
    code: 'READ_ERROR',
    path: relPath,
    cause,
  });
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** Checks the directory and gathers its rules: defaults, then `.terraformignore`, then the caller's. */
export async function openRoot(dir: string, options: WalkOptions): Promise<WalkRoot> {
  const root = path.resolve(dir);
  let info: Stats;
  try {
    info = await stat(root);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new PackError(`Cannot pack ${dir}: no such directory`, {
        code: 'NOT_FOUND',
        path: dir,
        cause: error,
      });
    }
    throw readError(dir, error);
  }
  if (!info.isDirectory()) {
    throw new PackError(`Cannot pack ${dir}: it is not a directory`, { code: 'NOT_A_DIRECTORY', path: dir });
  }
  const realRoot = await realpath(root);

  const rules: IgnoreRule[] = [];
  if (options.useTerraformIgnore !== false) {
    // go-slug puts its defaults before the file's rules, not instead of them: a file can only `!` them.
    rules.push(...DEFAULT_IGNORE_RULES);
    try {
      rules.push(...parseTerraformIgnore(await readFile(path.join(root, '.terraformignore'), 'utf8')));
    } catch (error) {
      // go-slug would warn and pack with the defaults; uploading what the user meant to hide is worse.
      if (errnoCode(error) !== 'ENOENT') throw readError('.terraformignore', error);
    }
  }
  if (options.ignoreRules !== undefined) rules.push(...parseTerraformIgnore(options.ignoreRules.join('\n')));
  return { root, realRoot, rules };
}

/** Orders siblings so that a depth-first walk yields entry names in sorted (UTF-8 byte) order. */
function sortKey(entry: Dirent): Buffer {
  return Buffer.from(entry.isDirectory() ? `${entry.name}/` : entry.name);
}

async function listChildren(abs: string, rel: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (error) {
    throw readError(rel, error);
  }
  return entries
    .map((entry) => ({ name: entry.name, key: sortKey(entry) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map((entry) => entry.name);
}

function isWithin(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function toSlash(p: string): string {
  return path.sep === '\\' ? p.replaceAll('\\', '/') : p;
}

/**
 * Judges a link lexically, as go-slug and the unpacker do; an absolute target inside the root is
 * rewritten relative, because go-slug's unpacker refuses every absolute target.
 */
function linkTargetFor(walk: WalkRoot, relPath: string, absPath: string, target: string): string {
  if (!path.isAbsolute(target)) {
    if (isWithin(walk.root, path.resolve(path.dirname(absPath), target))) return toSlash(target);
  } else {
    const resolved = path.resolve(target);
    for (const base of [walk.root, walk.realRoot]) {
      if (!isWithin(base, resolved)) continue;
      const linkDir = path.dirname(path.join(base, relPath));
      return toSlash(path.relative(linkDir, resolved)) || '.';
    }
  }
  throw new PackError(
    `Symlink ${relPath} points to ${target}, which is outside the directory being packed; ` +
      'TFE refuses such links: copy the target into the directory or remove the link.',
    { code: 'SYMLINK_OUTSIDE_ROOT', path: relPath, target },
  );
}

function wholeSeconds(info: Stats): Date {
  return new Date(Math.floor(info.mtimeMs / 1000) * 1000);
}

/**
 * Walks the tree lazily, one directory listing per level held at a time, and yields the entries
 * go-slug would pack, in sorted order. Excluded directories are still entered unless the rule
 * that excludes them is followed by no negation, because a later `!rule` may re-include below.
 */
export async function* walkTree(walk: WalkRoot, signal?: AbortSignal): AsyncGenerator<WalkEntry> {
  const frameOf = async (rel: string, abs: string): Promise<Frame> => ({
    rel,
    abs,
    children: await listChildren(abs, rel),
    next: 0,
    stats: [],
  });
  const stack: Frame[] = [await frameOf('', walk.root)];
  while (stack.length > 0) {
    throwIfAborted(signal);
    const frame = stack[stack.length - 1] as Frame;
    const index = frame.next++;
    const name = frame.children[index];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const rel = frame.rel === '' ? name : `${frame.rel}/${name}`;
    const abs = path.join(frame.abs, name);
    let info: Stats;
    try {
      info = await statAhead(frame, index);
    } catch (error) {
      throw readError(rel, error);
    }
    const enter = async (): Promise<void> => {
      stack.push(await frameOf(rel, abs));
    };

    // go-slug tests the bare path first and, if excluded, skips the entry but still walks below it.
    if (evaluateIgnore(rel, walk.rules).excluded) {
      if (info.isDirectory()) await enter();
      continue;
    }
    if (info.isDirectory()) {
      const verdict = evaluateIgnore(`${rel}/`, walk.rules);
      if (verdict.excluded) {
        if (!verdict.dominating) await enter();
        continue;
      }
      yield {
        name: `${rel}/`,
        absPath: abs,
        type: 'directory',
        mode: info.mode & 0o777,
        mtime: wholeSeconds(info),
        size: 0,
      };
      await enter();
    } else if (info.isFile()) {
      yield {
        name: rel,
        absPath: abs,
        type: 'file',
        mode: info.mode & 0o777,
        mtime: wholeSeconds(info),
        size: info.size,
      };
    } else if (info.isSymbolicLink()) {
      let target: string;
      try {
        target = await readlink(abs);
      } catch (error) {
        throw readError(rel, error);
      }
      const linkTarget = linkTargetFor(walk, rel, abs, target);
      yield {
        name: rel,
        absPath: abs,
        type: 'symlink',
        mode: info.mode & 0o777,
        mtime: wholeSeconds(info),
        size: 0,
        linkTarget,
      };
    }
    // Sockets, FIFOs and devices are skipped, as go-slug skips them.
  }
}
