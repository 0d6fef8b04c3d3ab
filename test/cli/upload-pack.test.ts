import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { cli, fakeTest, json, runArgs as run, runsOf, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** `base/root` with a .terraformignore, a .git/, a file linked from `base/_common`, and a link inside. */
function monorepo(): string {
  const base = mkdtempSync(join(tmpdir(), 'tfe-cli-pack-'));
  made.push(base);
  const root = join(base, 'root');
  mkdirSync(join(root, '.git'), { recursive: true });
  mkdirSync(join(base, '_common'));
  writeFileSync(join(root, 'main.tf'), 'resource "null_resource" "a" {}\n');
  writeFileSync(join(root, '.git', 'HEAD'), 'ref: main\n');
  writeFileSync(join(root, 'prod.tfvars'), 'secret = 1\n');
  writeFileSync(join(root, '.terraformignore'), '# secrets\n*.tfvars\n');
  writeFileSync(join(base, '_common', 'locals.tf'), 'locals {}\n');
  symlinkSync('../_common/locals.tf', join(root, 'locals.tf'));
  symlinkSync('main.tf', join(root, 'alias.tf'));
  return root;
}

describe.concurrent('tfe upload --list', () => {
  test('lists what would be packed with sizes, and what is left out by which rule, with no token', async () => {
    const dir = monorepo();
    const r = await cli(['upload', '--list', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `${dir} would be uploaded as 4 entries, 3 files, 61 B before compression:`,
      '        19 B  .terraformignore',
      '              alias.tf -> main.tf',
      '        10 B  locals.tf  (copied from symlink -> ../_common/locals.tf)',
      '        32 B  main.tf',
      'Left out:',
      '  .git/        default exclusion (.git/), with everything below it',
      '  prod.tfvars  .terraformignore line 2: *.tfvars',
      '',
    ]);
  });

  test('--json gives the entries and the exclusions as one document', async () => {
    const dir = monorepo();
    const r = await cli(['upload', '--dry-run', '--dir', dir, '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ directory: dir, totalSize: 61, fileCount: 3, exitCode: 0 });
    expect(doc.entries[2]).toEqual({
      path: 'locals.tf',
      type: 'file',
      size: 10,
      dereferenced: '../_common/locals.tf',
    });
    expect(doc.excluded).toEqual([
      { path: '.git/', type: 'directory', reason: 'default', rule: '.git/', line: 3, wholeDirectory: true },
      {
        path: 'prod.tfvars',
        type: 'file',
        reason: '.terraformignore',
        rule: '*.tfvars',
        line: 2,
        wholeDirectory: false,
      },
    ]);
  });

  test('--symlinks refuse fails on the outside link, naming it', async () => {
    const r = await cli(['upload', '--list', '--dir', monorepo(), '--symlinks', 'refuse', '--json']);
    expect(r.code).toBe(1);
    expect(json(r).error).toMatchObject({ type: 'PackError', message: expect.stringContaining('locals.tf') });
  });

  test('refuses --tarball, and a --symlinks mode it does not know, as usage errors', async () => {
    expect((await cli(['upload', '--list', '--tarball', 'package.json'])).code).toBe(3);
    const r = await cli(['upload', '--list', '--symlinks', 'follow']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--symlinks must be one of dereference, refuse');
  });
});

describe.concurrent('outside symlinks through the CLI', () => {
  test('tfe run uploads a copy of what they point to by default', async ({ ctx }) => {
    const r = await cli(run({ ...ctx, dir: monorepo() }, '--json'), {
      env: ctx.env,
    });
    expect(r.code).toBe(0);
    const [record] = runsOf(ctx.fake);
    const files = ctx.fake.core.uploadedFiles(record!.configurationVersionId);
    expect(files?.get('locals.tf')?.toString()).toBe('locals {}\n');
  });

  test('tfe upload --symlinks refuse is a usage error found before anything is created', async ({ ctx }) => {
    const args = ['upload', '--workspace', 'demo', '--dir', monorepo(), '--symlinks', 'refuse', '--json'];
    const r = await cli(args, { env: ctx.env });
    expect(r.code).toBe(3);
    expect(json(r).error).toMatchObject({ type: 'UsageError' });
    expect(json(r).error.message).toContain("symlinks are set to 'refuse'");
    // Checked before the configuration version is created: nothing to clean up on the workspace.
    expect(ctx.fake.core.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
