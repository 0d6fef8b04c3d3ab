import { randomBytes } from 'node:crypto';
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
});
