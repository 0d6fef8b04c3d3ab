import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { packDirectory } from '../../../src/lib/pack/index.js';
import { readArchive, type TreeNode, useTempDirs } from './helpers.js';

const { tree } = useTempDirs();

describe('reading small files ahead', () => {
  it('keeps the archive in order, with every file whole, around large files and at the chunk boundary', async () => {
    const spec: Record<string, TreeNode> = {};
    for (let i = 0; i < 60; i++)
      spec[`m/f${String(i).padStart(2, '0')}.tf`] = `content ${i}\n`.repeat(i * 50);
    spec['m/f30.bin'] = { content: randomBytes(200 * 1024 + 7), mode: 0o644 };
    spec['m/exactly-64k.bin'] = { content: randomBytes(64 * 1024), mode: 0o644 };
    spec['m/empty.tf'] = '';
    const { root } = await tree(spec);
    const entries = (await readArchive(packDirectory(root))).filter((e) => !e.path.endsWith('/'));
    const expected = Object.keys(spec).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(entries.map((e) => e.path)).toEqual(expected);
    for (const entry of entries) {
      const node = spec[entry.path];
      const content = typeof node === 'string' ? Buffer.from(node) : (node as { content: Buffer }).content;
      expect(entry.content.equals(content), entry.path).toBe(true);
    }
  });

  it('keeps every byte of hundreds of files joined into shared writes, whatever their size', async () => {
    const spec: Record<string, TreeNode> = {};
    // Mostly small files, whose runs overflow a shared write, and sizes around the block, the small-file
    // limit and the read chunk, so joins land everywhere.
    const edges = [0, 1, 511, 512, 513, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 256 * 1024 + 3];
    for (let i = 0; i < 300; i++) {
      const size = i % 4 === 0 ? (edges[(i / 4) % edges.length] ?? 0) : (i * 7919) % (60 * 1024);
      spec[`d${i % 7}/f${String(i).padStart(3, '0')}.bin`] = { content: randomBytes(size), mode: 0o644 };
    }
    const { root } = await tree(spec);
    const entries = (await readArchive(packDirectory(root))).filter((e) => !e.path.endsWith('/'));
    const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    const expected = Object.keys(spec).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(entries.map((e) => e.path)).toEqual(expected);
    expect(entries.map((e) => digest(e.content))).toEqual(
      expected.map((name) => digest((spec[name] as { content: Buffer }).content)),
    );
  });
});
