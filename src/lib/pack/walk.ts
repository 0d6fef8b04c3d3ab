import type { Stats } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PackError, throwIfAborted } from './errors.js';
import { DEFAULT_IGNORE_RULES, evaluateIgnore, type IgnoreRule, parseTerraformIgnore } from './ignore.js';
import {
  dereference,
  directoryLoop,
  type LinkAt,
  linkInsideRoot,
  outsideRefused,
  type SymlinkMode,
} from './links.js';
import { type ChildName, displayPath, type FsPath, joinPath, readLinkTarget, readNames } from './names.js';

/** One archive entry, as the walk finds it. */
export interface WalkEntry {
  /**
   * Relative to the root, `/`-separated, directories ending in `/`: never absolute, never `..`. A name that is
   * not valid UTF-8 reads here with U+FFFD; {@link WalkEntry.rawName} holds its bytes.
   */
  name: string;
  /** The exact bytes of `name`, only when they are not valid UTF-8: what the archive stores. */
  rawName?: Buffer;
  /** Where it lives on disk; for a dereferenced link, where its target really is. */
  absPath: FsPath;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits only (`0o777`), as go-slug writes them. */
  mode: number;
  /** Whole seconds: what a ustar header holds. */
  mtime: Date;
  /** Bytes, for files; 0 otherwise. */
  size: number;
  /** The link's target as the archive stores it, for symlinks. */
  linkTarget?: FsPath;
  /** For a copy of what an outside symlink points to: the link's target as written. */
  dereferenced?: string;
}

/** An entry the walk leaves out, and why: the rule that decided, or none for a file type tar cannot hold. */
export interface WalkExclusion {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  rule: IgnoreRule | undefined;
  /** A directory left out with everything below it: no later `!` rule could bring anything back. */
  whole: boolean;
}

export interface WalkOptions {
  ignoreRules?: string[] | undefined;
  useTerraformIgnore?: boolean | undefined;
  signal?: AbortSignal | undefined;
  symlinks?: SymlinkMode | undefined;
}

export interface WalkRoot {
  /** The directory as given, made absolute (not resolved): symlink targets are judged against it. */
  root: string;
  /** The same directory with every symlink resolved, for absolute link targets. */
  realRoot: string;
  rules: readonly IgnoreRule[];
  symlinks: SymlinkMode;
  /** The root's device and inode, so a link leading back to it is seen. */
  id: string;
}

interface Frame {
  rel: string;
  /** `rel` as bytes, when some name on the way is not valid UTF-8. */
  rawRel: Buffer | undefined;
  abs: FsPath;
  /** Device and inode: a directory met again while it is being walked means a symlink loop. */
  id: string;
  /** The outside link this directory was reached through, when it was. */
  via: { rel: string; target: FsPath } | undefined;
  children: ChildName[];
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
    const child = frame.children[i] as ChildName;
    const stat = lstat(joinPath(frame.abs, child.name, child.raw));
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
  if (options.ignoreRules !== undefined) {
    rules.push(...parseTerraformIgnore(options.ignoreRules.join('\n'), 'ignoreRules'));
  }
  return { root, realRoot, rules, symlinks: options.symlinks ?? 'dereference', id: idOf(info) };
}

function idOf(info: Stats): string {
  return `${info.dev}:${info.ino}`;
}

/** Orders siblings so that a depth-first walk yields entry names in sorted (UTF-8 byte) order. */
function sortKey(child: ChildName): Buffer {
  const bytes = child.raw ?? Buffer.from(child.name);
  return child.isDirectory ? Buffer.concat([bytes, SLASH]) : bytes;
}

const SLASH = Buffer.from('/');

async function listChildren(abs: FsPath, rel: string): Promise<ChildName[]> {
  let children: ChildName[];
  try {
    children = await readNames(abs);
  } catch (error) {
    throw readError(rel, error);
  }
  return children
    .map((child) => ({ child, key: sortKey(child) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ child }) => child);
}

function wholeSeconds(info: Stats): Date {
  return new Date(Math.floor(info.mtimeMs / 1000) * 1000);
}

function entryOf(
  type: WalkEntry['type'],
  name: string,
  rawName: Buffer | undefined,
  absPath: FsPath,
  info: Stats,
): WalkEntry {
  const entry: WalkEntry = {
    name,
    absPath,
    type,
    mode: info.mode & 0o777,
    mtime: wholeSeconds(info),
    size: type === 'file' ? info.size : 0,
  };
  if (rawName !== undefined) entry.rawName = rawName;
  return entry;
}

/**
 * Walks the tree lazily, one directory listing per level held at a time, and yields the entries go-slug would
 * pack, in sorted order. Excluded directories are still entered unless the rule that excludes them is followed
 * by no negation, because a later `!rule` may re-include below. A symlink pointing outside is followed (or
 * refused) per `walk.symlinks`; every link below a followed directory is followed too, since its target as
 * written would mean something else at its place in the archive. `onExcluded` hears of each entry left out.
 */
export async function* walkTree(
  walk: WalkRoot,
  signal?: AbortSignal,
  onExcluded?: (exclusion: WalkExclusion) => void,
): AsyncGenerator<WalkEntry> {
  const stack: Frame[] = [];
  const push = async (frame: Omit<Frame, 'children' | 'next' | 'stats'>): Promise<void> => {
    const again = stack.find((open) => open.id === frame.id);
    if (again !== undefined && frame.via !== undefined)
      throw directoryLoop(frame.via, `${frame.rel}/`, again.rel);
    const children = await listChildren(frame.abs, shown(frame.rel, frame.rawRel));
    stack.push({ ...frame, children, next: 0, stats: [] });
  };
  const excluded = (name: string, type: WalkExclusion['type'], rule: IgnoreRule | undefined, whole = false) =>
    onExcluded?.({ name, type, rule, whole });
  await push({ rel: '', rawRel: undefined, abs: walk.root, id: walk.id, via: undefined });

  while (stack.length > 0) {
    throwIfAborted(signal);
    const frame = stack[stack.length - 1] as Frame;
    const index = frame.next++;
    const child = frame.children[index];
    if (child === undefined) {
      stack.pop();
      continue;
    }
    const rel = frame.rel === '' ? child.name : `${frame.rel}/${child.name}`;
    const rawRel =
      frame.rawRel === undefined && child.raw === undefined
        ? undefined
        : Buffer.concat([
            ...(frame.rel === '' ? [] : [frame.rawRel ?? Buffer.from(frame.rel), SLASH]),
            child.raw ?? Buffer.from(child.name),
          ]);
    let abs = joinPath(frame.abs, child.name, child.raw);
    let info: Stats;
    try {
      info = await statAhead(frame, index);
    } catch (error) {
      throw readError(shown(rel, rawRel), error);
    }
    const slashed = rawRel === undefined ? undefined : Buffer.concat([rawRel, SLASH]);

    // go-slug tests the bare path first and, if excluded, skips the entry but still walks below a directory.
    const bare = evaluateIgnore(rel, walk.rules);
    if (bare.excluded) {
      excluded(info.isDirectory() ? `${shown(rel, rawRel)}/` : shown(rel, rawRel), kindOf(info), bare.rule);
      if (info.isDirectory()) await push({ rel, rawRel, abs, id: idOf(info), via: frame.via });
      continue;
    }

    let via = frame.via;
    let dereferenced: string | undefined;
    if (info.isSymbolicLink()) {
      let target: FsPath;
      try {
        target = await readLinkTarget(abs);
      } catch (error) {
        throw readError(shown(rel, rawRel), error);
      }
      const link: LinkAt = { rel: shown(rel, rawRel), rawRel, abs, target };
      const inside = frame.via === undefined ? linkInsideRoot(walk.root, walk.realRoot, link) : undefined;
      if (inside !== undefined) {
        yield { ...entryOf('symlink', rel, rawRel, abs, info), linkTarget: inside };
        continue;
      }
      if (walk.symlinks === 'refuse') throw outsideRefused(link);
      const resolved = await dereference(link);
      abs = resolved.real;
      info = resolved.info;
      dereferenced = displayPath(target);
      via ??= { rel: link.rel, target };
    }

    if (info.isDirectory()) {
      const verdict = evaluateIgnore(`${rel}/`, walk.rules);
      const pushed = { rel, rawRel, abs, id: idOf(info), via };
      if (verdict.excluded) {
        excluded(`${shown(rel, rawRel)}/`, 'directory', verdict.rule, verdict.dominating);
        if (!verdict.dominating) await push(pushed);
        continue;
      }
      yield { ...entryOf('directory', `${rel}/`, slashed, abs, info), ...(dereferenced && { dereferenced }) };
      await push(pushed);
    } else if (info.isFile()) {
      yield { ...entryOf('file', rel, rawRel, abs, info), ...(dereferenced && { dereferenced }) };
    } else {
      // Sockets, FIFOs and devices are skipped, as go-slug skips them.
      excluded(shown(rel, rawRel), 'other', undefined);
    }
  }
}

/** A path for messages: its text, or its bytes with `\xNN` for those that are not valid UTF-8. */
function shown(rel: string, rawRel: Buffer | undefined): string {
  return rawRel === undefined ? rel : displayPath(rawRel);
}

function kindOf(info: Stats): WalkExclusion['type'] {
  if (info.isDirectory()) return 'directory';
  if (info.isFile()) return 'file';
  return info.isSymbolicLink() ? 'symlink' : 'other';
}
