import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IGNORE_RULES,
  evaluateIgnore,
  type IgnoreRule,
  parseTerraformIgnore,
} from '../../../src/lib/pack/ignore.js';
import { listPackedFiles, planPack } from '../../../src/lib/pack/index.js';
import { useTempDirs } from './helpers.js';

const { tree } = useTempDirs();

/** go-slug's internal/ignorefiles/testdata/archive-dir/.terraformignore, line for line. */
const ARCHIVE_DIR_IGNORE = [
  '# comments are ignored',
  ' # extra spaces are irrelevant',
  '# ignore a file',
  '   baz.txt',
  '# below is an empty line',
  '',
  '# ignore a directory',
  'terraform.d/',
  '# negate ignoring a directory at the root',
  '!/terraform.d/',
  '# ignore a file at a subpath',
  '**/foo/bar.tf',
  '# ignore files with specific endings',
  'foo/*.md',
  '# character groups',
  'bar/something-[a-z].txt',
  '# ignore a file',
  'boop.txt',
  '# but not one at the current directory',
  '!/boop.txt',
  '',
].join('\n');

function rulesOf(text: string): IgnoreRule[] {
  return [...DEFAULT_IGNORE_RULES, ...parseTerraformIgnore(text)];
}

const excludes = (rules: readonly IgnoreRule[], path: string) => evaluateIgnore(path, rules).excluded;

describe("go-slug's TestTerraformIgnore cases (archive-dir/.terraformignore)", () => {
  const rules = rulesOf(ARCHIVE_DIR_IGNORE);
  it.each([
    ['.terraform/', true],
    ['included.txt', false],
    ['.terraform/foo/bar', true],
    ['.terraform/foo/bar/more/directories/so/many', true],
    ['.terraform/foo/ignored-subdirectory/', true],
    ['baz.txt', true],
    ['parent/foo/baz.txt', true],
    ['parent/foo/bar.tf', true],
    ['parent/bar/bar.tf', false],
    ['something/with-baz.txt', false],
    ['something/baz.x', false],
    ['foo/ignored-doc.md', true],
    ['bar/something-a.txt', true],
    ['some-module/terraform.d/x', true],
    ['terraform.d/', false],
    ['terraform.d/foo', false],
    ['terraform.d', false],
    ['baz/boop.txt', true],
    ['boop.txt', false],
  ])('%s excluded: %s', (path, expected) => {
    expect(excludes(rules, path)).toBe(expected);
  });
});

describe("go-slug's TestTerraformIgnoreNoExclusionOptimization (with-exclusion/.terraformignore)", () => {
  const rules = rulesOf('src/**/*\n# except at one directory\n!src/foo/bar.txt\nlogs/\ntmp/\n');

  it('makes the rules after the last negation dominating, so their directories are not walked', () => {
    expect(evaluateIgnore('logs/', rules)).toMatchObject({ excluded: true, dominating: true });
    expect(evaluateIgnore('tmp/', rules)).toMatchObject({ excluded: true, dominating: true });
    expect(evaluateIgnore('src/baz/', rules)).toMatchObject({ excluded: true, dominating: false });
    expect(excludes(rules, 'src/baz/ignored')).toBe(true);
  });

  it('packs only the re-included file of its tree, and reports the rest by rule and line', async () => {
    const { root } = await tree({
      '.terraformignore': 'src/**/*\n# except at one directory\n!src/foo/bar.txt\nlogs/\ntmp/\n',
      'logs/foo.txt': 'x',
      'src/baz/ignored.txt': 'x',
      'src/foo/bar.txt': 'x',
      'tmp/tmp.txt': 'x',
    });
    const plan = await planPack(root);
    // `src/` itself matches `src/**/*` (its `*` may be empty), as in go-slug: only the file comes back.
    expect(plan.entries.map((entry) => entry.path)).toEqual(['.terraformignore', 'src/foo/bar.txt']);
    expect(plan.excluded).toEqual([
      {
        path: 'logs/',
        type: 'directory',
        reason: '.terraformignore',
        rule: 'logs/',
        line: 4,
        wholeDirectory: true,
      },
      {
        path: 'src/',
        type: 'directory',
        reason: '.terraformignore',
        rule: 'src/**/*',
        line: 1,
        wholeDirectory: false,
      },
      {
        path: 'src/baz/',
        type: 'directory',
        reason: '.terraformignore',
        rule: 'src/**/*',
        line: 1,
        wholeDirectory: false,
      },
      {
        path: 'src/baz/ignored.txt',
        type: 'file',
        reason: '.terraformignore',
        rule: 'src/**/*',
        line: 1,
        wholeDirectory: false,
      },
      {
        path: 'src/foo/',
        type: 'directory',
        reason: '.terraformignore',
        rule: 'src/**/*',
        line: 1,
        wholeDirectory: false,
      },
      {
        path: 'tmp/',
        type: 'directory',
        reason: '.terraformignore',
        rule: 'tmp/',
        line: 5,
        wholeDirectory: true,
      },
    ]);
  });
});

describe("go-slug's Unicode normalization cases", () => {
  it.each([
    ['donn\u00e9es.txt', 'donne\u0301es.txt'],
    ['donne\u0301es.txt', 'donn\u00e9es.txt'],
    ['config_z\u00fcrich.json', 'config_zu\u0308rich.json'],
    ['config_zu\u0308rich.json', 'config_z\u00fcrich.json'],
    ['espa\u00f1ol.txt', 'espan\u0303ol.txt'],
    ['r\u00e9sum\u00e9.pdf', 're\u0301sume\u0301.pdf'],
    ['\u03b1\u03b2\u03b3.txt', '\u03b1\u03b2\u03b3.txt'],
    ['test_\u{1F600}.txt', 'test_\u{1F600}.txt'],
    ['config_caf\u00e9_2024.json', 'config_cafe\u0301_2024.json'],
    ['*.caf\u00e9', 'test.cafe\u0301'],
    ['caf\u00e9/**', 'cafe\u0301/test.txt'],
  ])('rule %j matches %j', (rule, path) => {
    expect(excludes(parseTerraformIgnore(rule), path)).toBe(true);
  });

  it('a different character still does not match', () => {
    expect(excludes(parseTerraformIgnore('caf\u00e9.txt'), 'cafe.txt')).toBe(false);
  });

  it.each([
    ['*.txt', ['file.txt'], ['test.go', 'src/app/main.js', '.git/config', 'build/output.bin']],
    ['test.go', ['test.go'], ['file.txt', 'src/app/main.js', 'node_modules/package/index.js']],
    ['src/**/*.js', ['src/app/main.js'], ['file.txt', 'node_modules/package/index.js', 'build/output.bin']],
  ])('ASCII rule %j matches as before', (rule, matching, other) => {
    const rules = parseTerraformIgnore(rule);
    for (const path of matching) expect(excludes(rules, path), path).toBe(true);
    for (const path of other) expect(excludes(rules, path), path).toBe(false);
  });
});

describe("go-slug's test trees, packed", () => {
  it('archive-dir: defaults, the .terraformignore, the exec bit, links inside kept and the outside one copied', async () => {
    const { base, root } = await tree({
      '.terraform/file.txt': '',
      '.terraform/modules/README': 'modules',
      '.terraform/plugins/README': 'plugins',
      '.terraformignore': ARCHIVE_DIR_IGNORE,
      '.terraformrc': '',
      'bar.txt': 'bar\n',
      'baz.txt': 'baz',
      exe: { content: '', mode: 0o755 },
      'foo.terraform/bar.txt': '',
      'sub/bar.txt': { link: '../bar.txt' },
      'sub/zip.txt': 'zip\n',
      'sub2/bar.txt': { link: '../sub/bar.txt' },
      'sub2/zip.txt': 'zip\n',
    });
    await writeFile(path.join(base, 'example.tf'), 'resource "null_resource" "foo" {}\n');
    await symlink('../example.tf', path.join(root, 'example.tf'));
    const plan = await planPack(root);
    expect(plan.entries.map((entry) => [entry.path, entry.type])).toEqual([
      ['.terraform/modules/README', 'file'],
      ['.terraformignore', 'file'],
      ['.terraformrc', 'file'],
      ['bar.txt', 'file'],
      ['example.tf', 'file'],
      ['exe', 'file'],
      ['foo.terraform/', 'directory'],
      ['foo.terraform/bar.txt', 'file'],
      ['sub/', 'directory'],
      ['sub/bar.txt', 'symlink'],
      ['sub/zip.txt', 'file'],
      ['sub2/', 'directory'],
      ['sub2/bar.txt', 'symlink'],
      ['sub2/zip.txt', 'file'],
    ]);
    expect(plan.excluded.map((e) => [e.path, e.reason, e.rule])).toEqual([
      ['.terraform/', 'default', '.terraform/'],
      ['.terraform/file.txt', 'default', '.terraform/'],
      ['.terraform/modules/', 'default', '.terraform/'],
      ['.terraform/plugins/', 'default', '.terraform/'],
      ['.terraform/plugins/README', 'default', '.terraform/'],
      ['baz.txt', '.terraformignore', 'baz.txt'],
    ]);
  });

  it('archive-dir-defaults-only: .terraform/modules/ kept to any depth, .terraform/plugins/ left out', async () => {
    const { root } = await tree({
      '.terraform/modules/README': 'x',
      '.terraform/modules/subdir/README': 'x',
      '.terraform/plugins/foo.txt': 'x',
      'bar.txt': 'x',
    });
    expect(await listPackedFiles(root)).toEqual([
      '.terraform/modules/README',
      '.terraform/modules/subdir/',
      '.terraform/modules/subdir/README',
      'bar.txt',
    ]);
  });

  it("sourcebundle's terraformignore package: a file, a directory and a dot-file left out", async () => {
    const { root } = await tree({
      '.terraformignore': 'excluded\nexcluded-dir/\n.excluded\n',
      '.excluded/file.txt': 'x',
      excluded: 'x',
      'excluded-dir/excluded': 'x',
      included: 'x',
    });
    // `.excluded` has no trailing slash: only its directory entry goes, its files stay (as in go-slug).
    expect(await listPackedFiles(root)).toEqual(['.excluded/file.txt', '.terraformignore', 'included']);
  });
});

describe('deliberate differences from go-slug (listed in the README)', () => {
  it('skips a whitespace-only line and a lone "!", on which go-slug panics', () => {
    expect(parseTerraformIgnore('   \n\t\n!\n  !  \nkeep\n').map((rule) => rule.pattern)).toEqual(['keep']);
  });

  it.each([
    ['a(b).tf', 'a(b).tf', 'ab.tf'],
    ['a|b.tf', 'a|b.tf', 'a'],
    ['a+.tf', 'a+.tf', 'aaa.tf'],
    ['a{2}.tf', 'a{2}.tf', 'aa.tf'],
    ['^main.tf', '^main.tf', 'main.tf'],
  ])('reads %j literally (go-slug passes it to its regular expression)', (rule, literal, regexMatch) => {
    const rules = parseTerraformIgnore(rule);
    expect(excludes(rules, literal)).toBe(true);
    expect(excludes(rules, regexMatch)).toBe(false);
  });

  it('negates a class with [!a] as globs do (go-slug matches "!" or "a"), never matching "/"', () => {
    const rules = parseTerraformIgnore('/x[!a].tf');
    expect(excludes(rules, 'xb.tf')).toBe(true);
    expect(excludes(rules, 'xa.tf')).toBe(false);
    expect(excludes(rules, 'x!.tf')).toBe(true);
    expect(excludes(parseTerraformIgnore('/x[!a]y'), 'x/y')).toBe(false);
  });

  it('reads a backslash as making the next character literal (go-slug keeps regex escapes like \\d)', () => {
    const rules = parseTerraformIgnore('log\\d.txt');
    expect(excludes(rules, 'logd.txt')).toBe(true);
    expect(excludes(rules, 'log1.txt')).toBe(false);
  });
});
