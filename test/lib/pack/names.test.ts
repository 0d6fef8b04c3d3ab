import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { listPackedFiles, packDirectory, planPack } from '../../../src/lib/pack/index.js';
import { collect, entryNames, rawEntries, useTempDirs } from './helpers.js';

const { tree } = useTempDirs();

// The same names, composed (NFC: é is one code point) and decomposed (NFD: e + U+0301), as macOS writes them.
const NFC = 'donn\u00e9es.tfvars';
const NFD = 'donne\u0301es.tfvars';

describe('Unicode normalization of .terraformignore rules and names (NFC, as go-slug)', () => {
  it('a composed rule excludes a file whose name is decomposed', async () => {
    const { root } = await tree({ '.terraformignore': `${NFC}\n`, [NFD]: 'secret', 'main.tf': 'x' });
    expect(await listPackedFiles(root)).toEqual(['.terraformignore', 'main.tf']);
  });

  it('a decomposed rule excludes a file whose name is composed', async () => {
    const { root } = await tree({ '.terraformignore': `${NFD}\n`, [NFC]: 'secret', 'main.tf': 'x' });
    expect(await entryNames(packDirectory(root))).toEqual(['.terraformignore', 'main.tf']);
  });

  it('a decomposed directory name matches a composed trailing-slash rule, and a wildcard with accents', async () => {
    const { root } = await tree({
      '.terraformignore': 'm\u00fcnchen/\n*.caf\u00e9\n',
      'mu\u0308nchen/test.txt': 'x',
      'test.cafe\u0301': 'x',
      'main.tf': 'x',
    });
    expect(await listPackedFiles(root)).toEqual(['.terraformignore', 'main.tf']);
  });

  it('a ! rule brings back a file whatever the form of the rule and of the name', async () => {
    for (const [rule, file] of [
      [NFC, NFD],
      [NFD, NFC],
    ]) {
      const { root } = await tree({
        '.terraformignore': `*.tfvars\n!${rule}\n`,
        [file as string]: 'x',
        'b.tfvars': 'x',
      });
      expect(await listPackedFiles(root)).toEqual(['.terraformignore', file]);
    }
  });

  it('the archive keeps the name exactly as on disk', async () => {
    const { root } = await tree({ [NFD]: 'x' });
    const [entry] = rawEntries(await collect(packDirectory(root)));
    expect(entry?.path.equals(Buffer.from(NFD))).toBe(true);
  });
});

/** `café` in Latin-1: the é is the lone byte 0xE9, not valid UTF-8. */
const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

function under(root: string, ...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat([
    Buffer.from(root),
    ...parts.flatMap((part) => [Buffer.from('/'), Buffer.from(part)]),
  ]);
}

describe('names that are not valid UTF-8', () => {
  it('are packed with their bytes, as files, as directories, and as link targets', async () => {
    const { root } = await tree({ 'main.tf': 'x' });
    const fileName = Buffer.concat([LATIN1, Buffer.from('.tf')]);
    await writeFile(under(root, fileName), 'latin1 file');
    await mkdir(under(root, LATIN1));
    await writeFile(under(root, LATIN1, 'inner.tf'), 'inside');
    await symlink(fileName, under(root, 'alias.tf'));
    expect((await readdir(root, { encoding: 'buffer' })).some((name) => name.equals(fileName))).toBe(true);

    const entries = rawEntries(await collect(packDirectory(root)));
    const shown = entries.map((entry) => [
      entry.path.toString('latin1'),
      entry.type,
      entry.linkpath.toString('latin1'),
      entry.content.toString(),
    ]);
    expect(shown).toEqual([
      ['alias.tf', '2', 'caf\u00e9.tf', ''],
      ['caf\u00e9.tf', '0', '', 'latin1 file'],
      ['caf\u00e9/', '5', '', ''],
      ['caf\u00e9/inner.tf', '0', '', 'inside'],
      ['main.tf', '0', '', 'x'],
    ]);
  });

  it('are matched by ignore rules, and listed with the odd byte written \\xNN', async () => {
    const { root } = await tree({ '.terraformignore': '*.secret\n', 'main.tf': 'x' });
    await writeFile(under(root, Buffer.concat([LATIN1, Buffer.from('.secret')])), 'hidden');
    await writeFile(under(root, Buffer.concat([LATIN1, Buffer.from('.tf')])), 'kept');
    const plan = await planPack(root);
    expect(plan.entries.map((entry) => entry.path)).toEqual(['.terraformignore', 'caf\\xe9.tf', 'main.tf']);
    expect(plan.excluded).toEqual([
      {
        path: 'caf\\xe9.secret',
        type: 'file',
        reason: '.terraformignore',
        rule: '*.secret',
        line: 1,
        wholeDirectory: false,
      },
    ]);
  });
});

describe('a .terraformignore with a byte-order mark', () => {
  it('still applies its first rule', async () => {
    const { root } = await tree({
      '.terraformignore': '\uFEFFsecret.tfvars\n',
      'secret.tfvars': 'x',
      'main.tf': 'x',
    });
    expect(await listPackedFiles(root)).toEqual(['.terraformignore', 'main.tf']);
  });
});
