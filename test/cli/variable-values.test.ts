import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hclOf } from '../../src/cli/args.js';
import { encodeValue, parseAssignments, readVariablesFile } from '../../src/cli/commands/variables.js';

const SECRET = 'hunter2-do-not-print';

describe('parseAssignments', () => {
  it('splits KEY=VALUE at the first "=" and keeps an empty value', () => {
    expect(parseAssignments(['a=1', 'b=k=v', 'c='], {}, 'variable set')).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'k=v' },
      { key: 'c', value: '' },
    ]);
  });

  it('takes a bare KEY from the environment variable of that name', () => {
    expect(parseAssignments(['TOKEN'], { TOKEN: SECRET }, 'variable set')).toEqual([
      { key: 'TOKEN', value: SECRET },
    ]);
  });

  it('a bare KEY missing from the environment names the key', () => {
    expect(() => parseAssignments(['TOKEN'], {}, 'variable set')).toThrow(
      'TOKEN has no value: pass TOKEN=VALUE, or set TOKEN in the environment',
    );
  });

  it('a missing key names the argument, not its value', () => {
    const err = (() => {
      try {
        parseAssignments(['a=1', `=${SECRET}`], {}, 'variable set');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toBe('argument 2 has no key before "=": pass KEY=VALUE.');
  });
});

describe('encodeValue and hclOf', () => {
  it('sends a string as is, as HCL only with --hcl', () => {
    expect(encodeValue('us-east-1', 'terraform', false)).toEqual({ value: 'us-east-1', hcl: false });
    expect(encodeValue('["a"]', 'terraform', true)).toEqual({ value: '["a"]', hcl: true });
  });

  it('sends any other JSON value as HCL written as JSON', () => {
    expect(encodeValue(3, 'terraform', false)).toEqual({ value: '3', hcl: true });
    expect(encodeValue(true, 'terraform', false)).toEqual({ value: 'true', hcl: true });
    expect(encodeValue(null, 'terraform', false)).toEqual({ value: 'null', hcl: true });
    expect(encodeValue({ tags: ['a', 'b'], n: 1 }, 'terraform', false)).toEqual({
      value: '{"tags":["a","b"],"n":1}',
      hcl: true,
    });
  });

  it('sends a non-string env value as its JSON text, never as HCL', () => {
    expect(encodeValue(3, 'env', false)).toEqual({ value: '3', hcl: false });
    expect(encodeValue(['a'], 'env', false)).toEqual({ value: '["a"]', hcl: false });
  });

  it('keeps strings inside HCL literal: templates doubled, escapes HCL lacks spelled as \\u', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL template sequence, sent literally
    expect(hclOf(['${x}', '%{if}', '\\${y}', '\b\f\n"'])).toBe(
      '["$${x}","%%{if}","\\\\$${y}","\\u0008\\u000c\\n\\""]',
    );
  });
});

describe('readVariablesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfe-vars-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a JSON object of key → value', () => {
    const path = file('ok.tfvars.json', '{"region": "eu-west-1", "count": 2, "tags": {"env": "prod"}}');
    expect(readVariablesFile(path, 'variable set')).toEqual([
      { key: 'region', value: 'eu-west-1' },
      { key: 'count', value: 2 },
      { key: 'tags', value: { env: 'prod' } },
    ]);
  });

  it('invalid JSON is named with where it breaks, never quoting the content', () => {
    const path = file('bad.json', `{"password": ${SECRET}}`);
    const err = (() => {
      try {
        readVariablesFile(path, 'variable set');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(/^--from-file .*bad\.json is not valid JSON/);
    expect(err?.message).not.toContain('hunter2');
  });

  it('anything but an object, and a missing file, are usage errors', () => {
    expect(() => readVariablesFile(file('list.json', '["a"]'), 'variable set')).toThrow(
      'must hold a JSON object of key → value',
    );
    expect(() => readVariablesFile(join(dir, 'nope.json'), 'variable set')).toThrow(
      'not found or not readable',
    );
  });
});
