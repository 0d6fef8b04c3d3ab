import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { collectRunVariables, envVariables, hclLiteral } from '../../src/cli/run-variables.js';

describe('run variables as HCL literals', () => {
  it('turns JSON values into the HCL literals Terraform reads back to the same values', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ that must stay literal in HCL
    expect(hclLiteral('a "quoted" ${x} %{y}\n')).toBe('"a \\"quoted\\" $${x} %%{y}\\n"');
    expect(hclLiteral(1.5)).toBe('1.5');
    expect(hclLiteral(false)).toBe('false');
    expect(hclLiteral(null)).toBe('null');
    expect(hclLiteral({ 'a-b': [1, { c: 'd' }], e: {} })).toBe('{"a-b" = [1, {"c" = "d"}], "e" = {}}');
  });

  it('reads TF_VAR_* values as Terraform does: [ and { start HCL, the rest are strings', () => {
    expect(envVariables({ TF_VAR_a: '3', TF_VAR_b: ' ["x"]', TF_VAR_: 'no name', PATH: '/bin' })).toEqual([
      { key: 'a', value: '"3"' },
      { key: 'b', value: ' ["x"]' },
    ]);
  });

  it('a later source replaces an earlier one of the same name', () => {
    expect(
      collectRunVariables({ 'env-vars': true, var: ['a=from var'], 'var-hcl': ['b=2'] }, 'run', {
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

  it('refuses an HCL .tfvars file and a missing file with what to do', () => {
    expect(() => collectRunVariables({ 'var-file': ['prod.tfvars'] }, 'run', {})).toThrow(
      /only \.tfvars\.json files are read\. Convert it to JSON/,
    );
    expect(() => collectRunVariables({ 'var-file': ['/nonexistent/x.tfvars.json'] }, 'run', {})).toThrow(
      UsageError,
    );
  });
});
