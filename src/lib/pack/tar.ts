import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Header, type HeaderData, Pax } from 'tar';
import { PackError } from './errors.js';
import type { WalkEntry } from './walk.js';

const BLOCK = 512;
/** Bytes read from a file per chunk: the most one file holds in memory. */
const CHUNK = 64 * 1024;
const END_OF_ARCHIVE = 2 * BLOCK;
// O_NOFOLLOW: a file swapped for a symlink after the walk must not smuggle in what it points to.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

const TYPE_NAME = { file: 'File', directory: 'Directory', symlink: 'SymbolicLink' } as const;

/** A ustar header (preceded by a PAX one for long or non-ASCII names), with go-slug's fields only. */
export function encodeHeader(entry: WalkEntry): Buffer {
  const data: HeaderData = {
    path: entry.name,
    mode: entry.mode,
    // No owner: go-slug writes none, and a user name has no business in an upload.
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: entry.type === 'file' ? entry.size : 0,
    mtime: entry.mtime,
    type: TYPE_NAME[entry.type],
    linkpath: entry.linkTarget ?? '',
  };
  const header = new Header(data);
  const needPax = header.encode();
  const block = header.block as Buffer;
  if (!needPax) return block;
  const pax = new Pax({ path: entry.name, linkpath: entry.linkTarget, mtime: entry.mtime, size: data.size });
  return Buffer.concat([pax.encode(), block]);
}

function changed(entry: WalkEntry, how: string): PackError {
  return new PackError(`${entry.name} ${how} while it was being packed; pack again once it is stable`, {
    code: 'FILE_CHANGED',
    path: entry.name,
  });
}

function readFailed(entry: WalkEntry, cause: unknown): PackError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new PackError(`Cannot read ${entry.name} while packing: ${reason}`, {
    code: 'READ_ERROR',
    path: entry.name,
    cause,
  });
}

/** Header, contents in chunks read only when asked for, and padding of one regular file. */
async function* fileRecord(entry: WalkEntry): AsyncGenerator<Buffer> {
  // Only the file system calls are wrapped: an error thrown in at a `yield` (abort) must pass unchanged.
  const io = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw readFailed(entry, error);
    }
  };
  const handle = await io(() => open(entry.absPath, OPEN_FLAGS));
  try {
    const info = await io(() => handle.stat());
    if (!info.isFile()) throw changed(entry, 'stopped being a regular file');
    // The open file decides the size, so the header matches the bytes that follow it.
    const size = info.size;
    yield encodeHeader({ ...entry, size });
    let position = 0;
    while (position < size) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - position));
      const { bytesRead } = await io(() => handle.read(buffer, 0, buffer.length, position));
      if (bytesRead === 0) throw changed(entry, 'shrank');
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    const probe = await io(() => handle.read(Buffer.alloc(1), 0, 1, position));
    if (probe.bytesRead > 0) throw changed(entry, 'grew');
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  } finally {
    await handle.close();
  }
}

/** Files up to this size are read whole, ahead of their turn. */
const SMALL_FILE = CHUNK;
/** Entries walked (and small files read) ahead of the one being written: at most 16 × 64 KiB in memory. */
const READ_AHEAD = 16;

/** A small file's record in one buffer: header, contents, padding; opened, read and closed in one go. */
async function smallFileRecord(entry: WalkEntry): Promise<Buffer> {
  const io = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw readFailed(entry, error);
    }
  };
  const handle = await io(() => open(entry.absPath, OPEN_FLAGS));
  try {
    const info = await io(() => handle.stat());
    if (!info.isFile()) throw changed(entry, 'stopped being a regular file');
    const size = info.size;
    const header = encodeHeader({ ...entry, size });
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const record = Buffer.alloc(header.length + size + padding);
    header.copy(record);
    // One byte more than the file should hold: reading it means the file grew, with no extra read.
    const spare = Buffer.allocUnsafe(1);
    let position = 0;
    while (position < size) {
      const { bytesRead } = await io(() =>
        handle.read(record, header.length + position, size - position, position),
      );
      if (bytesRead === 0) throw changed(entry, 'shrank');
      position += bytesRead;
    }
    const probe = await io(() => handle.read(spare, 0, 1, position));
    if (probe.bytesRead > 0) throw changed(entry, 'grew');
    return record;
  } finally {
    await handle.close();
  }
}

/**
 * The uncompressed tar bytes of the entries, in order, produced about as fast as they are consumed: the walk
 * and the reading of small files run up to {@link READ_AHEAD} entries ahead (never past a large file), so the
 * disk and the compressor overlap instead of waiting on each other one file at a time. Large files are read
 * chunk by chunk on their turn.
 */
export async function* tarRecords(entries: AsyncIterable<WalkEntry>): AsyncGenerator<Buffer> {
  const queue: { entry: WalkEntry; record?: Promise<Buffer> }[] = [];
  const iterator = entries[Symbol.asyncIterator]();
  let walked = false;
  const isLargeFile = (entry: WalkEntry | undefined) => entry?.type === 'file' && entry.size > SMALL_FILE;
  const fill = async () => {
    // Never past a large file: what follows it is read once it is written, however long the consumer stalls.
    while (!walked && queue.length < READ_AHEAD && !isLargeFile(queue.at(-1)?.entry)) {
      const next = await iterator.next();
      if (next.done) {
        walked = true;
        break;
      }
      const entry = next.value;
      if (entry.type === 'file' && !isLargeFile(entry)) {
        const record = smallFileRecord(entry);
        // Observed on its turn; until then a failure must not surface as an unhandled rejection.
        record.catch(() => {});
        queue.push({ entry, record });
      } else {
        queue.push({ entry });
      }
    }
  };
  try {
    for (;;) {
      await fill();
      const head = queue.shift();
      if (head === undefined) break;
      if (head.record) yield await head.record;
      else if (head.entry.type === 'file') yield* fileRecord(head.entry);
      else yield encodeHeader(head.entry);
    }
  } finally {
    await iterator.return?.();
  }
  yield Buffer.alloc(END_OF_ARCHIVE);
}
