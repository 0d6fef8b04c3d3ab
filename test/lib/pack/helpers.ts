import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { t as listTar } from 'tar';
import { afterEach } from 'vitest';

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
