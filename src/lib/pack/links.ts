import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PackError } from './errors.js';
import { bytesOf, displayPath, type FsPath } from './names.js';

/** What to do with a symlink whose target lies outside the directory being packed. */
export type SymlinkMode = 'dereference' | 'refuse';

/** A symlink being packed: where it is, in the archive and on disk, and what it says. */
export interface LinkAt {
  /** In the archive, for messages. */
  rel: string;
  /** In the archive, as bytes, when the name is not valid UTF-8. */
  rawRel: Buffer | undefined;
  abs: FsPath;
  target: FsPath;
}

function isWithin(base: string, target: string): boolean {
  const rel = path.relative(base, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function toSlash(p: string): string {
  return path.sep === '\\' ? p.replaceAll('\\', '/') : p;
}

/**
 * The target to store when the link stays inside the root, judged lexically as go-slug and its unpacker do;
 * undefined when it points outside. An absolute target inside is stored relative: go-slug's unpacker refuses
 * every absolute target.
 */
function insideTarget(
  root: string,
  realRoot: string,
  rel: string,
  abs: string,
  target: string,
): string | undefined {
  if (!path.isAbsolute(target)) {
    return isWithin(root, path.resolve(path.dirname(abs), target)) ? toSlash(target) : undefined;
  }
  const resolved = path.resolve(target);
  for (const base of [root, realRoot]) {
    if (!isWithin(base, resolved)) continue;
    return toSlash(path.relative(path.dirname(path.join(base, rel)), resolved)) || '.';
  }
  return undefined;
}

/** {@link insideTarget} on raw bytes too: every part read as Latin-1, one character per byte, `/` kept. */
export function linkInsideRoot(root: string, realRoot: string, link: LinkAt): FsPath | undefined {
  const { abs, target } = link;
  if (typeof abs === 'string' && typeof target === 'string' && link.rawRel === undefined) {
    return insideTarget(root, realRoot, link.rel, abs, target);
  }
  const latin1 = (p: FsPath) => bytesOf(p).toString('latin1');
  const inside = insideTarget(
    latin1(root),
    latin1(realRoot),
    latin1(link.rawRel ?? link.rel),
    latin1(abs),
    latin1(target),
  );
  return inside === undefined ? undefined : Buffer.from(inside, 'latin1');
}

function linkError(link: LinkAt, code: 'SYMLINK_DANGLING' | 'SYMLINK_LOOP', why: string, cause: unknown) {
  const target = displayPath(link.target);
  return new PackError(
    `Symlink ${link.rel} points to ${target}, outside the directory being packed, ${why}: ` +
      'remove the link or exclude it in .terraformignore.',
    { code, path: link.rel, target, cause },
  );
}

/** A link pointing outside, refused because the caller asked for `symlinks: 'refuse'`. */
export function outsideRefused(link: LinkAt): PackError {
  const target = displayPath(link.target);
  return new PackError(
    `Symlink ${link.rel} points to ${target}, outside the directory being packed, and symlinks are set to ` +
      "'refuse': copy the target into the directory, remove or exclude the link, or pack with symlinks " +
      "'dereference' (the default, as Terraform packs).",
    { code: 'SYMLINK_OUTSIDE_ROOT', path: link.rel, target },
  );
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** What an outside link leads to, every link on the way followed: its real path and what is there. */
export interface Dereferenced {
  real: FsPath;
  info: Stats;
}

/**
 * Follows an outside link as go-slug does when Terraform packs (to the end of a chain of links); a target that
 * is missing, or a chain that comes back on itself, is a PackError naming the link (go-slug fails on the first
 * and never returns from the second).
 */
export async function dereference(link: LinkAt): Promise<Dereferenced> {
  try {
    const real: FsPath =
      typeof link.abs === 'string'
        ? await realpath(link.abs)
        : await realpath(link.abs, { encoding: 'buffer' });
    return { real, info: await stat(real) };
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw linkError(link, 'SYMLINK_DANGLING', 'which does not exist', error);
    }
    if (code === 'ELOOP') {
      throw linkError(link, 'SYMLINK_LOOP', 'through links that lead back to themselves', error);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new PackError(`Cannot follow symlink ${link.rel} while packing: ${reason}`, {
      code: 'READ_ERROR',
      path: link.rel,
      cause: error,
    });
  }
}

/** A dereferenced directory that contains itself (e.g. a link to `..`): walking it would never end. */
export function directoryLoop(via: { rel: string; target: FsPath }, at: string, again: string): PackError {
  const target = displayPath(via.target);
  return new PackError(
    `Symlink ${via.rel} points to ${target}, outside the directory being packed; following it reaches ` +
      `${again === '' ? 'the directory being packed' : `${again}/`} again at ${at}, so dereferencing it would never ` +
      "end: remove the link, exclude it in .terraformignore, or pack with symlinks 'refuse'.",
    { code: 'SYMLINK_LOOP', path: via.rel, target },
  );
}
