import { chmod, mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPackedFiles, packDirectory, planPack } from '../../../src/lib/pack/index.js';
import { collect, packError, readArchive, useTempDirs } from './helpers.js';

const { tree } = useTempDirs();

/** [path, type, linkpath, content] of each entry, the form go-slug's tests check. */
async function packed(root: string, options?: Parameters<typeof packDirectory>[1]) {
  const entries = await readArchive(packDirectory(root, options));
  expect(await listPackedFiles(root, options)).toEqual(entries.map((entry) => entry.path));
  return entries.map((entry) => [entry.path, entry.type, entry.linkpath ?? '', entry.content.toString()]);
}

/** go-slug's testdata/archive-dir-absolute: `dev/` is packed, its .tf files link to `../_common/`. */
async function monorepo() {
  const { base, root } = await tree({ 'backend.tf': 'terraform {}\n', 'variables.tf': 'variable "x" {}\n' });
  const common = path.join(base, '_common');
  await mkdir(path.join(common, 'extra-files'), { recursive: true });
  await writeFile(path.join(common, 'locals.tf'), 'locals { app = "service-01" }\n');
  await writeFile(path.join(common, 'output.tf'), 'output "app" {}\n');
  await writeFile(path.join(common, 'versions.tf'), 'terraform {}\n');
  await writeFile(path.join(common, 'extra-files', 'bar.sh'), 'echo bar\n', { mode: 0o755 });
  await writeFile(path.join(common, 'extra-files', 'foo.sh'), 'echo foo\n');
  for (const name of ['extra-files', 'locals.tf', 'output.tf', 'versions.tf']) {
    await symlink(`../_common/${name}`, path.join(root, name));
  }
  return { base, root, common };
}

describe('symlinks pointing outside the directory, dereferenced (the default, as Terraform packs)', () => {
  it("pack go-slug's archive-dir-absolute: linked files as regular files, a linked directory's files under the link", async () => {
    const { root } = await monorepo();
    expect(await packed(root)).toEqual([
      ['backend.tf', 'File', '', 'terraform {}\n'],
      ['extra-files/', 'Directory', '', ''],
      ['extra-files/bar.sh', 'File', '', 'echo bar\n'],
      ['extra-files/foo.sh', 'File', '', 'echo foo\n'],
      ['locals.tf', 'File', '', 'locals { app = "service-01" }\n'],
      ['output.tf', 'File', '', 'output "app" {}\n'],
      ['variables.tf', 'File', '', 'variable "x" {}\n'],
      ['versions.tf', 'File', '', 'terraform {}\n'],
    ]);
  });

  it("take the target's mode and modification time, not the link's", async () => {
    const { root, common } = await monorepo();
    await chmod(path.join(common, 'locals.tf'), 0o600);
    const when = new Date('2021-03-04T05:06:07Z');
    await utimes(path.join(common, 'locals.tf'), when, when);
    const entries = await readArchive(packDirectory(root));
    const locals = entries.find((entry) => entry.path === 'locals.tf');
    expect(locals?.mode).toBe(0o600);
    expect(locals?.mtime?.toISOString()).toBe(when.toISOString());
    expect(entries.find((entry) => entry.path === 'extra-files/bar.sh')?.mode).toBe(0o755);
  });

  it("keep go-slug's archive-dir links inside the tree as links, and copy the one to ../example.tf", async () => {
    const { base, root } = await tree({
      'bar.txt': 'bar\n',
      'sub/zip.txt': 'zip\n',
      'sub/bar.txt': { link: '../bar.txt' },
      'sub2/zip.txt': 'zip\n',
      'sub2/bar.txt': { link: '../sub/bar.txt' },
    });
    await writeFile(path.join(base, 'example.tf'), 'resource "null_resource" "foo" {}\n');
    await symlink('../example.tf', path.join(root, 'example.tf'));
    expect(await packed(root)).toEqual([
      ['bar.txt', 'File', '', 'bar\n'],
      ['example.tf', 'File', '', 'resource "null_resource" "foo" {}\n'],
      ['sub/', 'Directory', '', ''],
      ['sub/bar.txt', 'SymbolicLink', '../bar.txt', ''],
      ['sub/zip.txt', 'File', '', 'zip\n'],
      ['sub2/', 'Directory', '', ''],
      ['sub2/bar.txt', 'SymbolicLink', '../sub/bar.txt', ''],
      ['sub2/zip.txt', 'File', '', 'zip\n'],
    ]);
  });

  it('follow a chain of links to its end, including an absolute target', async () => {
    const { base, root } = await tree({ 'main.tf': 'x' });
    await writeFile(path.join(base, 'real.tf'), 'real\n');
    await symlink(path.join(base, 'real.tf'), path.join(base, 'hop.tf'));
    await symlink('../hop.tf', path.join(root, 'linked.tf'));
    expect(await packed(root)).toEqual([
      ['linked.tf', 'File', '', 'real\n'],
      ['main.tf', 'File', '', 'x'],
    ]);
  });

  it('copy every link found below a dereferenced directory, since its target would mean something else there', async () => {
    const { base, root } = await tree({ 'main.tf': 'x' });
    await mkdir(path.join(base, 'shared', 'nested'), { recursive: true });
    await writeFile(path.join(base, 'shared', 'nested', 'a.tf'), 'a\n');
    await symlink('nested/a.tf', path.join(base, 'shared', 'alias.tf'));
    await symlink('../shared', path.join(root, 'shared'));
    expect(await packed(root)).toEqual([
      ['main.tf', 'File', '', 'x'],
      ['shared/', 'Directory', '', ''],
      ['shared/alias.tf', 'File', '', 'a\n'],
      ['shared/nested/', 'Directory', '', ''],
      ['shared/nested/a.tf', 'File', '', 'a\n'],
    ]);
  });

  it('apply the ignore rules to the paths under the link, as they appear in the archive', async () => {
    const { root } = await monorepo();
    await writeFile(path.join(root, '.terraformignore'), '/extra-files/foo.sh\nversions.tf\n');
    expect((await packed(root)).map(([name]) => name)).toEqual([
      '.terraformignore',
      'backend.tf',
      'extra-files/',
      'extra-files/bar.sh',
      'locals.tf',
      'output.tf',
      'variables.tf',
    ]);
  });

  it('leave out a linked directory a trailing-slash rule names, and never follow an excluded link', async () => {
    const { base, root } = await monorepo();
    await mkdir(path.join(base, 'secrets'));
    await writeFile(path.join(base, 'secrets', 'key.pem'), 'KEY');
    await symlink('../secrets', path.join(root, 'secrets'));
    // A dangling outside link, excluded: it must not be looked at.
    await symlink('../nowhere.tf', path.join(root, 'gone.tf'));
    await writeFile(path.join(root, '.terraformignore'), 'secrets/\ngone.tf\nextra-files\n');
    expect((await packed(root)).map(([name]) => name)).toEqual([
      '.terraformignore',
      'backend.tf',
      'locals.tf',
      'output.tf',
      'variables.tf',
      'versions.tf',
    ]);
  });

  it('are listed by planPack with their target as written', async () => {
    const { root } = await monorepo();
    const plan = await planPack(root);
    expect(plan.entries.find((entry) => entry.path === 'locals.tf')).toEqual({
      path: 'locals.tf',
      type: 'file',
      size: 'locals { app = "service-01" }\n'.length,
      dereferenced: '../_common/locals.tf',
    });
    expect(plan.entries.find((entry) => entry.path === 'extra-files/foo.sh')).toMatchObject({ type: 'file' });
  });

  it('that dangle fail with SYMLINK_DANGLING naming the link and its target', async () => {
    const { root } = await tree({ 'main.tf': 'x', 'gone.tf': { link: '../nowhere.tf' } });
    const error = await packError(collect(packDirectory(root)));
    expect([error.code, error.path, error.target]).toEqual(['SYMLINK_DANGLING', 'gone.tf', '../nowhere.tf']);
    expect(error.message).toContain('gone.tf');
    expect(error.message).toContain('does not exist');
  });

  it('that loop through other links fail with SYMLINK_LOOP instead of recursing', async () => {
    const { base, root } = await tree({ 'main.tf': 'x' });
    await symlink('b', path.join(base, 'a'));
    await symlink('a', path.join(base, 'b'));
    await symlink('../a', path.join(root, 'loop.tf'));
    const error = await packError(listPackedFiles(root));
    expect([error.code, error.path, error.target]).toEqual(['SYMLINK_LOOP', 'loop.tf', '../a']);
  });

  it('to a directory that holds the one being packed fail with SYMLINK_LOOP instead of walking forever', async () => {
    const { root } = await tree({ 'main.tf': 'x', 'sub/up': { link: '../..' } });
    const error = await packError(collect(packDirectory(root)));
    expect([error.code, error.path, error.target]).toEqual(['SYMLINK_LOOP', 'sub/up', '../..']);
    expect(error.message).toContain('the directory being packed again');
  });

  it('to a directory that holds itself fail with SYMLINK_LOOP naming the link', async () => {
    const { base, root } = await tree({ 'main.tf': 'x' });
    await mkdir(path.join(base, 'outer', 'inner'), { recursive: true });
    await symlink('..', path.join(base, 'outer', 'inner', 'back'));
    await symlink('../outer', path.join(root, 'outer'));
    const error = await packError(planPack(root));
    expect([error.code, error.path]).toEqual(['SYMLINK_LOOP', 'outer']);
    expect(error.message).toContain('reaches outer/ again at outer/inner/back/');
  });

  it("are refused with symlinks: 'refuse', while links inside stay links", async () => {
    const { root } = await monorepo();
    await symlink('backend.tf', path.join(root, 'alias.tf'));
    const error = await packError(collect(packDirectory(root, { symlinks: 'refuse' })));
    expect([error.code, error.path]).toEqual(['SYMLINK_OUTSIDE_ROOT', 'extra-files']);
    await writeFile(path.join(root, '.terraformignore'), 'extra-files\nlocals.tf\noutput.tf\nversions.tf\n');
    expect(await packed(root, { symlinks: 'refuse' })).toContainEqual([
      'alias.tf',
      'SymbolicLink',
      'backend.tf',
      '',
    ]);
  });

  it('reject a symlinks mode that is not dereference or refuse with INVALID_OPTION', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    expect(() => packDirectory(root, { symlinks: 'follow' as 'refuse' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', path: 'symlinks' }),
    );
  });
});
