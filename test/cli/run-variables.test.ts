import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { collectRunVariables, envVariables, hclLiteral } from '../../src/cli/run-variables.js';

const dir = mkdtempSync(join(tmpdir(), 'tfe-run-vars-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('run variables as HCL literals', () => {
  it('turns JSON values into the HCL literals Terraform reads back to the same values', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ that must stay literal in HCL
    expect(hclLiteral('a "quoted" ${x} %{y}\n')).toBe('"a \\"quoted\\" $${x} %%{y}\\n"');
    expect(hclLiteral(1.5)).toBe('1.5');
    expect(hclLiteral(false)).toBe('false');
    expect(hclLiteral(null)).toBe('null');
    expect(hclLiteral({ 'a-b': [1, { c: 'd' }], e: {} })).toBe('{"a-b" = [1, {"c" = "d"}], "e" = {}}');
    // HCL has no \b or \f escape: they are spelled as \u.
    expect(hclLiteral('\b\f')).toBe('"\\u0008\\u000c"');
  });

  it('reads TF_VAR_* values as Terraform does: [ and { start HCL, the rest are strings', () => {
    expect(envVariables({ TF_VAR_a: '3', TF_VAR_b: ' ["x"]', TF_VAR_: 'no name', PATH: '/bin' })).toEqual([
      { key: 'a', value: '"3"' },
      { key: 'b', value: ' ["x"]' },
    ]);
  });

  it('a later source replaces an earlier one of the same name', async () => {
    expect(
      await collectRunVariables({ 'env-vars': true, var: ['a=from var'], 'var-hcl': ['b=2'] }, 'run', {
        TF_VAR_a: 'from env',
        TF_VAR_b: 'from env',
        TF_VAR_c: 'kept',
      }),
    ).toEqual([
      { key: 'c', value: '"kept"' },
      { key: 'a', value: '"from var"' },
      { key: 'b', value: '2' },
    ]);
  });

  it('reads each --var-file in order by its syntax: .json as JSON, any other name as HCL', async () => {
    const hcl = file('a.tfvars', 'region = "from hcl"\nsize = 1\n');
    const json = file('b.tfvars.json', '{"size": 2}');
    expect(await collectRunVariables({ 'var-file': [hcl, json] }, 'run', {})).toEqual([
      { key: 'region', value: '"from hcl"' },
      { key: 'size', value: '2' },
    ]);
    const env = file('c.auto.tfvars', 'size = [3]\n');
    expect(await collectRunVariables({ 'var-file': [json, env] }, 'run', {})).toEqual([
      { key: 'size', value: '[3]' },
    ]);
  });

  it('a missing file, and JSON that does not parse, are usage errors that never quote the file', async () => {
    await expect(collectRunVariables({ 'var-file': ['/nonexistent/x.tfvars'] }, 'run', {})).rejects.toThrow(
      UsageError,
    );
    const bad = file('bad.tfvars.json', '{"password": hunter2}');
    const err = await collectRunVariables({ 'var-file': [bad] }, 'run', {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/bad\.tfvars\.json is not valid JSON( \(at character \d+\))?\.$/);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
