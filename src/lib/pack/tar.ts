import { close, constants, fstat, open, read } from 'node:fs';
import { promisify } from 'node:util';
import { Header, type HeaderData, Pax } from 'tar';
import { PackError } from './errors.js';
import { bytesOf, displayPath } from './names.js';
import type { WalkEntry } from './walk.js';

const BLOCK = 512;
/** Bytes read from a large file per chunk: the most one file holds in memory. */
const CHUNK = 256 * 1024;
/** Files up to this size are read whole, ahead of their turn. */
const SMALL_FILE = 64 * 1024;
/** Headers and small files are joined into writes of up to this size: each write is a round trip to zlib. */
const BATCH = 256 * 1024;
const END_OF_ARCHIVE = 2 * BLOCK;
// O_NOFOLLOW: a file swapped for a symlink after the walk must not smuggle in what it points to.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

// File descriptors, not FileHandles: a FileHandle costs about as much as reading a small file.
const openFile = promisify(open);
const statFile = promisify(fstat);
const readAt = promisify(read);
const closeFile = promisify(close);

const TYPE_NAME = { file: 'File', directory: 'Directory', symlink: 'SymbolicLink' } as const;

/** A ustar header (preceded by a PAX one for long or non-ASCII names), with go-slug's fields only. */
export function encodeHeader(entry: WalkEntry): Buffer {
  const linkTarget = entry.linkTarget;
  const raw = entry.rawName !== undefined || Buffer.isBuffer(linkTarget);
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
    linkpath: linkTarget === undefined ? '' : linkTarget.toString(),
  };
  const header = new Header(data);
  const needPax = header.encode();
  const block = header.block as Buffer;
  if (raw) return Buffer.concat([rawPaxHeader(entry, data), block]);
  if (!needPax) return block;
  const pax = new Pax({ path: entry.name, linkpath: data.linkpath, mtime: entry.mtime, size: data.size });
  return Buffer.concat([pax.encode(), block]);
}

/** One PAX record, `<length> <key>=<value>\n`, where the length counts its own digits. */
function paxRecord(key: string, value: Buffer): Buffer {
  const rest = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let length = rest.length;
  while (rest.length + String(length).length !== length) length = rest.length + String(length).length;
  return Buffer.concat([Buffer.from(String(length)), rest]);
}

/** The largest size a ustar header holds in octal; beyond it the size goes in the PAX header too. */
const USTAR_MAX_SIZE = 8 ** 11 - 1;

/**
 * A PAX header carrying a name (or link target) that is not valid UTF-8 as its bytes, as go-slug's Go tar writer
 * does: node-tar writes PAX values as text, which would turn those bytes into U+FFFD.
 */
function rawPaxHeader(entry: WalkEntry, data: HeaderData): Buffer {
  const records = [paxRecord('path', entry.rawName ?? Buffer.from(entry.name))];
  if (entry.linkTarget !== undefined) records.push(paxRecord('linkpath', bytesOf(entry.linkTarget)));
  const size = data.size ?? 0;
  if (size > USTAR_MAX_SIZE) records.push(paxRecord('size', Buffer.from(String(size))));
  const body = Buffer.concat(records);
  const header = new Header({
    path: 'PaxHeader/entry',
    mode: 0o644,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: body.length,
    mtime: entry.mtime,
    type: 'ExtendedHeader',
  });
  header.encode();
  return Buffer.concat([header.block as Buffer, body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK)]);
}

function changed(entry: WalkEntry, how: string): PackError {
  const name = displayPath(entry.rawName ?? entry.name);
  return new PackError(`${name} ${how} while it was being packed; pack again once it is stable`, {
    code: 'FILE_CHANGED',
    path: name,
  });
}

function readFailed(entry: WalkEntry, cause: unknown): PackError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const name = displayPath(entry.rawName ?? entry.name);
  return new PackError(`Cannot read ${name} while packing: ${reason}`, {
    code: 'READ_ERROR',
    path: name,
    cause,
  });
}

/** Runs a file system call, reporting its failure as the entry's READ_ERROR. */
async function io<T>(entry: WalkEntry, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw readFailed(entry, error);
  }
}

/** The open file's size, which decides the header, so the header matches the bytes that follow it. */
async function sizeOf(entry: WalkEntry, fd: number): Promise<number> {
  const info = await io(entry, () => statFile(fd));
  if (!info.isFile()) throw changed(entry, 'stopped being a regular file');
  return info.size;
}

/** Header, contents in chunks read only when asked for, and padding of one large regular file. */
async function* fileRecord(entry: WalkEntry): AsyncGenerator<Buffer> {
  // Only the file system calls are wrapped: an error thrown in at a `yield` (abort) must pass unchanged.
  const fd = await io(entry, () => openFile(entry.absPath, OPEN_FLAGS));
  try {
    const size = await sizeOf(entry, fd);
    yield encodeHeader({ ...entry, size });
    let position = 0;
    while (position < size) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - position));
      const { bytesRead } = await io(entry, () => readAt(fd, buffer, 0, buffer.length, position));
      if (bytesRead === 0) throw changed(entry, 'shrank');
      position += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    const probe = await io(entry, () => readAt(fd, Buffer.alloc(1), 0, 1, position));
    if (probe.bytesRead > 0) throw changed(entry, 'grew');
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  } finally {
    await closeFile(fd);
  }
}

/** Entries walked (and small files read) ahead of the one being written: at most 16 × 64 KiB in memory. */
const READ_AHEAD = 16;

/** A small file's record in one buffer: header, contents, padding; opened, read and closed in one go. */
async function smallFileRecord(entry: WalkEntry): Promise<Buffer> {
  const fd = await io(entry, () => openFile(entry.absPath, OPEN_FLAGS));
  try {
    const size = await sizeOf(entry, fd);
    const header = encodeHeader({ ...entry, size });
    const length = header.length + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    // A block more than the record: room for the one byte beyond the file's size that says it grew.
    const record = Buffer.alloc(length + BLOCK);
    header.copy(record);
    let position = 0;
    // Asks for size + 1 bytes, so a file that has not changed is read in one call that comes up a byte short.
    for (;;) {
      const { bytesRead } = await io(entry, () =>
        readAt(fd, record, header.length + position, size + 1 - position, position),
      );
      position += bytesRead;
      if (position > size) throw changed(entry, 'grew');
      if (position === size) return record.subarray(0, length);
      if (bytesRead === 0) throw changed(entry, 'shrank');
    }
  } finally {
    await closeFile(fd);
  }
}

/**
 * The uncompressed tar bytes of the entries, in order, produced about as fast as they are consumed: the walk
 * and the reading of small files run up to {@link READ_AHEAD} entries ahead (never past a large file), so the
 * disk and the compressor overlap instead of waiting on each other one file at a time. Large files are read
 * chunk by chunk on their turn. Headers and small files come joined into buffers of up to {@link BATCH} bytes.
 */
export async function* tarRecords(entries: AsyncIterable<WalkEntry>): AsyncGenerator<Buffer> {
  let batch = Buffer.allocUnsafe(BATCH);
  let used = 0;
  for await (const piece of records(entries)) {
    if (used > 0 && (piece.length >= SMALL_FILE || used + piece.length > BATCH)) {
      yield batch.subarray(0, used);
      batch = Buffer.allocUnsafe(BATCH);
      used = 0;
    }
    if (piece.length >= SMALL_FILE) yield piece;
    else used += piece.copy(batch, used);
  }
  if (used > 0) yield batch.subarray(0, used);
}

/** The records of {@link tarRecords}, one piece per header, small file, or large file's chunk. */
async function* records(entries: AsyncIterable<WalkEntry>): AsyncGenerator<Buffer> {
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
