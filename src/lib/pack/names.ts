import { isUtf8 } from 'node:buffer';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * A path as the file system takes it: a string, or the raw bytes of a name that is not valid UTF-8 (possible on
 * Linux), which a string would turn into U+FFFD and so into a file that does not exist.
 */
export type FsPath = string | Buffer;

/** One name read from a directory. */
export interface ChildName {
  /** The name as text: what ignore rules match (an invalid byte reads as U+FFFD, as in go-slug's matching). */
  name: string;
  /** The exact bytes, only when they are not valid UTF-8. */
  raw?: Buffer;
  isDirectory: boolean;
}

const REPLACEMENT = '\uFFFD';

/** Lists a directory; names that are not valid UTF-8 keep their bytes (read again as bytes only then). */
export async function readNames(dir: FsPath): Promise<ChildName[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (!entries.some((entry) => entry.name.includes(REPLACEMENT))) {
    return entries.map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }));
  }
  const raw = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  return raw.map((entry) => {
    const bytes = Buffer.from(entry.name);
    const isDirectory = entry.isDirectory();
    return isUtf8(bytes)
      ? { name: bytes.toString(), isDirectory }
      : { name: bytes.toString(), raw: bytes, isDirectory };
  });
}

/** A link's target; its bytes when they are not valid UTF-8. */
export async function readLinkTarget(link: FsPath): Promise<FsPath> {
  const target = await readlink(link);
  if (!target.includes(REPLACEMENT)) return target;
  const bytes = await readlink(link, { encoding: 'buffer' });
  return isUtf8(bytes) ? bytes.toString() : bytes;
}

export function bytesOf(p: FsPath): Buffer {
  return typeof p === 'string' ? Buffer.from(p) : p;
}

/** `dir/name` on disk, staying a string unless either part is raw bytes. */
export function joinPath(dir: FsPath, name: string, raw: Buffer | undefined): FsPath {
  if (typeof dir === 'string' && raw === undefined) return path.join(dir, name);
  return Buffer.concat([bytesOf(dir), Buffer.from(path.sep), raw ?? Buffer.from(name)]);
}

/** A path for messages and listings: text, with each byte that is not valid UTF-8 written `\xNN`. */
export function displayPath(p: FsPath): string {
  if (typeof p === 'string') return p;
  let out = '';
  let i = 0;
  while (i < p.length) {
    const byte = p[i] as number;
    const length = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 0;
    const sequence = length > 0 ? p.subarray(i, i + length) : undefined;
    if (sequence !== undefined && sequence.length === length && isUtf8(sequence)) {
      out += sequence.toString();
      i += length;
    } else {
      out += `\\x${byte.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}
