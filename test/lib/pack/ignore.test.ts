import { describe, expect, it } from 'vitest';
import { evaluateIgnore } from '../../../src/lib/pack/ignore.js';
import {
  DEFAULT_IGNORE_PATTERNS,
  DEFAULT_IGNORE_RULES,
  isIgnored,
  parseTerraformIgnore,
} from '../../../src/lib/pack/index.js';

describe('parseTerraformIgnore', () => {
  it('returns one rule per pattern line, with negation split off', () => {
    const rules = parseTerraformIgnore('# comment\n\n*.log\n!keep.log\n/build/\n');
    expect(rules.map((rule) => [rule.pattern, rule.negated])).toEqual([
      ['*.log', false],
      ['keep.log', true],
      ['/build/', false],
    ]);
  });

  it('skips a lone "!"', () => {
    expect(parseTerraformIgnore('!\n')).toEqual([]);
  });

  it('makes a rule it cannot compile match nothing, as go-slug does', () => {
    const rules = parseTerraformIgnore('[z-a]\n');
    expect(isIgnored('z', false, rules)).toBe(false);
  });
});

describe('isIgnored', () => {
  const rules = parseTerraformIgnore('build/\n*.log\n');

  it('matches a directory-only pattern for a directory, with or without a trailing slash', () => {
    expect([isIgnored('build', true, rules), isIgnored('build/', true, rules)]).toEqual([true, true]);
  });

  it('does not match a directory-only pattern for a file of that name', () => {
    expect(isIgnored('build', false, rules)).toBe(false);
  });

  it('matches what lies below an ignored directory', () => {
    expect(isIgnored('build/out/app.zip', false, rules)).toBe(true);
  });
});

describe('DEFAULT_IGNORE_RULES', () => {
  it("are the parsed DEFAULT_IGNORE_PATTERNS, in go-slug's order", () => {
    expect(DEFAULT_IGNORE_PATTERNS).toEqual(['.terraform/', '!.terraform/modules/', '.git/']);
    expect(DEFAULT_IGNORE_RULES.map((rule) => [rule.negated, rule.source])).toEqual([
      [false, 'default'],
      [true, 'default'],
      [false, 'default'],
    ]);
  });

  it('leave .git/ out whole, unwalked, when no rule of the file negates after it', async () => {
    expect(evaluateIgnore('.git/', DEFAULT_IGNORE_RULES)).toMatchObject({ excluded: true, dominating: true });
    expect(evaluateIgnore('.terraform/', DEFAULT_IGNORE_RULES)).toMatchObject({
      excluded: true,
      dominating: false,
    });
  });

  it('ignore .git and .terraform contents at any depth but not .terraform/modules', () => {
    const verdicts = [
      '.git/HEAD',
      'sub/.git/HEAD',
      '.terraform/providers/x',
      '.terraform/modules/m/main.tf',
    ].map((p) => isIgnored(p, false, DEFAULT_IGNORE_RULES));
    expect(verdicts).toEqual([true, true, true, false]);
  });
});
