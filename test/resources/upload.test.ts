import { once } from 'node:events';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { t as listTar } from 'tar';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  type ConfigurationVersion,
  InputValidationError,
  InternalServerError,
  type TfeClient,
} from '../../src/index.js';
import { PackError } from '../../src/lib/pack/index.js';
import { TOKEN, testClient } from '../helpers/api.js';

// No msw here: every upload goes over a real loopback socket to a server on another origin than the API.

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface UploadServer {
  url: string;
  received: Received[];
  /** Requests whose headers arrived, answered or not. */
  starts: () => number;
  /** Resolves when a request has started arriving (its headers are in). */
  started: Promise<void>;
  /** Resolves when the client closed a request's connection before an answer. */
  clientGone: Promise<void>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A loopback upload server answering the n-th request (1-based) with `answer(n)`; 'hang' never answers. */
async function uploadServer(answer: (n: number) => number | 'hang' = () => 200): Promise<UploadServer> {
  const received: Received[] = [];
  let markStarted!: () => void;
  let markGone!: () => void;
  const started = new Promise<void>((r) => {
    markStarted = r;
  });
  const clientGone = new Promise<void>((r) => {
    markGone = r;
  });
  let starts = 0;
  const server: Server = createServer((req, res: ServerResponse) => {
    starts++;
    markStarted();
    const chunks: Buffer[] = [];
    const n = received.length + 1;
    const what = answer(n);
    if (what === 'hang') {
      req.on('data', () => {});
      req.on('close', () => markGone());
      return;
    }
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(what, { 'Content-Type': 'text/plain' }).end(what >= 400 ? 'try again later' : '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/object/abc123?sig=SIGNED-CREDENTIAL`,
    received,
    starts: () => starts,
    started,
    clientGone,
  };
}

function client(options: Parameters<typeof testClient>[0] = {}): TfeClient {
  const tfe = testClient(options);
  cleanups.push(() => tfe.close());
  return tfe;
}

async function tempTree(files: Record<string, string>): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'tfe-upload-'));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(join(base, rel, '..'), { recursive: true });
    await writeFile(join(base, rel), content);
  }
  return base;
}

/** The files of a .tar.gz: path → content. */
async function unpack(bytes: Buffer): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const parser = listTar({
    onReadEntry(entry) {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        if (entry.type === 'File') files[entry.path] = Buffer.concat(chunks).toString('utf8');
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(bytes);
  });
  return files;
}

function cv(uploadUrl: string | null | undefined): ConfigurationVersion {
  return {
    id: 'cv-1',
    type: 'configuration-versions',
    status: 'pending',
    uploadUrl,
    relationships: {},
  } as never;
}

describe('configurationVersions.upload over a loopback socket', () => {
  it('packs a directory on the fly and PUTs the tar.gz with no Authorization header', async () => {
    const server = await uploadServer();
    const dir = await tempTree({
      'main.tf': 'resource "null_resource" "a" {}\n',
      'modules/net/main.tf': 'variable "cidr" {}\n',
      '.terraform/providers/p': 'binary',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.terraformignore': '*.tfvars\n',
      'secret.tfvars': 'token = "x"\n',
    });
    await client().configurationVersions.upload(server.url, dir);

    expect(server.received).toHaveLength(1);
    const req = server.received[0]!;
    expect(req.method).toBe('PUT');
    expect(req.url).toBe('/v1/object/abc123?sig=SIGNED-CREDENTIAL');
    expect(req.headers['content-type']).toBe('application/octet-stream');
    expect(req.headers.authorization).toBeUndefined();
    expect(JSON.stringify(req.headers)).not.toContain(TOKEN);
    expect(await unpack(req.body)).toEqual({
      'main.tf': 'resource "null_resource" "a" {}\n',
      'modules/net/main.tf': 'variable "cidr" {}\n',
      '.terraformignore': '*.tfvars\n',
    });
  });

  it('streams a .tar.gz file byte for byte with its Content-Length', async () => {
    const server = await uploadServer();
    const bytes = gzipSync(Buffer.from('not really a tar, but bytes are bytes'));
    const dir = await tempTree({});
    const file = join(dir, 'config.tar.gz');
    await writeFile(file, bytes);
    await client().configurationVersions.upload(server.url, file);
    expect(server.received[0]!.body.equals(bytes)).toBe(true);
    expect(server.received[0]!.headers['content-length']).toBe(String(bytes.length));
    expect(server.received[0]!.headers.authorization).toBeUndefined();
  });

  it('sends a Buffer again after a 503, with the same bytes each time', async () => {
    const server = await uploadServer((n) => (n === 1 ? 503 : 200));
    const bytes = gzipSync(Buffer.from('config'));
    await client().configurationVersions.upload(server.url, bytes);
    expect(server.received).toHaveLength(2);
    expect(server.received.map((r) => r.body.equals(bytes))).toEqual([true, true]);
  });

  it('re-reads a .tar.gz path for each attempt after a 503', async () => {
    const server = await uploadServer((n) => (n === 1 ? 503 : 200));
    const bytes = gzipSync(Buffer.from('config from disk'));
    const dir = await tempTree({});
    await writeFile(join(dir, 'c.tgz'), bytes);
    await client().configurationVersions.upload(server.url, join(dir, 'c.tgz'));
    expect(server.received.map((r) => r.body.equals(bytes))).toEqual([true, true]);
  });

  it('sends a Uint8Array view exactly, not its whole backing buffer', async () => {
    const server = await uploadServer();
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    await client().configurationVersions.upload(server.url, backing.subarray(2, 5));
    expect([...server.received[0]!.body]).toEqual([1, 2, 3]);
  });

  it('sends a caller’s Readable once: a 503 fails with a typed error instead of a retry', async () => {
    const server = await uploadServer(() => 503);
    const err = await client()
      .configurationVersions.upload(server.url, Readable.from([Buffer.from('one-'), Buffer.from('shot')]))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 503, method: 'PUT' });
    expect(server.starts()).toBe(1);
    expect(server.received[0]!.body.toString()).toBe('one-shot');
    // The signed query string is a credential: never in an error.
    expect((err as Error).message).not.toContain('SIGNED-CREDENTIAL');
  });

  it('uses the uploadUrl of a configuration version', async () => {
    const server = await uploadServer();
    await client().configurationVersions.upload(cv(server.url), Buffer.from('x'));
    expect(server.received).toHaveLength(1);
  });

  it('rejects a configuration version without an uploadUrl, saying why', async () => {
    const err = await client()
      .configurationVersions.upload(cv(null), Buffer.from('x'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'uploadUrl', message: expect.stringContaining('returned by create') });
  });

  it.each([
    ['a missing path', '/no/such/dir/anywhere', 'does not exist'],
    ['an empty Buffer', Buffer.alloc(0), 'is empty'],
    ['a number', 42, 'not usable'],
  ])('rejects %s with what to pass instead', async (_, source, said) => {
    const err = await client()
      .configurationVersions.upload('http://127.0.0.1:9/u', source as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toContain(said);
    expect((err as Error).message).toContain('pass a configuration directory, a .tar.gz/.tgz file path');
  });

  it('rejects a file that is not a .tar.gz or .tgz', async () => {
    const dir = await tempTree({ 'main.tf': '' });
    await expect(
      client().configurationVersions.upload('http://127.0.0.1:9/u', join(dir, 'main.tf')),
    ).rejects.toThrow('neither a directory nor a .tar.gz/.tgz file');
  });

  it('rejects a stream that was already read', async () => {
    const used = Readable.from(['x']);
    for await (const _ of used);
    await expect(client().configurationVersions.upload('http://127.0.0.1:9/u', used)).rejects.toThrow(
      'already read or destroyed',
    );
  });

  it('rejects an upload URL that is not http(s)', async () => {
    await expect(
      client().configurationVersions.upload('file:///etc/passwd', Buffer.from('x')),
    ).rejects.toThrow('uploadUrl must be http(s)');
  });

  it('stops at the caller’s abort while the upload server keeps it waiting', async () => {
    const server = await uploadServer(() => 'hang');
    const controller = new AbortController();
    const upload = client().configurationVersions.upload(server.url, Buffer.from('slow'), {
      signal: controller.signal,
    });
    await server.started;
    controller.abort();
    await expect(upload).rejects.toBeInstanceOf(AbortError);
    await server.clientGone;
  });

  it('surfaces a packing failure as the PackError, without retrying the bad tree', async () => {
    const server = await uploadServer();
    const dir = await tempTree({ 'main.tf': 'x' });
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config', 'main.tf'), 'y');
    // Outside and dangling: dereferencing has nothing to copy.
    await symlink(join(dir, 'missing.tf'), join(dir, 'config', 'escape.tf'));
    const lines: string[] = [];
    const log = (message: string) => lines.push(message);
    const logger = { debug: log, info: log, warn: log, error: log };
    const err = await client({ logger })
      .configurationVersions.upload(server.url, join(dir, 'config'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackError);
    expect(err).toMatchObject({ code: 'SYMLINK_DANGLING', path: 'escape.tf' });
    expect(server.starts()).toBeLessThanOrEqual(1);
    // A retry would log a line per failed attempt.
    expect(lines.filter((l) => l.includes('PUT')).length).toBeLessThanOrEqual(1);
  });

  it('bad pack options are refused before the PUT: no attempt, and no timer left to hold the process open', async () => {
    const server = await uploadServer();
    const dir = await tempTree({ 'main.tf': 'x' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const err = await client()
        .configurationVersions.upload(server.url, dir, { pack: { gzipLevel: 42 } })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'PackError', code: 'INVALID_OPTION' });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    expect(server.starts()).toBe(0);
  });
});
