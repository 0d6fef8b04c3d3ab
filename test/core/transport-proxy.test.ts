import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProxyDecisions } from '../../src/core/proxy.js';
import { ConnectionError } from '../../src/index.js';
import { fixture, TOKEN, testClient } from '../helpers/api.js';

// Proxies over real loopback sockets: the proxy is decided once per origin from the environment (axios's rules,
// through the library axios calls), and a proxy the environment names still carries the request.

const RUN = fixture('runs/get-run-details.json');
const PROXY_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
];

interface Hit {
  url: string;
  host: string | undefined;
  authorization: string | undefined;
}

async function listen(
  onRequest: (req: IncomingMessage) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    onRequest(req);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/vnd.api+json' }).end(JSON.stringify(RUN));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const hit = (req: IncomingMessage): Hit => ({
  url: req.url ?? '',
  host: req.headers.host,
  authorization: req.headers.authorization,
});

describe('proxies from the environment', () => {
  const saved: Record<string, string | undefined> = {};
  const servers: Server[] = [];
  let proxyHits: Hit[];
  let directHits: Hit[];
  let proxyOrigin: string;
  let targetOrigin: string;

  beforeEach(async () => {
    for (const name of PROXY_VARS) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    proxyHits = [];
    directHits = [];
    const proxy = await listen((req) => proxyHits.push(hit(req)));
    const target = await listen((req) => directHits.push(hit(req)));
    servers.push(proxy.server, target.server);
    proxyOrigin = proxy.origin;
    targetOrigin = target.origin;
  });

  afterEach(async () => {
    for (const name of PROXY_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('sends a request through HTTP_PROXY, in absolute form, to a host only the proxy can reach', async () => {
    process.env.HTTP_PROXY = proxyOrigin;
    const tfe = testClient({ address: 'http://tfe.proxied.test' });
    const run = await tfe.runs.read('run-CZcmD7eagjhyX0vN');
    tfe.close();
    expect(run.id).toBe('run-CZcmD7eagjhyX0vN');
    expect(directHits).toEqual([]);
    expect(proxyHits).toEqual([
      {
        url: 'http://tfe.proxied.test/api/v2/runs/run-CZcmD7eagjhyX0vN',
        host: 'tfe.proxied.test',
        authorization: `Bearer ${TOKEN}`,
      },
    ]);
  });

  it('reads the lower-case form too', async () => {
    process.env.http_proxy = proxyOrigin;
    const tfe = testClient({ address: 'http://tfe.proxied.test' });
    await tfe.runs.read('run-CZcmD7eagjhyX0vN');
    tfe.close();
    expect(proxyHits).toHaveLength(1);
  });

  it('goes direct to a host NO_PROXY names, with its port', async () => {
    process.env.HTTP_PROXY = proxyOrigin;
    process.env.NO_PROXY = `example.org,${new URL(targetOrigin).host}`;
    const tfe = testClient({ address: targetOrigin });
    await tfe.runs.read('run-CZcmD7eagjhyX0vN');
    tfe.close();
    expect(proxyHits).toEqual([]);
    expect(directHits.map((h) => h.url)).toEqual(['/api/v2/runs/run-CZcmD7eagjhyX0vN']);
  });

  it('goes direct when no proxy is set, and a proxy set later reaches new clients only', async () => {
    const tfe = testClient({ address: targetOrigin });
    await tfe.runs.read('run-CZcmD7eagjhyX0vN');
    process.env.HTTP_PROXY = proxyOrigin;
    // Decided once per client and origin: this client keeps going direct.
    await tfe.runs.read('run-CZcmD7eagjhyX0vN');
    tfe.close();
    expect(directHits).toHaveLength(2);
    const later = testClient({ address: targetOrigin });
    await later.runs.read('run-CZcmD7eagjhyX0vN');
    later.close();
    expect(proxyHits.map((h) => h.url)).toEqual([`${targetOrigin}/api/v2/runs/run-CZcmD7eagjhyX0vN`]);
  });

  it('an https:// address goes through a CONNECT tunnel: the proxy sees the host and port, never the token', async () => {
    const tls = {
      key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url)),
      cert: readFileSync(new URL('../fixtures/tls/cert.pem', import.meta.url)),
    };
    const origin = createHttpsServer(tls, (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/vnd.api+json' }).end(JSON.stringify(RUN));
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    servers.push(origin as unknown as Server);
    const originPort = (origin.address() as AddressInfo).port;
    const connects: string[] = [];
    const seenBytes: Buffer[] = [];
    const tunnels: Socket[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push(req.url ?? '');
      const upstream = connect(originPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        client.on('data', (b: Buffer) => seenBytes.push(b));
        client.pipe(upstream).pipe(client);
      });
      tunnels.push(client, upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    servers.push(proxy);
    process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    // The fixture's certificate is self-signed: the request fails at the origin's TLS check, through the tunnel.
    const tfe = testClient({ address: `https://127.0.0.1:${originPort}`, maxRetries: 0 });
    const err = await tfe.runs.read('run-CZcmD7eagjhyX0vN').catch((e: unknown) => e);
    tfe.close();
    for (const socket of tunnels) socket.destroy();
    expect(connects).toEqual([`127.0.0.1:${originPort}`]);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/certificate/);
    expect(Buffer.concat(seenBytes).includes(TOKEN)).toBe(false);
  });

  it('a proxy that refuses connections is a ConnectionError, not a silent direct request', async () => {
    const dead = await listen(() => {});
    const deadOrigin = dead.origin;
    await new Promise<void>((r) => dead.server.close(() => r()));
    process.env.HTTP_PROXY = deadOrigin;
    const tfe = testClient({ address: targetOrigin, maxRetries: 0 });
    const err = await tfe.runs.read('run-CZcmD7eagjhyX0vN').catch((e: unknown) => e);
    tfe.close();
    expect(err).toBeInstanceOf(ConnectionError);
    expect(directHits).toEqual([]);
  });
});

describe('ProxyDecisions', () => {
  it('looks the environment up once per origin, whatever the path', () => {
    const lookup = vi.fn((url: URL) => (url.hostname === 'proxied.test' ? 'http://proxy:3128' : ''));
    const decisions = new ProxyDecisions(lookup);
    expect(decisions.for(new URL('https://proxied.test/api/v2/runs/run-1'))).toBeUndefined();
    expect(decisions.for(new URL('https://proxied.test/api/v2/runs/run-2?x=1'))).toBeUndefined();
    expect(decisions.for(new URL('https://direct.test/api/v2/runs'))).toBe(false);
    expect(decisions.for(new URL('https://direct.test:8443/api/v2/runs'))).toBe(false);
    expect(lookup.mock.calls.map(([u]) => u.origin)).toEqual([
      'https://proxied.test',
      'https://direct.test',
      'https://direct.test:8443',
    ]);
  });
});
