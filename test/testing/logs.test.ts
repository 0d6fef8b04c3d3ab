import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, type Doc, fastFake, pollRun, uploadConfig } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

async function appliedRun(): Promise<Doc> {
  const run = (await createRun(fake, { 'auto-apply': true }, await uploadConfig(fake))).body.data;
  await pollRun(fake, run.id, ['applied']);
  return run;
}

describe('plan and apply logs', () => {
  it('serves the plan log as Terraform JSON lines without authentication', async () => {
    fake = await fastFake();
    const run = await appliedRun();
    const plan = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data;
    const url: string = plan.attributes['log-read-url'];
    expect(url.startsWith(fake.uploadUrl)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'version', '@level': 'info' });
    expect(lines.at(-1)).toMatchObject({
      type: 'change_summary',
      '@message': 'Plan: 2 to add, 0 to change, 0 to destroy.',
      changes: { add: 2, change: 0, remove: 0, operation: 'plan' },
    });
  });

  it('serves the apply log ending with the apply summary', async () => {
    fake = await fastFake();
    const run = await appliedRun();
    const apply = (await api(fake, 'GET', `/runs/${run.id}/apply`)).body.data;
    const text = await (await fetch(apply.attributes['log-read-url'])).text();
    expect(text.trim().split('\n').at(-1)).toContain(
      'Apply complete! Resources: 2 added, 0 changed, 0 destroyed.',
    );
  });

  it('writes plain text lines when asked', async () => {
    fake = await fastFake({ logFormat: 'text' });
    const run = await appliedRun();
    const plan = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data;
    const text = await (await fetch(plan.attributes['log-read-url'])).text();
    expect(text.split('\n')[0]).toBe('Terraform 1.9.4');
  });

  it('serves a byte range with offset and limit', async () => {
    fake = await fastFake();
    const run = await appliedRun();
    const url = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data.attributes['log-read-url'];
    const whole = await (await fetch(url)).text();
    expect(await (await fetch(`${url}?offset=5&limit=10`)).text()).toBe(whole.slice(5, 15));
  });

  it('serves a log request carrying an Authorization header, and records the header', async () => {
    fake = await fastFake();
    const run = await appliedRun();
    const url = (await api(fake, 'GET', `/runs/${run.id}/plan`)).body.data.attributes['log-read-url'];
    expect((await fetch(url, { headers: { authorization: `Bearer ${fake.token}` } })).status).toBe(200);
    const reads = fake.core.requests.filter((r) => r.surface === 'archivist' && r.method === 'GET');
    expect(reads.at(-1)?.headers.authorization).toBe(`Bearer ${fake.token}`);
  });
});
