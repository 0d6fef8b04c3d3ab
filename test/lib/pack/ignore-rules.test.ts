import { describe, expect, it } from 'vitest';
import { listPackedFiles, packDirectory } from '../../../src/lib/pack/index.js';
import { entryNames, readArchive, useTempDirs } from './helpers.js';

const { tree } = useTempDirs();

/** The archive's entry names, checked against the dry-run listing so both stay one behaviour. */
async function packedNames(root: string, options?: Parameters<typeof packDirectory>[1]): Promise<string[]> {
  const names = await entryNames(packDirectory(root, options));
  expect(await listPackedFiles(root, options)).toEqual(names);
  return names;
}

describe('default rules', () => {
  it('skip .git/ and .terraform/ but keep .terraform/modules/ when there is no .terraformignore', async () => {
    const { root } = await tree({
      'main.tf': 'x',
      '.git/HEAD': 'ref',
      '.git/refs/heads/main': 'sha',
      '.terraform/providers/registry/aws': 'binary',
      '.terraform/terraform.tfstate': '{}',
      '.terraform/modules/modules.json': '{}',
      '.terraform/modules/vpc/main.tf': 'module',
      '.terraformrc': 'rc',
      'foo.terraform/bar.txt': 'kept',
      'sub/.git/config': 'nested',
    });
    // No `.terraform/modules/` entry: its bare path matches `.terraform/**`, exactly as in go-slug.
    expect(await packedNames(root)).toEqual([
      '.terraform/modules/modules.json',
      '.terraform/modules/vpc/',
      '.terraform/modules/vpc/main.tf',
      '.terraformrc',
      'foo.terraform/',
      'foo.terraform/bar.txt',
      'main.tf',
      'sub/',
    ]);
  });

  it('still apply when a .terraformignore exists, before its rules', async () => {
    const { root } = await tree({
      '.terraformignore': '*.log\n',
      '.git/HEAD': 'ref',
      '.terraform/providers/aws': 'binary',
      'debug.log': 'noise',
      'main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'main.tf']);
  });

  it('can be negated by the .terraformignore', async () => {
    const { root } = await tree({
      '.terraformignore': '!.git/\n',
      '.git/HEAD': 'ref',
      'main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.git/', '.git/HEAD', '.terraformignore', 'main.tf']);
  });

  it('are not applied when useTerraformIgnore is false, and neither is the file', async () => {
    const { root } = await tree({
      '.terraformignore': 'main.tf\n',
      '.git/HEAD': 'ref',
      '.terraform/providers/aws': 'binary',
      'main.tf': 'x',
    });
    expect(await packedNames(root, { useTerraformIgnore: false })).toEqual([
      '.git/',
      '.git/HEAD',
      '.terraform/',
      '.terraform/providers/',
      '.terraform/providers/aws',
      '.terraformignore',
      'main.tf',
    ]);
  });
});

describe('.terraformignore syntax', () => {
  it('skips comments, indented comments and blank lines', async () => {
    const { root } = await tree({
      '.terraformignore': '# main.tf\n   # variables.tf\n\n   \nsecret.txt\n',
      'main.tf': 'x',
      'variables.tf': 'x',
      'secret.txt': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'main.tf', 'variables.tf']);
  });

  it('trims surrounding spaces and CRLF line ends from a rule', async () => {
    const { root } = await tree({
      '.terraformignore': '   secret.txt   \r\nother.txt\r\n',
      'main.tf': 'x',
      'other.txt': 'x',
      'secret.txt': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'main.tf']);
  });

  it('reads a leading backslash as escaping "#" and "!"', async () => {
    const { root } = await tree({
      '.terraformignore': '\\#notes\n\\!important\n',
      '#notes': 'x',
      '!important': 'x',
      'main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'main.tf']);
  });
});

describe('anchoring', () => {
  it('matches a pattern without a slash at any depth', async () => {
    const { root } = await tree({
      '.terraformignore': '*.log\n',
      'a.log': 'x',
      'sub/b.log': 'x',
      'sub/deep/c.log': 'x',
      'sub/deep/main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'sub/', 'sub/deep/', 'sub/deep/main.tf']);
  });

  it('anchors a pattern with a leading slash to the root', async () => {
    const { root } = await tree({
      '.terraformignore': '/secret.txt\n',
      'secret.txt': 'x',
      'sub/secret.txt': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'sub/', 'sub/secret.txt']);
  });

  it('matches a pattern with an inner slash at any depth too, unlike .gitignore', async () => {
    const { root } = await tree({
      '.terraformignore': 'foo/bar.tf\n',
      'foo/bar.tf': 'x',
      'foo/keep.tf': 'x',
      'x/foo/bar.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'foo/', 'foo/keep.tf', 'x/', 'x/foo/']);
  });
});

describe('directory patterns', () => {
  it('matches only directories, and everything below them, with a trailing slash', async () => {
    const { root } = await tree({
      '.terraformignore': 'build/\n',
      'build/out.zip': 'x',
      'build/nested/deep.txt': 'x',
      'sub/build': 'a file, not a directory',
      'main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'main.tf', 'sub/', 'sub/build']);
  });

  it('drops only the directory entry for a pattern without a trailing slash, as go-slug does', async () => {
    const { root } = await tree({
      '.terraformignore': 'logs\n',
      'logs/today.txt': 'x',
      'sub/logs': 'a file',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'logs/today.txt', 'sub/']);
  });

  it('keeps an empty directory nothing ignores', async () => {
    const { root } = await tree({ 'empty/': { dir: true }, 'main.tf': 'x' });
    const entries = await readArchive(packDirectory(root));
    expect(entries.map((entry) => [entry.path, entry.type])).toEqual([
      ['empty/', 'Directory'],
      ['main.tf', 'File'],
    ]);
  });
});

describe('negation', () => {
  it('re-includes a file an earlier rule excluded', async () => {
    const { root } = await tree({
      '.terraformignore': '*.tf\n!keep.tf\n',
      'drop.tf': 'x',
      'keep.tf': 'x',
      'sub/keep.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'keep.tf', 'sub/', 'sub/keep.tf']);
  });

  it('loses to a later rule that excludes again: the last match wins', async () => {
    const { root } = await tree({
      '.terraformignore': '!keep.tf\n*.tf\n',
      'keep.tf': 'x',
      'README.md': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'README.md']);
  });

  it('re-includes files below an excluded directory but not the directory entries', async () => {
    const { root } = await tree({
      '.terraformignore': 'docs/\n!docs/public/\n',
      'docs/private/notes.md': 'x',
      'docs/public/index.md': 'x',
      'docs/README.md': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'docs/public/index.md']);
  });
});

describe('globs', () => {
  it('matches any number of directories, including none, with **', async () => {
    const { root } = await tree({
      '.terraformignore': '/a/**/z.tf\n',
      'a/z.tf': 'x',
      'a/b/z.tf': 'x',
      'a/b/c/z.tf': 'x',
      'x/a/z.tf': 'x',
      'z.tf': 'x',
    });
    expect(await packedNames(root)).toEqual([
      '.terraformignore',
      'a/',
      'a/b/',
      'a/b/c/',
      'x/',
      'x/a/',
      'x/a/z.tf',
      'z.tf',
    ]);
  });

  it('matches everything below with a trailing **', async () => {
    const { root } = await tree({
      '.terraformignore': '/vendor/**\n',
      'vendor/a.txt': 'x',
      'vendor/b/c.txt': 'x',
      'main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'main.tf']);
  });

  it('does not let * cross a slash', async () => {
    const { root } = await tree({
      '.terraformignore': '/*.tf\n',
      'main.tf': 'x',
      'sub/main.tf': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'sub/', 'sub/main.tf']);
  });

  it('matches exactly one character, never a slash, with ?', async () => {
    const { root } = await tree({
      '.terraformignore': 'file?.txt\n',
      'file1.txt': 'x',
      'file10.txt': 'x',
      'file/.txt': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'file/', 'file/.txt', 'file10.txt']);
  });

  it('matches a character class', async () => {
    const { root } = await tree({
      '.terraformignore': 'log[0-9].txt\n',
      'log1.txt': 'x',
      'logx.txt': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'logx.txt']);
  });

  it('treats regular-expression characters literally', async () => {
    const { root } = await tree({
      '.terraformignore': 'a+b(1).txt\n',
      'a+b(1).txt': 'x',
      'aab1.txt': 'x',
    });
    expect(await packedNames(root)).toEqual(['.terraformignore', 'aab1.txt']);
  });
});

describe('ignoreRules option', () => {
  it('applies after the .terraformignore, so it can negate the file', async () => {
    const { root } = await tree({
      '.terraformignore': '*.log\n',
      'debug.log': 'x',
      'keep.log': 'x',
    });
    expect(await packedNames(root, { ignoreRules: ['!keep.log'] })).toEqual(['.terraformignore', 'keep.log']);
  });

  it('excludes on its own when there is no .terraformignore', async () => {
    const { root } = await tree({ 'main.tf': 'x', 'plan.out': 'x', '.git/HEAD': 'x' });
    expect(await packedNames(root, { ignoreRules: ['*.out'] })).toEqual(['main.tf']);
  });
});
