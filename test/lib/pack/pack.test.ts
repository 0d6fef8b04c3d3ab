import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { listPackedFiles, packDirectory } from '../../../src/lib/pack/index.js';
import { collect, entryNames, packError, readArchive, useTempDirs } from './helpers.js';

const { tree } = useTempDirs();

describe('entries', () => {
  it('are relative, /-separated, sorted, with directories ending in / and no entry for the root', async () => {
    const { root } = await tree({
      'main.tf': 'x',
      'modules/net/main.tf': 'x',
      'modules-extra.tf': 'x',
      'a.tf': 'x',
    });
    const names = await entryNames(packDirectory(root));
    expect(names).toEqual([
      'a.tf',
      'main.tf',
      'modules-extra.tf',
      'modules/',
      'modules/net/',
      'modules/net/main.tf',
    ]);
    expect(names).toEqual([...names].sort());
  });

  it('are listed by listPackedFiles in archive order', async () => {
    const { root } = await tree({ 'b/c.tf': 'x', 'a.tf': 'x', '.git/HEAD': 'x' });
    expect(await listPackedFiles(root)).toEqual(await entryNames(packDirectory(root)));
  });

  it('carry file contents', async () => {
    const { root } = await tree({ 'main.tf': 'resource "null_resource" "x" {}\n', 'other.tf': '' });
    const entries = await readArchive(packDirectory(root));
    expect(entries.find((entry) => entry.path === 'main.tf')?.content.toString()).toBe(
      'resource "null_resource" "x" {}\n',
    );
    expect(entries.find((entry) => entry.path === 'other.tf')?.content.length).toBe(0);
  });

  it('keep file permission bits', async () => {
    const { root } = await tree({
      'run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
      'private.tf': { content: 'x', mode: 0o600 },
    });
    await chmod(path.join(root, 'run.sh'), 0o755);
    await chmod(path.join(root, 'private.tf'), 0o600);
    const entries = await readArchive(packDirectory(root));
    expect(entries.map((entry) => [entry.path, entry.mode])).toEqual([
      ['private.tf', 0o600],
      ['run.sh', 0o755],
    ]);
  });

  it('keep modification times, to the second', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    const when = new Date('2024-03-01T12:34:56.789Z');
    await utimes(path.join(root, 'main.tf'), when, when);
    const [entry] = await readArchive(packDirectory(root));
    expect(entry?.mtime?.toISOString()).toBe('2024-03-01T12:34:56.000Z');
  });

  it('name no owner', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    const [entry] = await readArchive(packDirectory(root));
    expect([entry?.uid, entry?.uname]).toEqual([0, '']);
  });

  it('store a path longer than 100 bytes whole', async () => {
    const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(80)}.tf`;
    const { root } = await tree({ [deep]: 'x' });
    expect((await entryNames(packDirectory(root))).at(-1)).toBe(deep);
  });

  it('pack a hard-linked file as a regular file each time', async () => {
    const { root } = await tree({ 'a.tf': 'same' });
    await link(path.join(root, 'a.tf'), path.join(root, 'b.tf'));
    const entries = await readArchive(packDirectory(root));
    expect(entries.map((entry) => [entry.path, entry.type, entry.content.toString()])).toEqual([
      ['a.tf', 'File', 'same'],
      ['b.tf', 'File', 'same'],
    ]);
  });

  it('are identical byte for byte when the same tree is packed twice', async () => {
    const { root } = await tree({ 'main.tf': 'x', 'sub/v.tf': 'y', l: { link: 'main.tf' } });
    expect((await collect(packDirectory(root))).equals(await collect(packDirectory(root)))).toBe(true);
  });
});

describe('symlinks', () => {
  it('inside the tree are kept as symlink entries with their target', async () => {
    const { root } = await tree({ 'sub/real.tf': 'x', 'sub/alias.tf': { link: 'real.tf' } });
    const entries = await readArchive(packDirectory(root));
    expect(entries.map((entry) => [entry.path, entry.type, entry.linkpath ?? ''])).toEqual([
      ['sub/', 'Directory', ''],
      ['sub/alias.tf', 'SymbolicLink', 'real.tf'],
      ['sub/real.tf', 'File', ''],
    ]);
  });

  it('to a directory inside the tree are kept as links and not followed', async () => {
    const { root } = await tree({ 'modules/net/main.tf': 'x', net: { link: 'modules/net' } });
    const entries = await readArchive(packDirectory(root));
    expect(entries.map((entry) => [entry.path, entry.type, entry.linkpath ?? ''])).toEqual([
      ['modules/', 'Directory', ''],
      ['modules/net/', 'Directory', ''],
      ['modules/net/main.tf', 'File', ''],
      ['net', 'SymbolicLink', 'modules/net'],
    ]);
  });

  it('with an absolute target inside the tree are stored relative, since TFE refuses absolute targets', async () => {
    const { root } = await tree({ 'sub/real.tf': 'x' });
    await symlink(path.join(root, 'sub', 'real.tf'), path.join(root, 'abs.tf'));
    const entries = await readArchive(packDirectory(root));
    expect(entries.find((entry) => entry.path === 'abs.tf')?.linkpath).toBe('sub/real.tf');
  });

  it('that dangle inside the tree are kept', async () => {
    const { root } = await tree({ 'later.tf': { link: 'not-yet.tf' } });
    const entries = await readArchive(packDirectory(root));
    expect(entries.map((entry) => [entry.path, entry.type, entry.linkpath])).toEqual([
      ['later.tf', 'SymbolicLink', 'not-yet.tf'],
    ]);
  });

  it("pointing outside the tree make the stream fail with SYMLINK_OUTSIDE_ROOT under symlinks: 'refuse'", async () => {
    const { root, base } = await tree({ 'main.tf': 'x' });
    const outside = path.join(base, 'secret.txt');
    await writeFile(outside, 'secret');
    await symlink(outside, path.join(root, 'creds.txt'));
    const error = await packError(collect(packDirectory(root, { symlinks: 'refuse' })));
    expect(error.code).toBe('SYMLINK_OUTSIDE_ROOT');
    expect(error.path).toBe('creds.txt');
    expect(error.target).toBe(outside);
    expect(error.message).toContain('creds.txt');
    expect(error.message).toContain(outside);
    expect(error.message).not.toContain('TFE refuses');
  });

  it("climbing out with .. are refused by listPackedFiles too under symlinks: 'refuse'", async () => {
    const { root } = await tree({ 'sub/up': { link: '../../elsewhere' } });
    const error = await packError(listPackedFiles(root, { symlinks: 'refuse' }));
    expect([error.code, error.path, error.target]).toEqual([
      'SYMLINK_OUTSIDE_ROOT',
      'sub/up',
      '../../elsewhere',
    ]);
  });

  it('pointing outside are fine when an ignore rule skips them', async () => {
    const { root } = await tree({ 'main.tf': 'x', outside: { link: '/etc' } });
    expect(await entryNames(packDirectory(root, { ignoreRules: ['/outside'] }))).toEqual(['main.tf']);
  });
});

describe('the directory', () => {
  it('missing makes the stream fail with NOT_FOUND', async () => {
    const { base } = await tree({});
    const error = await packError(collect(packDirectory(path.join(base, 'nope'))));
    expect([error.code, error.path]).toEqual(['NOT_FOUND', path.join(base, 'nope')]);
  });

  it('being a file makes listPackedFiles fail with NOT_A_DIRECTORY', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    const error = await packError(listPackedFiles(path.join(root, 'main.tf')));
    expect(error.code).toBe('NOT_A_DIRECTORY');
  });

  it('with an unreadable .terraformignore fails with READ_ERROR rather than packing what it hides', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    await mkdir(path.join(root, '.terraformignore'));
    const error = await packError(listPackedFiles(root));
    expect([error.name, error.code, error.path]).toEqual(['PackError', 'READ_ERROR', '.terraformignore']);
  });

  it('reached through a symlink is packed like the directory itself', async () => {
    const { root, base } = await tree({ 'main.tf': 'x', l: { link: 'main.tf' } });
    await symlink(root, path.join(base, 'via-link'));
    expect(await entryNames(packDirectory(path.join(base, 'via-link')))).toEqual(['l', 'main.tf']);
  });
});

describe('streaming', () => {
  it('round-trips a multi-megabyte file byte for byte', async () => {
    const payload = randomBytes(5 * 1024 * 1024 + 123);
    const { root } = await tree({ 'big.bin': { content: payload, mode: 0o644 } });
    const [entry] = await readArchive(packDirectory(root));
    const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    expect(entry?.content.length).toBe(payload.length);
    expect(digest(entry?.content ?? Buffer.alloc(0))).toBe(digest(payload));
  });

  it('reads a file only when the consumer pulls that far', async () => {
    const { root } = await tree({
      'a.bin': { content: randomBytes(4 * 1024 * 1024), mode: 0o644 },
      'z.tf': 'before',
    });
    const chunks: Buffer[] = [];
    for await (const chunk of packDirectory(root)) {
      if (chunks.length === 0) {
        // However long the consumer stalls, backpressure keeps the packer inside a.bin.
        await sleep(50);
        await writeFile(path.join(root, 'z.tf'), 'after');
      }
      chunks.push(chunk as Buffer);
    }
    const entries = await readArchive(Readable.from([Buffer.concat(chunks)]));
    expect(entries.find((entry) => entry.path === 'z.tf')?.content.toString()).toBe('after');
  });

  it('fails with FILE_CHANGED when a file shrinks while it is being read', async () => {
    const { root } = await tree({ 'a.bin': { content: randomBytes(4 * 1024 * 1024), mode: 0o644 } });
    const reading = (async () => {
      let first = true;
      for await (const _chunk of packDirectory(root)) {
        if (first) await truncate(path.join(root, 'a.bin'), 1024);
        first = false;
      }
    })();
    const error = await packError(reading);
    expect([error.code, error.path]).toEqual(['FILE_CHANGED', 'a.bin']);
  });

  it('writes a valid archive at gzip level 0', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    expect(await entryNames(packDirectory(root, { gzipLevel: 0 }))).toEqual(['main.tf']);
  });

  it('rejects a gzip level outside 0-9 with INVALID_OPTION', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    expect(() => packDirectory(root, { gzipLevel: 12 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });

  it('rejects a misspelled option with INVALID_OPTION naming it, instead of packing on the defaults', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    expect(() => packDirectory(root, { ignoreRule: ['*.bak'] } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', path: 'ignoreRule' }),
    );
  });

  it('is destroyed with an AbortError when the signal fires mid-stream', async () => {
    const { root } = await tree({ 'big.bin': { content: randomBytes(4 * 1024 * 1024), mode: 0o644 } });
    const controller = new AbortController();
    const stream = packDirectory(root, { signal: controller.signal });
    const reading = (async () => {
      for await (const _chunk of stream) controller.abort();
    })();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(stream.destroyed).toBe(true);
  });

  it('fails with an AbortError at once when the signal has already fired', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    const stream = packDirectory(root, { signal: AbortSignal.abort() });
    await expect(collect(stream)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets listPackedFiles reject with an AbortError when the signal has fired', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    await expect(listPackedFiles(root, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
