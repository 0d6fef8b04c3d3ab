import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { t as listTar } from 'tar';
import { afterEach, expect } from 'vitest';
import { PackError } from '../../../src/lib/pack/index.js';

/** A file's text, `{ dir: true }` for an empty directory, `{ link }` for a symlink, or bytes with a mode. */
export type TreeNode = string | { dir: true } | { link: string } | { content: string | Buffer; mode: number };

/** Temporary directories under os.tmpdir(), removed after each test of the file that calls this. */
export function useTempDirs(): { tree: (spec: Record<string, TreeNode>) => Promise<Tree> } {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async tree(spec) {
      const base = await mkdtemp(path.join(tmpdir(), 'tfe-pack-'));
      made.push(base);
      const root = path.join(base, 'root');
      await mkdir(root);
      for (const [rel, node] of Object.entries(spec)) {
        const abs = path.join(root, rel);
        await mkdir(path.dirname(abs), { recursive: true });
        if (typeof node === 'string') await writeFile(abs, node);
        else if ('dir' in node) await mkdir(abs, { recursive: true });
        else if ('link' in node) await symlink(node.link, abs);
        else await writeFile(abs, node.content, { mode: node.mode });
      }
      return { base, root };
    },
  };
}

export interface Tree {
  /** The temporary directory holding `root`: a place outside the packed tree. */
  base: string;
  /** The directory to pack. */
  root: string;
}

export interface ArchiveEntry {
  path: string;
  type: string;
  linkpath: string | undefined;
  mode: number | undefined;
  mtime: Date | undefined;
  uid: number | undefined;
  uname: string | undefined;
  content: Buffer;
}

export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Reads a .tar.gz with node-tar's `t` (list), keeping every entry's header and contents. */
export async function readArchive(stream: NodeJS.ReadableStream): Promise<ArchiveEntry[]> {
  const bytes = await collect(stream);
  const entries: ArchiveEntry[] = [];
  const parser = listTar({
    onReadEntry(entry) {
      const record: ArchiveEntry = {
        path: entry.path,
        type: entry.type,
        linkpath: entry.linkpath,
        mode: entry.mode,
        mtime: entry.mtime,
        uid: entry.uid,
        uname: entry.uname,
        content: Buffer.alloc(0),
      };
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        record.content = Buffer.concat(chunks);
      });
      entries.push(record);
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(bytes);
  });
  return entries;
}

export async function entryNames(stream: NodeJS.ReadableStream): Promise<string[]> {
  return (await readArchive(stream)).map((entry) => entry.path);
}

/** An entry read straight from the tar bytes, with its name and link target as bytes (PAX records applied). */
export interface RawEntry {
  path: Buffer;
  type: string;
  linkpath: Buffer;
  content: Buffer;
}

/** Reads a .tar.gz block by block without a tar library, so names that are not valid UTF-8 keep their bytes. */
export function rawEntries(archive: Buffer): RawEntry[] {
  const tar = gunzipSync(archive);
  const entries: RawEntry[] = [];
  const field = (header: Buffer, from: number, length: number) => {
    const bytes = header.subarray(from, from + length);
    const end = bytes.indexOf(0);
    return end === -1 ? bytes : bytes.subarray(0, end);
  };
  let pax: Record<string, Buffer> = {};
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).toString().trim() || '0', 8);
    const type = field(header, 156, 1).toString() || '0';
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      for (let i = 0; i < body.length; ) {
        const space = body.indexOf(0x20, i);
        const length = Number(body.subarray(i, space).toString());
        const record = body.subarray(space + 1, i + length - 1);
        const eq = record.indexOf(0x3d);
        pax[record.subarray(0, eq).toString()] = Buffer.from(record.subarray(eq + 1));
        i += length;
      }
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = field(header, 0, 100);
    entries.push({
      path:
        pax.path ?? (prefix.length > 0 ? Buffer.concat([prefix, Buffer.from('/'), name]) : Buffer.from(name)),
      type,
      linkpath: pax.linkpath ?? Buffer.from(field(header, 157, 100)),
      content: Buffer.from(body),
    });
    pax = {};
  }
  return entries;
}

/** The PackError a pack or listing ended with (failing the test when it did not fail with one). */
export async function packError(promise: Promise<unknown>): Promise<PackError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PackError);
  return error as PackError;
}
