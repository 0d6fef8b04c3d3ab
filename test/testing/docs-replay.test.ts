// The official docs' requests, replayed against `tfe fake-server` (the built CLI, a child process), checked
// against what the docs say: the API-driven run workflow's bash+curl+jq script step by step (workspaces/run/api.mdx),
// then the curl samples of run.mdx, configuration-versions.mdx, plans.mdx, applies.mdx, state-versions.mdx and
// workspaces.mdx with their sample payloads (test/fixtures, copied from the docs). curl and jq are not on every
// machine, so each request is made with node's fetch exactly as the script makes it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed } from '../helpers/child-output.js';
import { type Doc, MAIN_TF, tarball } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (path: string): Doc =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
const keys = (o: object | undefined) => Object.keys(o ?? {}).sort();

interface Server {
  apiUrl: string;
  token: string;
  organization: string;
}
let child: ChildProcess;
let server: Server;

beforeAll(async () => {
  const bin = `${root}dist/cli/main.js`;
  if (!existsSync(bin)) throw new Error('dist/cli/main.js is missing: run `npm run build` first.');
  child = spawn(process.execPath, [bin, 'fake-server', '--step-ms', '10', '--rate-limit', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = JSON.parse(await printed(child, /^.*\n/));
});
afterAll(() => {
  child?.kill('SIGTERM');
});

interface Reply {
  status: number;
  body: Doc;
  text: string;
  headers: Headers;
}

/** One `curl` of the docs' samples: the token and the JSON:API content type, as every sample sends them. */
async function curl(method: string, path: string, data?: unknown, base = server.apiUrl): Promise<Reply> {
  const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/vnd.api+json' },
    body: data === undefined ? undefined : typeof data === 'string' ? data : JSON.stringify(data),
    redirect: 'manual',
  });
  const text = await res.text();
  let body: Doc = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** Reads the run until its status is one of `statuses` (what a script's polling loop does). */
async function until(runId: string, statuses: string[], timeoutMs = 10_000): Promise<Doc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await curl('GET', `/runs/${runId}`)).body.data;
    if (statuses.includes(run.attributes.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} stuck in ${run.attributes.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const state: { workspaceId?: string; runId?: string; cvId?: string } = {};

describe('the API-driven run workflow script (workspaces/run/api.mdx), step by step', () => {
  it('3. looks up the workspace id: jq -r .data.id', async () => {
    const res = await curl('GET', `/organizations/${server.organization}/workspaces/demo`);
    expect(res.status).toBe(200);
    expect(res.body.data.id).toMatch(/^ws-/);
    state.workspaceId = res.body.data.id;
  });

  it('4. creates a configuration version from the echoed payload: jq -r \'.data.attributes."upload-url"\'', async () => {
    const payload = readFileSync(
      new URL(
        '../fixtures/configuration-versions/requests/api-driven-run-workflow-create-configuration-version.json',
        import.meta.url,
      ),
      'utf8',
    );
    const res = await curl('POST', `/workspaces/${state.workspaceId}/configuration-versions`, payload);
    expect(res.status).toBe(201);
    const url = res.body.data.attributes['upload-url'];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    state.cvId = res.body.data.id;

    // 5. uploads the tar.gz: Content-Type octet-stream, PUT, no token (the script sends none).
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: await tarball({ 'main.tf': MAIN_TF }),
    });
    expect(put.status).toBe(200);
  });

  it('the upload queues a run with a plan (auto-queue-runs defaults to true), which waits for an apply', async () => {
    const deadline = Date.now() + 10_000;
    let run: Doc;
    for (;;) {
      const list = await curl('GET', `/workspaces/${state.workspaceId}/runs`);
      run = list.body.data.find((r: Doc) => r.relationships['configuration-version'].data?.id === state.cvId);
      if (run || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(run).toBeDefined();
    state.runId = run.id;
    // Every stage is on in the fake by default: the run pauses after the Sentinel check (Run States page).
    const paused = await until(run.id, ['policy_checked']);
    expect(paused.attributes.actions['is-confirmable']).toBe(true);
    const apply = await curl(
      'POST',
      `/runs/${run.id}/actions/apply`,
      fixture('runs/requests/apply-a-run.json'),
    );
    expect([apply.status, apply.text]).toEqual([202, '']);
    await until(run.id, ['applied']);
  });
});

describe('run.mdx samples', () => {
  it('Create a Run (sample payload, our ids): 201 with the documented attributes and relationships', async () => {
    const sample = fixture('runs/requests/create-a-run.json');
    const { 'invoke-action-addrs': _actions, ...attributes } = sample.data.attributes;
    sample.data.attributes = attributes;
    sample.data.relationships.workspace.data.id = state.workspaceId;
    sample.data.relationships['configuration-version'].data.id = state.cvId;
    const res = await curl('POST', '/runs', sample);
    expect(res.status).toBe(201);
    const documented = fixture('runs/create-a-run.json').data;
    expect(res.body.data.type).toBe('runs');
    expect(res.body.data.attributes).toMatchObject({ message: 'Custom message', status: 'pending' });
    expect(keys(res.body.data.attributes)).toEqual(
      expect.arrayContaining(keys(documented.attributes).filter((k) => k !== 'invoke-action-addrs')),
    );
    expect(keys(res.body.data.relationships)).toEqual(expect.arrayContaining(keys(documented.relationships)));
    expect(res.body.data.links.self).toBe(`/api/v2/runs/${res.body.data.id}`);
    // The same configuration, already applied: nothing to change, so the run finishes after its stages.
    const done = await until(res.body.data.id, ['planned_and_finished']);
    expect(done.attributes['has-changes']).toBe(false);
  });

  it('Get run details: 200, the run with the documented keys', async () => {
    const res = await curl('GET', `/runs/${state.runId}`);
    expect(res.status).toBe(200);
    const documented = fixture('runs/get-run-details.json').data;
    expect(keys(res.body.data.attributes)).toEqual(
      expect.arrayContaining(keys(documented.attributes).filter((k) => k !== 'invoke-action-addrs')),
    );
    expect(res.body.data.attributes['status-timestamps']).toHaveProperty('applied-at');
  });

  it('List Runs in a Workspace: plan-only runs left out unless filter[operation] names them; totals in meta', async () => {
    const cv = await curl('POST', `/workspaces/${state.workspaceId}/configuration-versions`, {
      data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false } },
    });
    await fetch(cv.body.data.attributes['upload-url'], {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: await tarball({ 'main.tf': MAIN_TF }),
    });
    const relationships = {
      workspace: { data: { type: 'workspaces', id: state.workspaceId } },
      'configuration-version': { data: { type: 'configuration-versions', id: cv.body.data.id } },
    };
    let created = { status: 0, body: null as Doc };
    for (let tries = 0; tries < 200 && created.status !== 201; tries++) {
      created = await curl('POST', '/runs', {
        data: { type: 'runs', attributes: { 'plan-only': true }, relationships },
      });
      if (created.status !== 201) await new Promise((r) => setTimeout(r, 20));
    }
    expect(created.status).toBe(201);
    const speculative = created.body.data.id;
    const list = await curl('GET', `/workspaces/${state.workspaceId}/runs`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((r: Doc) => r.id)).not.toContain(speculative);
    const all = 'filter%5Boperation%5D=plan_only,plan_and_apply,save_plan,refresh_only,destroy,empty_apply';
    const everything = await curl('GET', `/workspaces/${state.workspaceId}/runs?${all}`);
    expect(everything.body.data.map((r: Doc) => r.id)).toContain(speculative);
    const documented = fixture('runs/list-runs-in-a-workspace.json');
    expect(keys(list.body.links)).toEqual(keys(documented.links));
    expect(keys(list.body.meta.pagination)).toEqual(keys(documented.meta.pagination));
  });

  it('List Runs in an Organization: pages without total-count, total-pages, first or last', async () => {
    const res = await curl('GET', `/organizations/${server.organization}/runs?page%5Bsize%5D=1`);
    expect(res.status).toBe(200);
    const documented = fixture('runs/list-runs-in-an-organization.json');
    expect(keys(res.body.meta.pagination)).toEqual(keys(documented.meta.pagination));
    expect(keys(res.body.links)).toEqual(keys(documented.links));
    expect(res.body.meta.pagination['next-page']).toBe(2);
  });

  it('filter[status_group]=discardable holds only the states the docs list', async () => {
    const res = await curl(
      'GET',
      `/workspaces/${state.workspaceId}/runs?filter%5Bstatus_group%5D=discardable`,
    );
    const listed = ['planned', 'planned_and_saved', 'cost_estimated', 'policy_checked', 'policy_override'];
    const more = ['post_plan_running', 'post_plan_completed'];
    for (const r of res.body.data) expect([...listed, ...more]).toContain(r.attributes.status);
  });

  it('Apply / Cancel / Forcefully cancel a run that is not paused there: 409 with a JSON:API error', async () => {
    const apply = await curl(
      'POST',
      `/runs/${state.runId}/actions/apply`,
      fixture('runs/requests/apply-a-run.json'),
    );
    expect(apply.status).toBe(409);
    expect(apply.body.errors[0].status).toBe('409');
    const cancel = await curl(
      'POST',
      `/runs/${state.runId}/actions/cancel`,
      fixture('runs/requests/cancel-a-run.json'),
    );
    expect(cancel.status).toBe(409);
    const force = fixture('runs/requests/forcefully-cancel-a-run.json');
    expect((await curl('POST', `/runs/${state.runId}/actions/force-cancel`, force)).status).toBe(409);
  });
});

describe('plans.mdx, applies.mdx, state-versions.mdx samples', () => {
  it('Show a plan and Show an apply: the documented keys; the finished apply lists the state version it wrote', async () => {
    const run = (await curl('GET', `/runs/${state.runId}`)).body.data;
    const plan = await curl('GET', `/plans/${run.relationships.plan.data.id}`);
    expect(plan.status).toBe(200);
    expect(keys(plan.body.data.attributes)).toEqual(
      expect.arrayContaining(keys(fixture('plans/show-a-plan.json').data.attributes)),
    );
    const apply = await curl('GET', `/applies/${run.relationships.apply.data.id}`);
    expect(apply.status).toBe(200);
    expect(keys(apply.body.data.attributes)).toEqual(
      expect.arrayContaining(keys(fixture('applies/show-an-apply.json').data.attributes)),
    );
    expect(apply.body.data.attributes.status).toBe('finished');
    const written = apply.body.data.relationships['state-versions'].data;
    expect(written).toHaveLength(1);
    expect(written[0].type).toBe('state-versions');

    const sv = await curl('GET', `/state-versions/${written[0].id}`);
    expect(sv.status).toBe(200);
    const { 'hosted-state-download-url': raw, 'hosted-json-state-download-url': json } =
      sv.body.data.attributes;
    // Pre-signed: fetched without the token, as Terraform and go-tfe do.
    const file: Doc = await (await fetch(raw)).json();
    expect(file).toMatchObject({ version: 4, serial: sv.body.data.attributes.serial });
    expect(file.resources.map((r: Doc) => `${r.type}.${r.name}`)).toEqual([
      'null_resource.a',
      'null_resource.b',
    ]);
    const shown: Doc = await (await fetch(json)).json();
    expect(shown.values.root_module.resources).toHaveLength(2);
  });
});

describe('configuration-versions.mdx samples', () => {
  it('Create a Configuration Version (sample payload): 201 and the only response with upload-url', async () => {
    const res = await curl(
      'POST',
      `/workspaces/${state.workspaceId}/configuration-versions`,
      fixture('configuration-versions/requests/create-a-configuration-version.json'),
    );
    expect(res.status).toBe(201);
    expect(keys(res.body.data.attributes)).toEqual(
      expect.arrayContaining(
        keys(fixture('configuration-versions/create-a-configuration-version.json').data.attributes),
      ),
    );
    const shown = await curl('GET', `/configuration-versions/${res.body.data.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.data.attributes).not.toHaveProperty('upload-url');
    const listed = await curl('GET', `/workspaces/${state.workspaceId}/configuration-versions`);
    for (const cv of listed.body.data) expect(cv.attributes).not.toHaveProperty('upload-url');
  });

  it('Download Configuration Files by run: 302 to the archive, the uploaded tar.gz', async () => {
    const res = await curl('GET', `/runs/${state.runId}/configuration-version/download`);
    expect(res.status).toBe(302);
    const archive = Buffer.from(await (await fetch(res.headers.get('location')!)).arrayBuffer());
    expect(gunzipSync(archive).toString('latin1')).toContain('null_resource');
  });
});

describe('workspaces.mdx samples', () => {
  it('Show workspace: every relationship of the docs sample', async () => {
    const res = await curl('GET', `/workspaces/${state.workspaceId}`);
    expect(res.status).toBe(200);
    const documented = fixture('workspaces/show-workspace.json').data;
    expect(keys(res.body.data.relationships)).toEqual(expect.arrayContaining(keys(documented.relationships)));
    const rel = res.body.data.relationships;
    expect(rel.project.data.type).toBe('projects');
    expect(rel['current-run'].data.type).toBe('runs');
    expect(rel['current-state-version'].data.type).toBe('state-versions');
    expect(rel.outputs.data.map((o: Doc) => o.type)).toEqual(['workspace-outputs']);
  });

  it('Create a Workspace (sample payload), lock it with the sample reason, unlock it', async () => {
    const created = await curl(
      'POST',
      `/organizations/${server.organization}/workspaces`,
      fixture('workspaces/requests/create-a-workspace-without-a-vcs-repository.json'),
    );
    expect(created.status).toBe(201);
    expect(created.body.data.attributes.name).toBe('workspace-1');
    const id = created.body.data.id;
    const lock = await curl(
      'POST',
      `/workspaces/${id}/actions/lock`,
      fixture('workspaces/requests/lock-a-workspace.json'),
    );
    expect(lock.status).toBe(200);
    expect(lock.body.data.attributes).toMatchObject({ locked: true, 'locked-reason': 'Locking workspace-1' });
    const unlock = await curl('POST', `/workspaces/${id}/actions/unlock`);
    expect([unlock.status, unlock.body.data.attributes.locked]).toEqual([200, false]);
  });
});
