import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeTfe } from '../../src/testing/index.js';
import { api, createRun, type Doc, fastFake, pollRun, uploadConfig, workspaceId } from './helpers.js';

const paginationFixture: Doc = JSON.parse(
  readFileSync(new URL('./fixtures/pagination.json', import.meta.url), 'utf8'),
);

let fake: FakeTfe;
afterEach(() => fake?.close());

/** The workspace run list leaves plan-only runs out unless this asks for them. */
const PLAN_ONLY = 'filter%5Boperation%5D=plan_only';

async function fiveRuns(): Promise<string[]> {
  const cv = await uploadConfig(fake);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await createRun(fake, { 'plan-only': true }, cv)).body.data.id);
  return ids;
}

describe('list endpoints', () => {
  it('pages runs with meta.pagination and links shaped like the docs', async () => {
    fake = await fastFake();
    await fiveRuns();
    const res = await api(
      fake,
      'GET',
      `/workspaces/${workspaceId(fake)}/runs?page%5Bnumber%5D=2&page%5Bsize%5D=2&${PLAN_ONLY}`,
    );
    expect(res.body.data).toHaveLength(2);
    expect(Object.keys(res.body.links).sort()).toEqual(Object.keys(paginationFixture.links).sort());
    expect(Object.keys(res.body.meta.pagination)).toEqual(
      expect.arrayContaining(Object.keys(paginationFixture.meta.pagination)),
    );
    expect(res.body.meta.pagination).toEqual({
      'current-page': 2,
      'page-size': 2,
      'prev-page': 1,
      'next-page': 3,
      'total-pages': 3,
      'total-count': 5,
    });
    const base = `${fake.url}/api/v2/workspaces/${workspaceId(fake)}/runs`;
    expect(res.body.links.next).toBe(`${base}?page%5Bnumber%5D=3&page%5Bsize%5D=2&${PLAN_ONLY}`);
    expect(res.body.links.first).toBe(`${base}?page%5Bnumber%5D=1&page%5Bsize%5D=2&${PLAN_ONLY}`);
  });

  it('lists newest runs first', async () => {
    fake = await fastFake();
    const ids = await fiveRuns();
    const res = await api(fake, 'GET', `/workspaces/${workspaceId(fake)}/runs?${PLAN_ONLY}`);
    expect(res.body.data.map((r: Doc) => r.id)).toEqual([...ids].reverse());
  });

  it('defaults to 20 per page and caps page[size] at 100', async () => {
    fake = await fastFake();
    await fiveRuns();
    const ws = workspaceId(fake);
    expect((await api(fake, 'GET', `/workspaces/${ws}/runs`)).body.meta.pagination['page-size']).toBe(20);
    const big = await api(fake, 'GET', `/workspaces/${ws}/runs?page[size]=1000`);
    expect(big.body.meta.pagination['page-size']).toBe(100);
  });

  it('returns an empty last page past the end', async () => {
    fake = await fastFake();
    await fiveRuns();
    const res = await api(fake, 'GET', `/workspaces/${workspaceId(fake)}/runs?page[number]=9`);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.pagination['next-page']).toBeNull();
  });

  it('filters runs by status, operation and status group', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const speculative = (await createRun(fake, { 'plan-only': true }, cv)).body.data.id;
    const normal = (await createRun(fake, {}, cv)).body.data.id;
    await pollRun(fake, speculative, ['planned_and_finished']);
    await pollRun(fake, normal, ['policy_checked']);
    const ws = workspaceId(fake);
    const ids = async (q: string) =>
      (await api(fake, 'GET', `/workspaces/${ws}/runs?${q}`)).body.data.map((r: Doc) => r.id);
    expect(await ids('filter[status]=policy_checked')).toEqual([normal]);
    expect(await ids('filter[operation]=plan_only')).toEqual([speculative]);
    // Plan-only runs are left out unless filter[operation] asks for them (run.mdx).
    expect(await ids('filter[status_group]=final')).toEqual([]);
    expect(await ids('filter[status_group]=final&filter[operation]=plan_only')).toEqual([speculative]);
    expect(await ids('filter[status_group]=non_final')).toEqual([normal]);
    expect(await ids('filter[status_group]=discardable')).toEqual([normal]);
    expect(await ids('filter[source]=tfe-api')).toEqual([normal]);
    expect(await ids('filter[operation]=plan_only,plan_and_apply')).toEqual([normal, speculative]);
  });

  it('filter[status_group]=discardable holds only the states run.mdx lists: not pending, not a run-task decision', async () => {
    fake = await fastFake({ scenario: { awaitDecision: 'post_plan' } });
    const cv = await uploadConfig(fake);
    const deciding = (await createRun(fake, {}, cv)).body.data.id;
    const pending = (await createRun(fake, {}, cv)).body.data.id;
    await pollRun(fake, deciding, ['post_plan_awaiting_decision']);
    const ws = workspaceId(fake);
    const group = await api(fake, 'GET', `/workspaces/${ws}/runs?filter[status_group]=discardable`);
    expect(group.body.data).toEqual([]);
    const nonFinal = await api(fake, 'GET', `/workspaces/${ws}/runs?filter[status_group]=non_final`);
    expect(nonFinal.body.data.map((r: Doc) => r.id)).toEqual([pending, deciding]);
  });

  it('pages the organization run list without totals, as run.mdx shows', async () => {
    fake = await fastFake();
    await fiveRuns();
    const res = await api(
      fake,
      'GET',
      `/organizations/${fake.organization}/runs?page%5Bnumber%5D=2&page%5Bsize%5D=2`,
    );
    expect(res.body.meta.pagination).toEqual({
      'current-page': 2,
      'page-size': 2,
      'prev-page': 1,
      'next-page': 3,
    });
    expect(Object.keys(res.body.links).sort()).toEqual(['next', 'prev', 'self']);
    const last = await api(
      fake,
      'GET',
      `/organizations/${fake.organization}/runs?page%5Bnumber%5D=3&page%5Bsize%5D=2`,
    );
    expect([last.body.data.length, last.body.meta.pagination['next-page']]).toEqual([1, null]);
  });

  it('lists runs across an organization, filtered by workspace name', async () => {
    fake = await fastFake({ workspaces: ['demo', 'other'] });
    await createRun(fake, { 'plan-only': true }, await uploadConfig(fake));
    await createRun(
      fake,
      { 'plan-only': true },
      await uploadConfig(fake, undefined, undefined, 'other'),
      'other',
    );
    const all = await api(fake, 'GET', `/organizations/${fake.organization}/runs`);
    expect(all.body.data).toHaveLength(2);
    const one = await api(
      fake,
      'GET',
      `/organizations/${fake.organization}/runs?filter[workspace_names]=other`,
    );
    expect(one.body.data).toHaveLength(1);
  });

  it('filters run lists by timeframe (a year, or the past year by default for the organization) and agent pools', async () => {
    fake = await fastFake();
    const cv = await uploadConfig(fake);
    const recent = (await createRun(fake, { 'plan-only': true }, cv)).body.data.id;
    const old = (await createRun(fake, { 'plan-only': true }, cv)).body.data.id;
    fake.core.store.runs.get(old)!.createdAt = new Date('2019-06-01T00:00:00Z');
    const ids = async (path: string) => (await api(fake, 'GET', path)).body.data.map((r: Doc) => r.id);
    const ws = `/workspaces/${workspaceId(fake)}/runs?${PLAN_ONLY}`;
    const org = `/organizations/${fake.organization}/runs`;
    expect(await ids(ws)).toEqual([old, recent]);
    expect(await ids(`${ws}&filter%5Btimeframe%5D=2019`)).toEqual([old]);
    expect(await ids(`${ws}&filter%5Btimeframe%5D=year`)).toEqual([recent]);
    expect(await ids(org)).toEqual([recent]);
    expect(await ids(`${org}?filter%5Btimeframe%5D=2019`)).toEqual([old]);
    // No run of the fake runs on an agent pool.
    expect(await ids(`${ws}&filter%5Bagent_pool_names%5D=pool-a`)).toEqual([]);
    const bad = await api(fake, 'GET', `${org}?filter%5Btimeframe%5D=last-year`);
    expect(bad.status).toBe(400);
  });

  it('searches workspaces by name and by tags', async () => {
    fake = await fastFake({ workspaces: ['app-prod', 'app-dev', 'db'] });
    fake.core.workspace('app-prod').tagNames = ['prod'];
    const org = fake.organization;
    const names = async (q: string) =>
      (await api(fake, 'GET', `/organizations/${org}/workspaces?${q}`)).body.data.map(
        (w: Doc) => w.attributes.name,
      );
    expect(await names('search[name]=app')).toEqual(['app-dev', 'app-prod']);
    expect(await names('search[tags]=prod')).toEqual(['app-prod']);
    expect(await names('page[size]=1&page[number]=3')).toEqual(['db']);
  });

  it('pages configuration versions of a workspace', async () => {
    fake = await fastFake();
    await uploadConfig(fake);
    await uploadConfig(fake);
    const res = await api(
      fake,
      'GET',
      `/workspaces/${workspaceId(fake)}/configuration-versions?page[size]=1`,
    );
    expect(res.body.data).toHaveLength(1);
    expect(res.body.meta.pagination['total-count']).toBe(2);
  });
});
