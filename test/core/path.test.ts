import { describe, expect, it } from 'vitest';
import { InputValidationError } from '../../src/core/errors.js';
import { buildQuery, encodeSegment, path } from '../../src/core/path.js';

describe('path', () => {
  it('interpolates a plain id unchanged', () => {
    expect(path`/runs/${'run-CZcmD7eagjhyX0vN'}/actions/apply`).toBe(
      '/runs/run-CZcmD7eagjhyX0vN/actions/apply',
    );
  });

  it('percent-encodes characters a name may hold', () => {
    expect(path`/organizations/${'org:é@1'}/workspaces`).toBe('/organizations/org%3A%C3%A9%401/workspaces');
  });

  it.each([
    ['', 'must not be empty'],
    ['..', 'would change the request path'],
    ['.', 'would change the request path'],
    ['a/b', 'contains "/"'],
    ['../x', 'contains "/"'],
    ['run-1?x=1', 'contains "?"'],
    ['run-1#frag', 'contains "#"'],
    ['run 1', 'contains " "'],
    ['run-1\n', 'contains "\\n"'],
    ['a%2Fb', 'contains "%"'],
  ])('rejects %j before any request', (id, message) => {
    expect(() => path`/runs/${['runId', id]}`).toThrow(InputValidationError);
    expect(() => path`/runs/${['runId', id]}`).toThrow(message);
  });

  it('names the field in the error', () => {
    try {
      path`/runs/${['runId', '']}`;
      expect.unreachable();
    } catch (err) {
      expect((err as InputValidationError).field).toBe('runId');
      expect((err as Error).message).toBe('runId must not be empty.');
    }
  });

  it('rejects a value that is not a string', () => {
    expect(() => encodeSegment(undefined, 'runId')).toThrow('runId must be a string, got undefined.');
    expect(() => encodeSegment(42, 'runId')).toThrow('got number');
  });
});

describe('buildQuery', () => {
  it('percent-encodes brackets and joins lists with commas', () => {
    expect(
      buildQuery({ 'page[number]': 2, 'filter[status]': ['planned', 'applied'], include: ['plan'] }),
    ).toBe('?page%5Bnumber%5D=2&filter%5Bstatus%5D=planned%2Capplied&include=plan');
  });

  it('leaves out undefined, null and empty lists', () => {
    expect(buildQuery({ a: undefined, b: null, c: [], d: false })).toBe('?d=false');
    expect(buildQuery({})).toBe('');
  });
});
