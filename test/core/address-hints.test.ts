import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, NotFoundError, TfeClient } from '../../src/index.js';

const TOKEN = 'address-hint-token-123456';
const tls = {
  key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url)),
  cert: readFileSync(new URL('../fixtures/tls/cert.pem', import.meta.url)),
};

// Real loopback sockets: a wrong scheme, an untrusted certificate and a web page where the API should be, as a
// user who mistypes TFE_ADDRESS meets them.
describe('an address that is not the TFE API says what to check', () => {
  let server: Server | undefined;
  let hits = 0;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
    hits = 0;
  });

  async function listen(
    make: (handler: RequestListener) => Server,
    handler: RequestListener,
  ): Promise<number> {
    server = make((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  it('https:// to a plain-HTTP server: a handshake failure without OpenSSL text, nothing sent, naming the variable', async () => {
    const port = await listen(createHttpServer, (_req, res) => res.end('{}'));
    const tfe = new TfeClient({
      env: { TFE_TOKEN: TOKEN, TFE_ADDRESS: `https://127.0.0.1:${port}` },
      maxRetries: 0,
    });
    const err = await tfe.runs.create({ workspaceId: 'ws-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    const message = (err as Error).message;
    expect(message).toContain('TLS handshake with 127.0.0.1');
    expect(message).toContain('so nothing was sent');
    expect(message).toContain('(use http:// for a plain-HTTP server); check TFE_ADDRESS.');
    expect(message).not.toMatch(/ssl3?_|wrong version number|routines|may have reached/i);
    expect(hits).toBe(0);
  });

  it('a POST that failed its handshake is retried: nothing reached the server', async () => {
    const port = await listen(createHttpServer, (_req, res) => res.end('{}'));
    const warnings: string[] = [];
    const tfe = new TfeClient({
      env: { TFE_TOKEN: TOKEN, TF_HOSTNAME: `127.0.0.1:${port}` },
      maxRetries: 1,
      backoff: { initialDelayMs: 1, maxDelayMs: 2 },
      logger: { warn: (m) => warnings.push(m) },
    });
    const err = await tfe.runs.create({ workspaceId: 'ws-1' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('check TF_HOSTNAME');
    expect(warnings).toHaveLength(1);
  });

  it('a certificate Node does not trust: says how to add a private CA', async () => {
    const port = await listen(
      (h) => createHttpsServer(tls, h) as unknown as Server,
      (_req, res) => res.end('{}'),
    );
    const tfe = new TfeClient({ token: TOKEN, address: `https://127.0.0.1:${port}`, maxRetries: 0 });
    const err = await tfe.runs.read('run-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect((err as Error).message).toContain('set NODE_EXTRA_CA_CERTS to its PEM file; check address');
    expect(hits).toBe(0);
  });

  it('an HTML 404 where the API should be: the error says the answer is not the API and names the variable', async () => {
    const port = await listen(createHttpServer, (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not here</body></html>');
    });
    const tfe = new TfeClient({ env: { TFE_TOKEN: TOKEN, TFE_ADDRESS: `http://127.0.0.1:${port}` } });
    const err = await tfe.workspaces.read('acme', 'prod').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain(
      'the answer (text/html) is not from the TFE API: check TFE_ADDRESS',
    );
  });

  it("the API's own JSON:API 404 gets no such hint", async () => {
    const port = await listen(createHttpServer, (_req, res) => {
      res
        .writeHead(404, { 'content-type': 'application/vnd.api+json' })
        .end(JSON.stringify({ errors: [{ status: '404', title: 'not found' }] }));
    });
    const tfe = new TfeClient({ env: { TFE_TOKEN: TOKEN, TFE_ADDRESS: `http://127.0.0.1:${port}` } });
    const err = await tfe.workspaces.read('acme', 'prod').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).not.toContain('not from the TFE API');
  });
});
