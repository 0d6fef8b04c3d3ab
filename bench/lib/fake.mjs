// A fake TFE filled with many finished runs in no time: one real run through the API, then copies of its
// rows written straight into the store (thousands of runs over HTTP would take minutes at 30 req/s).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TfeClient } from 'tfe-client';
import { startFakeTfe } from 'tfe-client/testing';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A TFE-looking id (`run-` + 16 base62 characters), deterministic per prefix and number. */
export function fakeId(prefix, n) {
  let s = '';
  let v = n * 2654435761 + 97;
  for (let i = 0; i < 16; i++) {
    s += ALPHABET[v % 62];
    v = Math.floor(v / 62) + (i + 1) * 7919 + n;
  }
  return `${prefix}-${s}`;
}

/** A configuration directory with one small main.tf, under os.tmpdir(). */
export async function tinyConfig() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tfe-bench-config-'));
  await writeFile(path.join(dir, 'main.tf'), 'resource "null_resource" "a" {}\noutput "x" { value = 1 }\n');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An uploaded configuration version on `workspace`, written straight into the store. */
export function uploadedConfigurationVersion(fake, workspace) {
  const { store } = fake.core;
  const user = [...store.users.values()][0];
  const cv = store.addConfigurationVersion(workspace, {
    autoQueueRuns: false,
    speculative: false,
    provisional: false,
    createdById: user.id,
  });
  cv.status = 'uploaded';
  cv.files = new Map([['main.tf', Buffer.from('resource "null_resource" "a" {}\n')]]);
  workspace.currentConfigurationVersionId = cv.id;
  workspace.latestConfigurationVersionId = cv.id;
  return cv;
}

/**
 * Starts a fake TFE (no rate limit, no latency while seeding) whose `demo` workspace holds `count` applied
 * runs created by `users` different users, newest first as TFE lists them.
 */
export async function fakeWithRuns(count, { users = 5, ...options } = {}) {
  const fake = await startFakeTfe({ stepMs: 1, rateLimitPerSecond: 0, ...options });
  const ws = fake.core.workspace('demo');
  const tfe = new TfeClient({ address: fake.url, token: fake.token, rateLimit: Number.POSITIVE_INFINITY });
  const config = await tinyConfig();
  let template;
  try {
    const cv = await tfe.configurationVersions.createAndUpload(ws.id, config.dir);
    const run = await tfe.runs.create({ workspaceId: ws.id, configurationVersionId: cv.id, autoApply: true });
    template = await fake.core.waitForRunStatus(run.id, 'applied');
  } finally {
    tfe.close();
    await config.remove();
  }
  const { store } = fake.core;
  const userIds = [template.createdById];
  for (let u = 1; u < users; u++) {
    fake.core.createToken(`bench-user-${u}`);
    userIds.push([...store.users.values()].at(-1).id);
  }
  const plan = store.plans.get(template.planId);
  const apply = store.applies.get(template.applyId);
  const ce = store.costEstimates.get(template.costEstimateId);
  const pc = store.policyChecks.get(template.policyCheckId);
  const start = template.createdAt.getTime() - count * 60_000;
  for (let i = 0; i < count; i++) {
    const id = fakeId('run', i);
    const createdAt = new Date(start + i * 60_000);
    const ids = {
      planId: fakeId('plan', i),
      applyId: fakeId('apply', i),
      costEstimateId: fakeId('ce', i),
      policyCheckId: fakeId('polchk', i),
    };
    store.runs.set(id, {
      ...template,
      ...ids,
      id,
      seq: template.seq - count + i,
      createdAt,
      createdById: userIds[i % userIds.length],
      message: `Bench run ${i}`,
      statusTimestamps: { ...template.statusTimestamps },
      comments: [],
      pipeline: [],
      variables: [],
      taskStageIds: [],
    });
    store.plans.set(ids.planId, { ...plan, id: ids.planId, runId: id, log: [], logKey: `${ids.planId}-log` });
    store.applies.set(ids.applyId, {
      ...apply,
      id: ids.applyId,
      runId: id,
      log: [],
      logKey: `${ids.applyId}-log`,
    });
    store.costEstimates.set(ids.costEstimateId, { ...ce, id: ids.costEstimateId, runId: id });
    store.policyChecks.set(ids.policyCheckId, { ...pc, id: ids.policyCheckId, runId: id });
  }
  // The template run itself is the newest: drop it so the workspace holds exactly `count`.
  store.runs.delete(template.id);
  return { fake, workspace: ws };
}
