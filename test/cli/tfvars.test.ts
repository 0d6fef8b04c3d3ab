// .tfvars files in HCL → run variables. Each literal sent is read back by the same parser Terraform uses
// (hashicorp/hcl in @cdktn/hcl2json) and must give the value the file gives: no value is ever sent changed.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { hclFileVariables } from '../../src/cli/tfvars.js';

const SECRET = 'hunter2-do-not-print';

/** The parser as Terraform runs it; loaded like src/cli/tfvars.ts does, keeping its DOM typings out. */
async function terraformReads(text: string): Promise<Record<string, unknown>> {
  const mod = (await import('@cdktn/hcl2json' as string)) as {
    parse(file: string, text: string): Promise<Record<string, unknown>>;
  };
  return mod.parse('check.tfvars', text);
}

/** Reads a file's variables and checks each literal reads back (with the parser) to the file's own value. */
async function variablesOf(text: string): Promise<Record<string, string>> {
  const variables = await hclFileVariables('vars.tfvars', text, 'run');
  const original = await terraformReads(text);
  for (const { key, value } of variables) {
    const back = await terraformReads(`v = ${value}\n`);
    expect(back.v, `${key} = ${value}`).toEqual(original[key]);
  }
  return Object.fromEntries(variables.map((v) => [v.key, v.value]));
}

async function refusal(text: string): Promise<UsageError> {
  const err = await hclFileVariables('vars.tfvars', text, 'run').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).not.toContain(SECRET);
  return err as UsageError;
}

describe('.tfvars (HCL) values as HCL literals', () => {
  it('sends strings, numbers, bools and null, in file order', async () => {
    const text =
      'region = "eu-west-1"\ncount = 3\nratio = 0.25\non = true\noff = false\nnothing = null\nneg = -5\n';
    const variables = await hclFileVariables('vars.tfvars', text, 'run');
    expect(variables).toEqual([
      { key: 'region', value: '"eu-west-1"' },
      { key: 'count', value: '3' },
      { key: 'ratio', value: '0.25' },
      { key: 'on', value: 'true' },
      { key: 'off', value: 'false' },
      { key: 'nothing', value: 'null' },
      { key: 'neg', value: '-5' },
    ]);
  });

  it('sends numbers as written, keeping precision a JavaScript number would lose', async () => {
    expect(
      await variablesOf(
        'big = 12345678901234567890123\npi = 3.14159265358979323846264338327950288\nhuge = 1e400\n',
      ),
    ).toEqual({ big: '12345678901234567890123', pi: '3.14159265358979323846264338327950288', huge: '1e400' });
  });

  it('decodes escapes and re-encodes them as HCL has them', async () => {
    expect(await variablesOf('s = "a\\nb\\t\\"c\\" \\\\ \\u00e9 \\U0001F600 \\u0008"\n')).toEqual({
      s: '"a\\nb\\t\\"c\\" \\\\ é 😀 \\u0008"',
    });
  });

  it('keeps escaped template sequences literal: $${ and %%{ stay escaped, lone $ and % stay as they are', async () => {
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL escapes, sent literally
      await variablesOf('a = "$${x} and %%{y}"\nb = "$$${x}"\nc = "cost: $5, 100%, $$"\nd = "%%%{x}"\n'),
    ).toEqual({
      a: '"$${x} and %%{y}"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL escape, sent literally
      b: '"$$${x}"',
      c: '"cost: $5, 100%, $$"',
      d: '"%%%{x}"',
    });
  });

  it('reads heredocs, flush (<<-) ones unindented, as quoted strings', async () => {
    const text =
      'a = <<EOT\nhello\n  world $${x}\nEOT\nb = <<-EOT\n    one\n      two\n    EOT\nc = <<EOT\nEOT\n';
    expect(await variablesOf(text)).toEqual({
      a: '"hello\\n  world $${x}\\n"',
      b: '"one\\n  two\\n"',
      c: '""',
    });
  });

  it('reads lists, maps and objects, nested, over lines, with comments and trailing commas', async () => {
    const text = [
      '# the zones',
      'zones = [',
      '  "a", // first',
      '  "b",',
      ']',
      'tags = {',
      '  env = "prod"',
      '  "cost center" = 42',
      '  "tab\\there" = true',
      '  null = null',
      '  1.0 = "one"',
      '  nested = { list = [1, [2, {}], []], "$${k}" = "v" }',
      '}',
      '/* empty */ empty = {}',
    ].join('\n');
    expect(await variablesOf(`${text}\n`)).toEqual({
      zones: '["a", "b"]',
      tags: '{"env" = "prod", "cost center" = 42, "tab\\there" = true, "null" = null, "1" = "one", "nested" = {"list" = [1, [2, {}], []], "$${k}" = "v"}}',
      empty: '{}',
    });
  });

  it('keeps names and values right after multi-byte characters', async () => {
    expect(await variablesOf('名前 = "値"\nnext = "ü"\n')).toEqual({ 名前: '"値"', next: '"ü"' });
  });

  it('reads Windows line ends and a byte order mark as Terraform does', async () => {
    expect(await variablesOf('\uFEFFa = 1\r\nb = <<EOT\r\nx\r\nEOT\r\n')).toEqual({ a: '1', b: '"x\\r\\n"' });
  });

  it('reads an empty file, a comments-only one, and a first variable named for', async () => {
    expect(await variablesOf('')).toEqual({});
    expect(await variablesOf('# nothing here\n')).toEqual({});
    expect(await variablesOf('for = 1\nin = 2\n')).toEqual({ for: '1', in: '2' });
  });
});

describe('.tfvars (HCL) content Terraform refuses, or that is not a literal', () => {
  it('a reference, in a string or bare, is refused as Terraform does, with the file, line and name', async () => {
    const quoted = await refusal(`password = "${SECRET}"\nname = "app-\${var.env}"\n`);
    expect(quoted.message).toBe(
      '--var-file vars.tfvars:2: name refers to var.env, and a variables file holds values only (Terraform: "Variables not allowed"). Write the value itself.',
    );
    expect(quoted.command).toBe('run');
    const bare = await refusal(`password = "${SECRET}"\nzones = [\n  "a",\n  local.zone,\n]\n`);
    expect(bare.message).toMatch(/^--var-file vars\.tfvars:4: zones refers to local\.zone,/);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation under test
  it('an interpolation hcl2json would print like an escaped literal ("$" then ${x}) is refused, not sent as "${x}"', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation under test
    const err = await refusal('a = "${"$"}${x}"\n');
    expect(err.message).toMatch(/a refers to x, .*"Variables not allowed"/);
  });

  it('a function call is refused as Terraform does', async () => {
    const err = await refusal(`ids = toset(["${SECRET}"])\n`);
    expect(err.message).toBe(
      '--var-file vars.tfvars:1: ids calls toset(), and a variables file holds values only (Terraform: "Function calls not allowed"). Write the value it returns.',
    );
  });

  it('constant expressions Terraform would evaluate are refused: the Runs API takes literals', async () => {
    for (const expr of [
      '1 + 2',
      '!true',
      '(5)',
      'true ? 1 : 2',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL interpolation under test
      '"${"x"}"',
      '"%{if true}x%{endif}"',
      '[for x in [1] : x]',
    ]) {
      const err = await refusal(`a = 1\nb = ${expr}\n`);
      expect(err.message, expr).toMatch(
        /^--var-file vars\.tfvars:2: b is an expression, not a literal value\./,
      );
    }
    expect((await refusal('m = { (k) = 1 }\n')).message).toMatch(/m refers to k,/);
  });

  it('a block is refused with its line, a variable block with what to write instead', async () => {
    const block = await refusal(`password = "${SECRET}"\nlocals {\n  a = 1\n}\n`);
    expect(block.message).toBe(
      '--var-file vars.tfvars:2: "locals" is a block, and a variables file holds only name = value lines (Terraform: Unexpected "locals" block; Blocks are not allowed here).',
    );
    const declaration = await refusal(`password = "${SECRET}"\n\nvariable "region" {\n  default = "x"\n}\n`);
    expect(declaration.message).toMatch(
      /^--var-file vars\.tfvars:3: a variable block declares a variable.* write region = <value> \(Terraform: "Variable declaration in \.tfvars file"\)\.$/,
    );
    // Blocks hcl2json itself cannot convert (same type, with and without labels) are named the same way.
    expect((await refusal('b {}\nb "x" {}\n')).message).toMatch(/^--var-file vars\.tfvars:1: "b" is a block/);
  });

  it('a syntax error is the parser message with its position, never quoting a value', async () => {
    const missing = await refusal(`password = "${SECRET}"\nregion = \n`);
    expect(missing.message).toBe(
      '--var-file vars.tfvars:2,10-3,1: Invalid expression; Expected the start of an expression, but found an invalid expression token.',
    );
    const twice = await refusal(`a = "${SECRET}"\na = "other"\n`);
    expect(twice.message).toMatch(
      /^--var-file vars\.tfvars:2,1-2: Attribute redefined; The argument "a" was already set/,
    );
    const quotedName = await refusal(`"a" = "${SECRET}"\n`);
    expect(quotedName.message).toMatch(/Invalid argument name; Argument names must not be quoted\./);
    const several = await refusal(`a = "${SECRET}\nb = "\\q"\n`);
    expect(several.message).toMatch(/^--var-file vars\.tfvars:1,.*\(and \d+ more\)$/);
  });
});
