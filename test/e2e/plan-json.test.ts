// The JSON plan end to end: the BUILT package against the fake TFE over real loopback sockets — 204 while the
// plan runs, 307 to the archivist (another origin), read there without the token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JsonPlanUnavailableError,
  renderPlanMarkdown,
  summarizePlan,
  TfeClient,
  TimeoutError,
} from 'tfe-client';
import { type FakeTfe, startFakeTfe } from 'tfe-client/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let fake: FakeTfe | undefined;
let tfe: TfeClient | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfe-plan-json-'));
  writeFileSync(
    join(dir, 'main.tf'),
    [
      'resource "terraform_data" "a" {}',
      'resource "terraform_data" "b" {}',
      'output "greeting" { value = "hello" }',
      'output "secret" {',
      '  value     = "hunter2"',
      '  sensitive = true',
      '}',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  tfe?.close();
  await fake?.close();
});

async function start(stepMsByStatus: Record<string, number> = {}) {
  fake = await startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0, stepMsByStatus });
  tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  const ws = await tfe.workspaces.read(fake.organization, 'demo');
  const cv = await tfe.configurationVersions.createAndUpload(ws.id, dir, { pollIntervalMs: 5 });
  return { fake, tfe, ws, cv };
}

describe('runs.planJsonOutput / plans.jsonOutput over sockets', () => {
  it('asks again through 204s, follows the 307 to the archivist without the token, and returns the plan as written', async () => {
    const { fake, tfe, ws, cv } = await start({ planning: 150 });
    const run = await tfe.runs.create({ workspaceId: ws.id, configurationVersionId: cv.id, planOnly: true });
    const plan = await tfe.runs.planJsonOutput(run.id, { pollIntervalMs: 20 });

    const asked = fake.core.requests.filter((r) => r.path.endsWith('/plan/json-output'));
    expect(asked.filter((r) => r.status === 204).length).toBeGreaterThan(0);
    expect(asked.at(-1)?.status).toBe(307);
    expect(asked.every((r) => r.headers.authorization === `Bearer ${fake.token}`)).toBe(true);
    const blob = fake.core.requests.filter((r) => r.surface === 'archivist' && r.method === 'GET');
    expect(blob).toHaveLength(1);
    expect(blob[0]?.status).toBe(200);
    expect(blob[0]?.headers.authorization).toBeUndefined();

    // Keys exactly as Terraform writes them; the counts agree with the plan's.
    expect(plan.format_version).toBe('1.2');
    expect(Object.keys(plan.resource_changes?.[0]?.change ?? {})).toEqual(
      expect.arrayContaining([
        'actions',
        'before',
        'after',
        'after_unknown',
        'before_sensitive',
        'after_sensitive',
      ]),
    );
    const planned = await tfe.plans.read(run.relationships.plan!.id);
    const summary = summarizePlan(plan);
    expect(summary.totals).toMatchObject({
      add: planned.resourceAdditions,
      change: planned.resourceChanges,
      destroy: planned.resourceDestructions,
    });
    expect(summary.changes.create.map((c) => c.address)).toEqual(['terraform_data.a', 'terraform_data.b']);
    expect(summary.outputs.map((o) => [o.name, o.after])).toEqual([
      ['greeting', '"hello"'],
      ['secret', '(sensitive value)'],
    ]);
    expect(renderPlanMarkdown(summary)).not.toContain('hunter2');
  });

  it('plans.jsonOutput reads the same document by plan id', async () => {
    const { tfe, ws, cv } = await start();
    const run = await tfe.runs.create({ workspaceId: ws.id, configurationVersionId: cv.id, planOnly: true });
    const byRun = await tfe.runs.planJsonOutput(run.id, { pollIntervalMs: 10 });
    const byPlan = await tfe.plans.jsonOutput(run.relationships.plan!.id, { pollIntervalMs: 10 });
    expect(byPlan.resource_changes).toEqual(byRun.resource_changes);
  });

  it('a plan that errored gives JsonPlanUnavailableError, not a wait to the deadline', async () => {
    const { fake, tfe, ws, cv } = await start();
    fake.core.nextRun({ errorDuring: 'plan' });
    const run = await tfe.runs.create({ workspaceId: ws.id, configurationVersionId: cv.id, planOnly: true });
    const err = await tfe.runs
      .planJsonOutput(run.id, { pollIntervalMs: 10, waitTimeoutMs: 20_000 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(JsonPlanUnavailableError);
    expect(err).toMatchObject({ reason: 'plan_ended', planStatus: 'errored' });
  });

  it('Terraform before 0.12 answers 422: JsonPlanUnavailableError says why', async () => {
    const { tfe, ws, cv } = await start();
    const run = await tfe.runs.create({
      workspaceId: ws.id,
      configurationVersionId: cv.id,
      planOnly: true,
      terraformVersion: '0.11.14',
    });
    const err = await tfe.runs.planJsonOutput(run.id).catch((e) => e);
    expect(err).toBeInstanceOf(JsonPlanUnavailableError);
    expect(err.reason).toBe('unsupported');
    expect(err.message).toMatch(/Terraform 0\.12 or later/);
    expect(err.apiError.status).toBe(422);
  });

  it('waitTimeoutMs bounds the wait for a plan still running', async () => {
    const { tfe, ws, cv } = await start({ planning: 60_000 });
    const run = await tfe.runs.create({ workspaceId: ws.id, configurationVersionId: cv.id, planOnly: true });
    const err = await tfe.runs
      .planJsonOutput(run.id, { pollIntervalMs: 10, waitTimeoutMs: 150 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toMatch(/not ready after 150 ms \(plan (pending|queued|running)\)/);
  });

  it('a 404 names the token the endpoint needs', async () => {
    const { tfe } = await start();
    const err = await tfe.plans.jsonOutput('plan-doesnotexist0000').catch((e) => e);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/user or team token with admin access to the workspace/);
  });
});
