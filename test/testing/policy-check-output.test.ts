import { afterEach, describe, expect, it } from 'vitest';
import { TfeClient } from '../../src/index.js';
import type { FakeTfe } from '../../src/testing/index.js';
import { type ClockedCore, clockedCore, createRun, fastFake, pollRun, uploadConfig } from './helpers.js';

let fake: FakeTfe;
let clocked: ClockedCore | undefined;
afterEach(() => {
  clocked?.close();
  clocked = undefined;
  return fake?.close();
});

const client = (f: FakeTfe) => new TfeClient({ token: f.token, address: f.url, env: {}, rateLimit: 1000 });

/** Starts a run and waits for one of `statuses`; returns its policy check's id. */
async function policyCheckAt(statuses: string[]): Promise<string> {
  const run = (await createRun(fake, {}, await uploadConfig(fake))).body.data;
  await pollRun(fake, run.id, statuses);
  const { items } = await client(fake).policyChecks.list(run.id);
  return items[0]!.id;
}

describe('policyChecks.output on the fake', () => {
  it('a passed check reports a true Sentinel result', async () => {
    fake = await fastFake();
    const id = await policyCheckAt(['policy_checked']);
    const output = await client(fake).policyChecks.output(id);
    expect(output).toMatch(/^Sentinel Result: true\n/);
    expect(output).toContain('Result: true\n');
  });

  it('a soft-failed check reports a false Sentinel result', async () => {
    fake = await fastFake({ scenario: { policySoftFail: true } });
    const id = await policyCheckAt(['policy_override']);
    expect(await client(fake).policyChecks.output(id)).toMatch(/^Sentinel Result: false\n/);
  });

  it('a check still waiting to run has written nothing yet', async () => {
    clocked = await clockedCore();
    const run = await clocked.createRun();
    const [check] = (await clocked.call('GET', `/runs/${run}/policy-checks`)).body.data;
    expect(check.attributes.status).toBe('pending');
    const res = await clocked.core.handle({
      method: 'GET',
      path: `/api/v2/policy-checks/${check.id}/output`,
      headers: { authorization: `Bearer ${clocked.core.token}` },
      body: undefined,
      surface: 'api',
    });
    expect([res.status, res.headers['content-type'], res.body.toString()]).toEqual([
      200,
      'text/plain; charset=utf-8',
      '',
    ]);
  });

  it('an unknown check is a NotFoundError', async () => {
    fake = await fastFake();
    await expect(client(fake).policyChecks.output('polchk-nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      status: 404,
    });
  });
});
