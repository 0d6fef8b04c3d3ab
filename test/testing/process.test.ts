import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed } from '../helpers/child-output.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const esbuild = join(root, 'node_modules/.bin/esbuild');
let dir: string;

/** Bundles a script that imports the testing kit, so a plain `node` child can run it. */
async function bundle(name: string, source: string): Promise<string> {
  const entry = join(dir, `${name}.entry.mjs`);
  const out = join(dir, `${name}.mjs`);
  await writeFile(entry, source);
  await promisify(execFile)(
    esbuild,
    [entry, '--bundle', '--platform=node', '--format=esm', `--outfile=${out}`],
    {
      cwd: root,
    },
  );
  return out;
}

const kit = () => JSON.stringify(join(root, 'src/testing/index.ts'));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** The child's first line on stdout, without its newline. */
const firstLine = async (child: ChildProcess) => (await printed(child, /^.*\n/)).trimEnd();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fake-tfe-proc-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('in a process of its own', () => {
  it('close() leaves nothing running: the process exits by itself', async () => {
    const script = await bundle(
      'close',
      `import { gzipSync } from 'node:zlib';
import { startFakeTfe } from ${kit()};
const fake = await startFakeTfe({ stepMs: 5, stepMsByStatus: { planning: 60_000 } });
const auth = { authorization: 'Bearer ' + fake.token, 'content-type': 'application/vnd.api+json' };
const ws = fake.core.workspace('demo').id;
await fetch(fake.apiUrl + '/workspaces/' + ws, { headers: auth }).then((r) => r.text());
fake.core.injectFault({ path: '/workspaces/' + ws, kind: 'hang' });
fetch(fake.apiUrl + '/workspaces/' + ws, { headers: auth }).catch(() => {});
fake.core.injectFault({ path: /never/, kind: 'slow-body' });
const cv = await fetch(fake.apiUrl + '/workspaces/' + ws + '/configuration-versions', {
  method: 'POST', headers: auth, body: JSON.stringify({ data: { type: 'configuration-versions' } }),
}).then((r) => r.json());
await fetch(cv.data.attributes['upload-url'], { method: 'PUT', body: gzipSync(Buffer.alloc(1024)) });
while (fake.core.workspace('demo').latestRunId === null) await new Promise((r) => setTimeout(r, 5));
await fake.core.waitForRunStatus(fake.core.workspace('demo').latestRunId, 'planning', 2000);
await fake.close();
console.log('closed');
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = exited(child);
    let timer: NodeJS.Timeout | undefined;
    try {
      expect(await firstLine(child)).toBe('closed');
      const stillRunning = new Promise((r) => {
        timer = setTimeout(() => r('still running 2 s after close()'), 2000);
      });
      expect(await Promise.race([exit, stillRunning])).toBe(0);
    } finally {
      clearTimeout(timer);
      child.kill();
    }
  });

  it('runFakeServer prints url, token and organization as JSON, takes the run-list limit, and stops on SIGTERM', async () => {
    const script = await bundle(
      'cli',
      `import { runFakeServer } from ${JSON.stringify(join(root, 'src/testing/cli.ts'))};
await runFakeServer(process.argv.slice(2));
`,
    );
    const child = spawn(
      process.execPath,
      [
        script,
        ...['--token', 'cli-token', '--organization', 'org1', '--workspace', 'a,b', '--step-ms', '5'],
        ...['--run-list-rate-limit', '1', '--run-list-window-ms', '60000'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exit = exited(child);
    const info = JSON.parse(await firstLine(child));
    expect(info).toMatchObject({ token: 'cli-token', organization: 'org1', workspaces: ['a', 'b'] });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${info.apiUrl}/organizations/org1/workspaces/b`, {
      headers: { authorization: 'Bearer cli-token' },
    });
    expect(res.status).toBe(200);
    const list = () =>
      fetch(`${info.apiUrl}/organizations/org1/runs`, { headers: { authorization: 'Bearer cli-token' } });
    expect((await list()).status).toBe(200);
    const refused = await list();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('1');
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
