import { describe, expect, it } from 'vitest';
import { getBooleanInput, runArguments, runEnvironment, tokensOf } from '../../src/action/inputs.js';
import { UsageError } from '../../src/cli/args.js';

describe('action inputs → tfe run flags', () => {
  it('maps inputs to the flags of the same names, multi-line inputs to repeated flags, and skips empty ones', () => {
    expect(
      runArguments({
        'INPUT_WORKSPACE-ID': 'ws-1',
        INPUT_DIRECTORY: 'infra',
        INPUT_TARBALL: '',
        INPUT_MESSAGE: '-starts with a dash',
        'INPUT_PLAN-ONLY': 'true',
        INPUT_DESTROY: 'false',
        INPUT_TARGET: 'a.b\n\n  c.d  \r\n',
        INPUT_VARIABLES: 'x=1\ny=two words',
        INPUT_TOKEN: 'tok',
      }),
    ).toEqual([
      '--token=tok',
      '--workspace-id=ws-1',
      '--dir=infra',
      '--message=-starts with a dash',
      '--plan-only',
      '--target=a.b',
      '--target=c.d',
      '--var=x=1',
      '--var=y=two words',
    ]);
  });

  it('reads booleans as YAML spells them and refuses anything else', () => {
    expect(getBooleanInput('logs', { INPUT_LOGS: 'True' })).toBe(true);
    expect(getBooleanInput('logs', { INPUT_LOGS: 'FALSE' })).toBe(false);
    expect(getBooleanInput('logs', {})).toBe(false);
    expect(() => getBooleanInput('logs', { INPUT_LOGS: 'yes' })).toThrow(UsageError);
  });

  it('masks every token the step may use: inputs, TFE_TOKEN, TF_API_TOKEN, TF_TOKEN_<host>, GITHUB_TOKEN', () => {
    expect(
      tokensOf({
        INPUT_TOKEN: 'a',
        'INPUT_GITHUB-TOKEN': 'g',
        TFE_TOKEN: 'b',
        TF_API_TOKEN: 'a',
        TF_TOKEN_tfe_example_com: 'c',
        GITHUB_TOKEN: 'g',
        TFE_ORGANIZATION: 'acme',
      }).sort(),
    ).toEqual(['a', 'b', 'c', 'g']);
  });

  it('hands the github-token input to the CLI as GITHUB_TOKEN unless the step sets one', () => {
    expect(runEnvironment({ 'INPUT_GITHUB-TOKEN': 'g' }).GITHUB_TOKEN).toBe('g');
    expect(runEnvironment({ 'INPUT_GITHUB-TOKEN': 'g', GITHUB_TOKEN: 'own' }).GITHUB_TOKEN).toBe('own');
  });
});
