import { describe, expect, it } from 'vitest';
import { nearest, oneOf, parse, parseDuration, runVariables, UsageError } from '../../src/cli/args.js';

describe('parseDuration', () => {
  it('reads Go-style durations', () => {
    expect(parseDuration('timeout', '90s')).toBe(90_000);
    expect(parseDuration('timeout', '1h30m')).toBe(5_400_000);
    expect(parseDuration('timeout', '500ms')).toBe(500);
    expect(parseDuration('timeout', '1.5m')).toBe(90_000);
  });

  it('refuses a number without a unit, a zero and anything else, naming the flag', () => {
    expect(() => parseDuration('timeout', '30')).toThrow('--timeout 30 needs a unit, e.g. 30s or 30m.');
    expect(() => parseDuration('timeout', '0s')).toThrow('--timeout must be longer than 0');
    expect(() => parseDuration('poll-interval', '5 minutes')).toThrow(
      '--poll-interval must be a duration like 90s, 30m or 1h30m, got "5 minutes".',
    );
  });
});

describe('runVariables', () => {
  it('sends --var values as HCL strings, escaping quotes and template sequences', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL template sequence, sent literally
    expect(runVariables(['a=1', 'b=say "hi"', 'c=${x} %{y}', 'd=k=v'])).toEqual([
      { key: 'a', value: '"1"' },
      { key: 'b', value: '"say \\"hi\\""' },
      { key: 'c', value: '"$${x} %%{y}"' },
      { key: 'd', value: '"k=v"' },
    ]);
  });

  it('sends --var-hcl expressions as they are', () => {
    expect(runVariables([], ['ids=["a", "b"]'])).toEqual([{ key: 'ids', value: '["a", "b"]' }]);
  });

  it('refuses an item without a key', () => {
    expect(() => runVariables(['=x'])).toThrow('--var takes key=value, got "=x".');
    expect(() => runVariables([], ['novalue'])).toThrow('--var-hcl takes key=value, got "novalue".');
  });
});

describe('flag parsing', () => {
  const options = { workspace: { type: 'string' }, json: { type: 'boolean' } } as const;

  it('suggests the nearest flag for a misspelled one', () => {
    expect(() => parse('run', ['--worksapce', 'x'], options)).toThrow(
      'unknown flag --worksapce; did you mean --workspace?',
    );
  });

  it('names a flag given without its value, even when the next word is a flag', () => {
    expect(() => parse('run', ['--workspace', '--json'], options)).toThrow(/--workspace needs a value/);
  });

  it('refuses a value for a boolean flag and extra positionals', () => {
    expect(() => parse('run', ['--json=yes'], options)).toThrow('--json takes no value.');
    expect(() => parse('run show', ['run-1', 'run-2'], options, 1)).toThrow(
      'unexpected argument at position 2.',
    );
  });

  it('names the command whose help explains the fix', () => {
    let error: unknown;
    try {
      parse('run create', ['--nope'], options);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ command: 'run create' });
  });

  it('oneOf lists what is allowed', () => {
    expect(oneOf('apply', undefined, ['auto', 'never'], 'never')).toBe('never');
    expect(() => oneOf('apply', 'yes', ['auto', 'never'], 'never')).toThrow(
      '--apply must be one of auto, never; got "yes".',
    );
  });

  it('nearest stays silent when nothing is close', () => {
    expect(nearest('zzzzzz', ['workspace', 'apply'])).toBeUndefined();
    expect(nearest('aply', ['workspace', 'apply'])).toBe('apply');
  });
});
