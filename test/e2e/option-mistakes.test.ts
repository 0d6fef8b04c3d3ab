// Options given in the wrong place or misspelt (issue #19), through the BUILT package (resolved by its own name)
// against the fake TFE over loopback: each is a typed InputValidationError saying what to fix, sent nowhere.
import { InputValidationError, TfeClient } from 'tfe-client';
import { type FakeTfe, startFakeTfe } from 'tfe-client/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let fake: FakeTfe;
let tfe: TfeClient;

beforeEach(async () => {
  fake = await startFakeTfe({ stepMs: 10 });
  tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
});
afterEach(async () => {
  tfe.close();
  await fake.close();
});

/** The error a call rejects (or throws) with. */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('option mistakes', () => {
  it('per-call options in the params slot: the message says request options go in the last argument', async () => {
    const err = await failure(() =>
      // @ts-expect-error: the third argument is the read's params; timeoutMs belongs in the fourth
      tfe.workspaces.read(fake.organization, 'demo', { timeoutMs: 5000 }),
    );
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toContain(
      '"timeoutMs" is a request option: request options go in the last argument',
    );
    expect(fake.core.requests).toEqual([]);
  });

  it('new TfeClient refuses an unknown option and suggests the one meant', async () => {
    const err = await failure(
      // @ts-expect-error: timeoutMS is a typo of timeoutMs
      () => new TfeClient({ token: fake.token, address: fake.url, env: {}, timeoutMS: 5000 }),
    );
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toBe(
      'new TfeClient: unknown option "timeoutMS"; did you mean "timeoutMs"?',
    );
  });

  it('toArray refuses an unknown option beside limit', async () => {
    const workspaceId = fake.core.workspace('demo').id;
    // @ts-expect-error: toArray takes only limit
    const err = await failure(() => tfe.runs.list(workspaceId).toArray({ limit: 5, pageSize: 2 }));
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toBe('toArray: unknown option "pageSize".');
    expect(fake.core.requests).toEqual([]);
  });

  it('toArray without an argument is the typed error, not a TypeError', async () => {
    const workspaceId = fake.core.workspace('demo').id;
    // @ts-expect-error: limit is required, so paging everything is never an accident
    const err = await failure(() => tfe.runs.list(workspaceId).toArray());
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toContain('toArray needs { limit }');
  });

  it('the fake refuses an empty token instead of accepting requests that carry none', async () => {
    await expect(startFakeTfe({ token: '' })).rejects.toThrow('token must not be empty');
  });
});
