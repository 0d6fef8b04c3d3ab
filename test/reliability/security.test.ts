// Security, end to end through the built package: where the token goes, what inputs may do, what an upload holds.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type ConfigurationVersion, InputValidationError, type Run, TfeClient, TfeError } from 'tfe-client';
import { type FakeTfe, startFakeTfe } from 'tfe-client/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  captureLogs,
  configurationTarball,
  FAST_BACKOFF,
  leaksOf,
  MAIN_TF,
  startElsewhere,
} from './harness.js';

let fake: FakeTfe;
let tfe: TfeClient;
let logs: ReturnType<typeof captureLogs>;
let elsewhere: Awaited<ReturnType<typeof startElsewhere>>;
let root: string;

beforeAll(async () => {
  elsewhere = await startElsewhere();
  root = mkdtempSync(join(tmpdir(), 'tfe-security-'));
});
afterAll(async () => {
  await elsewhere.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(async () => {
  fake = await startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0 });
  logs = captureLogs();
  tfe = new TfeClient({
    token: fake.token,
    address: fake.url,
    env: {},
    logger: logs.logger,
    backoff: FAST_BACKOFF,
    maxRetries: 1,
  });
  elsewhere.requests.length = 0;
});
afterEach(async () => {
  tfe.close();
  await fake.close();
});

const workspaceId = () => fake.core.workspace('demo').id;
const authorized = () => fake.core.requests.filter((r) => r.headers.authorization !== undefined);
const outcome = (p: PromiseLike<unknown>) =>
  Promise.resolve(p).then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );

describe('the token', () => {
  it('goes only under the API base URL: not to the archivist, nor to the API origin outside the base path', async () => {
    const cv = await tfe.configurationVersions.create(workspaceId(), { autoQueueRuns: false });
    await tfe.configurationVersions.upload(cv, configurationTarball());
    // Same origin as the API, outside its base path, directly or by dot segments (TFE's /_archivist is there).
    const sameOrigin = [
      `${fake.url}/_archivist/v1/object/key`,
      `${fake.url}/api/v2/../_archivist/v1/object/key`,
      `${fake.url}/api/v2/%2e%2e/%2E%2E/_archivist/v1/object/key`,
    ];
    for (const url of sameOrigin) {
      await outcome(tfe.api.request({ method: 'GET', url, responseType: 'none' }));
    }
    const apiRequests = fake.core.requests.filter((r) => r.surface === 'api');
    for (const r of fake.core.requests) {
      const underBase = r.surface === 'api' && r.path.startsWith('/api/v2/');
      expect(r.headers.authorization !== undefined, `${r.surface} ${r.path}`).toBe(underBase);
    }
    expect(apiRequests.filter((r) => r.path.endsWith('/_archivist/v1/object/key'))).toHaveLength(3);
    expect(authorized().every((r) => r.headers.authorization === `Bearer ${fake.token}`)).toBe(true);
  });

  it('is dropped when a download is redirected to the archivist, and when it is redirected elsewhere', async () => {
    const tarball = configurationTarball();
    const cv = await tfe.configurationVersions.createAndUpload(workspaceId(), tarball, { pollIntervalMs: 5 });
    const chunks: Buffer[] = [];
    for await (const chunk of await tfe.configurationVersions.download(cv.id)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(tarball)).toBe(true);

    fake.core.injectFault({
      method: 'GET',
      path: `/configuration-versions/${cv.id}/download`,
      kind: 'status',
      status: 302,
      headers: { location: `${elsewhere.url}/bucket/object?signature=abc` },
    });
    const body = await tfe.configurationVersions.download(cv.id);
    for await (const _ of body);
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
    expect(fake.core.requests.filter((r) => r.surface === 'archivist' && r.headers.authorization)).toEqual(
      [],
    );
  });

  it('never appears in an error, its JSON or inspect, or a log line, even when the server echoes it', async () => {
    const echoes = {
      'www-authenticate': `Bearer realm="tfe", error="invalid_token", token="${fake.token}"`,
      'x-debug-authorization': `Bearer ${fake.token}`,
    };
    fake.core.injectFault({
      path: /\/runs\//,
      kind: 'status',
      status: 401,
      headers: echoes,
      errors: [{ status: '401', title: 'unauthorized', detail: `token ${fake.token} is not valid` }],
    });
    const unauthorized = await outcome(tfe.runs.read('run-1'));
    // A token pasted where an id goes (a swapped CI variable) is hidden from the path too.
    const pasted = await outcome(tfe.runs.read(fake.token));
    expect(unauthorized.error).toBeInstanceOf(TfeError);
    expect(pasted.error).toBeInstanceOf(TfeError);
    expect(leaksOf(fake.token, [unauthorized.error, pasted.error, logs.lines])).toEqual([]);
    expect(JSON.stringify(unauthorized.error)).toContain('[REDACTED]');
  });

  it('is not in the client’s own JSON or inspect output', () => {
    expect(leaksOf(fake.token, [tfe])).toEqual([]);
  });
});

describe('inputs', () => {
  const calls: Array<[string, string, (t: TfeClient) => PromiseLike<unknown>]> = [
    ['a run id with ../', 'runId', (t) => t.runs.read('../workspaces/ws-1')],
    ['a run id with a slash', 'runId', (t) => t.runs.apply('run-1/actions/discard')],
    ['an empty run id', 'runId', (t) => t.runs.waitFor('')],
    ['a workspace id with a query', 'workspaceId', (t) => t.runs.list('ws-1?page[size]=100')],
    ['an organization with a slash', 'organization', (t) => t.workspaces.read('acme/../other', 'demo')],
    ['a workspace name of ..', 'name', (t) => t.workspaces.read('acme', '..')],
    ['a workspace name with a fragment', 'name', (t) => t.workspaces.read('acme', 'demo#x')],
    [
      'a configuration version id with %2e%2e',
      'configurationVersionId',
      (t) => t.configurationVersions.read('%2e%2e'),
    ],
    [
      'a misspelled runs.create option',
      'mesage',
      (t) => t.runs.create({ workspaceId: 'ws-1', mesage: 'x' } as never),
    ],
    ['a page size over 100', 'pageSize', (t) => t.runs.list('ws-1', { pageSize: 1000 })],
    ['a misspelled action option', 'coment', (t) => t.runs.apply('run-1', { coment: 'x' } as never)],
    [
      'a misspelled version option',
      'autoQueue',
      (t) => t.configurationVersions.create('ws-1', { autoQueue: true } as never),
    ],
    ['a misspelled wait deadline', 'timeout', (t) => t.runs.waitFor('run-1', { timeout: 100 } as never)],
    [
      'a wait interval that is not a number',
      'pollIntervalMs',
      (t) => t.runs.waitFor('run-1', { pollIntervalMs: 'fast' as never }),
    ],
    ['an unknown wait condition', 'until', (t) => t.runs.waitFor('run-1', { until: 'sometime' as never })],
    [
      'a misspelled workflow option',
      'planonly',
      (t) => t.workflows.run({ workspace: { id: 'ws-1' }, source: '.', planonly: true } as never),
    ],
    // A misspelled required option: the message names the one that is missing.
    [
      'a workflow with its source misspelled',
      'source',
      (t) => t.workflows.run({ workspace: { organization: 'acme', name: 'demo' }, sourse: '.' } as never),
    ],
  ];

  it.each(calls)('%s is refused naming %s, before any request', async (_what, field, call) => {
    const { error } = await outcome(call(tfe));
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).field).toBe(field);
    expect((error as Error).message).toContain(field);
    expect(fake.core.requests).toEqual([]);
  });

  it('an organization and workspace name outside ASCII is encoded as one path segment', async () => {
    fake.core.createWorkspace('déploiement.prod-1', {}, 'équipe');
    const ws = await tfe.workspaces.read('équipe', 'déploiement.prod-1');
    expect(ws.name).toBe('déploiement.prod-1');
    expect(fake.core.requests.at(-1)?.path).toBe(
      '/api/v2/organizations/%C3%A9quipe/workspaces/d%C3%A9ploiement.prod-1',
    );
  });
});

/** Entries of a .tar.gz read straight from its headers (ustar names, PAX and GNU long names), no library. */
function tarEntries(archive: Buffer): Array<{ path: string; type: string; linkpath: string }> {
  const tar = gunzipSync(archive);
  const out: Array<{ path: string; type: string; linkpath: string }> = [];
  const cString = (bytes: Buffer) => bytes.toString('utf8').replace(/\0.*$/s, '');
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, length: number) => cString(header.subarray(from, from + length));
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const records = body.toString('utf8').matchAll(/\d+ ([^=]+)=([^\n]*)\n/g);
      pax = Object.fromEntries([...records].map((m) => [m[1]!, m[2]!]));
      continue;
    }
    if (type === 'L') {
      longName = cString(body);
      continue;
    }
    const prefix = field(257, 5) === 'ustar' ? field(345, 155) : '';
    const path = pax.path ?? longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    out.push({ path, type, linkpath: pax.linkpath ?? field(157, 100) });
    pax = {};
    longName = undefined;
  }
  return out;
}

/** The archive never names a path outside the configuration: nothing absolute, no `..`, no backslash. */
function expectContained(entries: ReturnType<typeof tarEntries>): void {
  for (const e of entries) {
    expect(isAbsolute(e.path) || e.path.startsWith('/'), e.path).toBe(false);
    expect(e.path.split('/'), e.path).not.toContain('..');
    expect(e.path.includes('\\'), e.path).toBe(false);
    if (e.type === '2') {
      const target = posix.normalize(posix.join(posix.dirname(e.path), e.linkpath));
      expect(e.linkpath.startsWith('/') || target.startsWith('..'), `${e.path} → ${e.linkpath}`).toBe(false);
    }
  }
}

describe('uploads', () => {
  async function uploadDirectory(dir: string): Promise<ConfigurationVersion> {
    const cv = await tfe.configurationVersions.create(workspaceId(), { autoQueueRuns: false });
    await tfe.configurationVersions.upload(cv, dir);
    return cv;
  }

  it('carry no Authorization to the upload host', async () => {
    const cv = await tfe.configurationVersions.create(workspaceId(), { autoQueueRuns: false });
    await tfe.configurationVersions.upload(cv, configurationTarball());
    const puts = fake.core.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ surface: 'archivist', status: 200 });
    expect(puts[0]?.headers.authorization).toBeUndefined();
  });

  it("refuse a symlink that leaves the tree under symlinks: 'refuse', and store nothing", async () => {
    const outside = join(root, 'outside.tf');
    writeFileSync(outside, 'secret = "outside"\n');
    for (const [name, target] of [
      ['relative', '../outside.tf'],
      ['absolute', outside],
    ] as const) {
      const dir = join(root, `escape-${name}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'main.tf'), MAIN_TF);
      symlinkSync(target, join(dir, 'link.tf'));
      const cv = await tfe.configurationVersions.create(workspaceId(), { autoQueueRuns: false });
      const { error } = await outcome(
        tfe.configurationVersions.upload(cv, dir, { pack: { symlinks: 'refuse' } }),
      );
      expect(error).toBeInstanceOf(TfeError);
      expect(error).toMatchObject({ name: 'PackError', code: 'SYMLINK_OUTSIDE_ROOT', path: 'link.tf' });
      expect(fake.core.configurationVersion(cv.id)?.archive).toBeNull();
    }
    // Through the workflow: no run is created from a tree that could not be packed.
    const runs: Run[] = [];
    const { error } = await outcome(
      tfe.workflows.run({
        workspace: { id: workspaceId() },
        source: join(root, 'escape-relative'),
        pack: { symlinks: 'refuse' },
        onEvent: (e) => (e.type === 'run_created' ? runs.push(e.run) : undefined),
      }),
    );
    expect(error).toMatchObject({ name: 'PackError' });
    expect(fake.core.store.runs.size).toBe(0);
  });

  it('copy what an outside symlink points to by default, as a regular file inside the tree', async () => {
    const dir = join(root, 'escape-copied');
    mkdirSync(dir);
    writeFileSync(join(root, 'shared.tf'), 'locals { shared = true }\n');
    writeFileSync(join(dir, 'main.tf'), MAIN_TF);
    symlinkSync('../shared.tf', join(dir, 'shared.tf'));
    const cv = await uploadDirectory(dir);
    const entries = tarEntries(fake.core.configurationVersion(cv.id)?.archive ?? Buffer.alloc(0));
    expectContained(entries);
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ['main.tf', '0'],
      ['shared.tf', '0'],
    ]);
  });

  it('hold only relative paths inside the tree, whatever the names', async () => {
    const dir = join(root, 'names');
    for (const sub of ['modules/net', '..hidden', 'a..b', 'with space', 'ünïcode', '-dash']) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'x.tf'), '# x\n');
    }
    writeFileSync(join(dir, 'main.tf'), MAIN_TF);
    symlinkSync('../main.tf', join(dir, 'modules', 'main-link.tf'));
    symlinkSync('net', join(dir, 'modules', 'net-link'));
    const cv = await uploadDirectory(dir);
    const entries = tarEntries(fake.core.configurationVersion(cv.id)?.archive ?? Buffer.alloc(0));
    expect(entries.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'main.tf',
        '..hidden/x.tf',
        'a..b/x.tf',
        'with space/x.tf',
        'modules/net-link',
      ]),
    );
    expectContained(entries);
  });

  it('hold only relative paths inside the tree for random file trees', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._ -]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    const tree = fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 6,
      selector: (p) => p.join('/').toLowerCase(),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (paths) => {
        const dir = join(root, `random-${n++}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'main.tf'), MAIN_TF);
        for (const p of paths) {
          try {
            mkdirSync(join(dir, ...p.slice(0, -1)), { recursive: true });
            writeFileSync(join(dir, ...p), '# generated\n');
          } catch {
            // A prefix of one path is a file of another: skip it, the tree is still random.
          }
        }
        const cv = await uploadDirectory(dir);
        expectContained(tarEntries(fake.core.configurationVersion(cv.id)?.archive ?? Buffer.alloc(0)));
      }),
      { numRuns: 15 },
    );
  });
});
