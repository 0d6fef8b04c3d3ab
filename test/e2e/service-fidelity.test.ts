// End to end: the BUILT package against the fake TFE over loopback, on the behaviours the fake takes from the
// API docs: where runs pause (Run States page), how the two run lists page (run.mdx), upload-url only on create
// (configuration-versions.mdx), the state version an apply wrote (applies.mdx, state-versions.mdx).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputValidationError, type Run, TfeClient } from 'tfe-client';
import { type FakeTfe, type RunScenario, startFakeTfe } from 'tfe-client/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let fake: FakeTfe | undefined;
let tfe: TfeClient | undefined;
let dir: string;
const poll = { initialMs: 10, maxMs: 30 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfe-fidelity-'));
  writeFileSync(join(dir, 'main.tf'), 'resource "null_resource" "a" {}\nresource "null_resource" "b" {}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  tfe?.close();
  await fake?.close();
});

async function start(
  scenario: RunScenario = {},
): Promise<{ fake: FakeTfe; tfe: TfeClient; workspaceId: string }> {
  fake = await startFakeTfe({ stepMs: 5, scenario });
  tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  return { fake, tfe, workspaceId: fake.core.workspace('demo').id };
}

/** Uploads `dir` to a new version (no auto-queued run) and creates a run on it. */
async function newRun(
  client: TfeClient,
  workspaceId: string,
  attrs: { planOnly?: boolean } = {},
): Promise<Run> {
  const cv = await client.configurationVersions.create(workspaceId, {
    autoQueueRuns: false,
    speculative: attrs.planOnly,
  });
  await client.configurationVersions.upload(cv, dir);
  await client.configurationVersions.waitForUpload(cv.id, { pollIntervalMs: 10 });
  return client.runs.create({ workspaceId, configurationVersionId: cv.id, ...attrs });
}

describe('runs.waitFor settles where the run pauses, whatever its last stage', () => {
  const pauses: [string, RunScenario][] = [
    ['policy_checked', {}],
    ['cost_estimated', { policyCheck: false }],
    ['post_plan_completed', { policyCheck: false, costEstimation: false }],
    ['planned', { policyCheck: false, costEstimation: false, postPlanTasks: false }],
  ];
  for (const [status, scenario] of pauses) {
    it(`${status}: needs_confirmation, and apply there applies`, async () => {
      const { tfe: client, workspaceId } = await start(scenario);
      const run = await newRun(client, workspaceId);
      const seen: string[] = [];
      const waited = await client.runs.waitFor(run.id, {
        pollIntervalMs: poll,
        timeoutMs: 10_000,
        onChange: (r) => seen.push(r.status),
      });
      expect(waited.outcome).toBe('needs_confirmation');
      expect(waited.run.status).toBe(status);
      expect(waited.run.actions.isConfirmable).toBe(true);
      await client.runs.apply(run.id, { comment: 'e2e' });
      const applied = await client.runs.waitFor(run.id, { pollIntervalMs: poll, timeoutMs: 10_000 });
      expect(applied.outcome).toBe('applied');
    });
  }
});

describe('run lists as run.mdx describes them', () => {
  it('the workspace list leaves plan-only runs out unless operation asks for them', async () => {
    const { tfe: client, workspaceId } = await start();
    const speculative = await newRun(client, workspaceId, { planOnly: true });
    const normal = await newRun(client, workspaceId);
    const plain = await client.runs.list(workspaceId);
    expect(plain.items.map((r) => r.id)).toEqual([normal.id]);
    const both = await client.runs.list(workspaceId, { operation: ['plan_only', 'plan_and_apply'] });
    expect(both.items.map((r) => r.id)).toEqual([normal.id, speculative.id]);
  });

  it('the organization list pages without totals: await, for await, toArray and read-ahead all work', async () => {
    const { fake: server, tfe: client } = await start();
    const cv = server.core.workspace('demo').id;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await newRun(client, cv, { planOnly: true })).id);
    const newestFirst = [...made].reverse();
    const first = await client.runs.listForOrganization(server.organization, { pageSize: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.pagination?.totalPages).toBeUndefined();
    expect(first.pagination?.totalCount).toBeUndefined();
    expect(first.pagination?.nextPage).toBe(2);
    const all: string[] = [];
    for await (const run of client.runs.listForOrganization(server.organization, { pageSize: 3 }))
      all.push(run.id);
    expect(all).toEqual(newestFirst);
    const ahead: string[] = [];
    const listing = client.runs.listForOrganization(server.organization, { pageSize: 2, concurrency: 4 });
    for await (const run of listing) ahead.push(run.id);
    expect(ahead).toEqual(newestFirst);
    const some = await client.runs
      .listForOrganization(server.organization, { pageSize: 2 })
      .toArray({ limit: 5 });
    expect(some.map((r) => r.id)).toEqual(newestFirst.slice(0, 5));
  });

  it('the workspace list keeps its totals, and read-ahead pages it in order', async () => {
    const { tfe: client, workspaceId } = await start();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await newRun(client, workspaceId, { planOnly: true })).id);
    const params = { pageSize: 2, operation: ['plan_only'], concurrency: 3 };
    const first = await client.runs.list(workspaceId, params);
    expect(first.pagination).toMatchObject({ totalPages: 3, totalCount: 5 });
    const all: string[] = [];
    for await (const run of client.runs.list(workspaceId, params)) all.push(run.id);
    expect(all).toEqual([...made].reverse());
  });
});

describe('configuration versions and state versions', () => {
  it('upload of a version read back (no uploadUrl) is refused before sending, saying to use the created one', async () => {
    const { fake: server, tfe: client, workspaceId } = await start();
    const created = await client.configurationVersions.create(workspaceId, { autoQueueRuns: false });
    expect(created.uploadUrl).toMatch(/^http/);
    const read = await client.configurationVersions.read(created.id);
    expect(read.uploadUrl).toBeUndefined();
    const before = server.core.requests.length;
    const err = await client.configurationVersions.upload(read, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toMatch(/only on the version returned by create/);
    expect(server.core.requests.length).toBe(before);
  });

  it('a finished apply names the state version it wrote; its hosted state downloads without the token', async () => {
    const { fake: server, tfe: client, workspaceId } = await start({ policyCheck: false });
    const run = await newRun(client, workspaceId);
    await client.runs.waitFor(run.id, { pollIntervalMs: poll, timeoutMs: 10_000 });
    await client.runs.apply(run.id);
    const done = await client.runs.waitFor(run.id, { pollIntervalMs: poll, timeoutMs: 10_000 });
    const apply = await client.applies.read(done.run.relationships.apply!.id);
    const [written] = apply.relationships.stateVersions ?? [];
    expect(written?.type).toBe('state-versions');
    const sv = await client.stateVersions.read(written!.id);
    const file = await (await fetch(sv.hostedStateDownloadUrl!)).json();
    expect(file).toMatchObject({ version: 4, serial: sv.serial });
    const archivist = server.core.requests.filter((r) => r.surface === 'archivist');
    expect(archivist.filter((r) => r.headers.authorization !== undefined)).toEqual([]);
  });
});
