import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { INFLATE_SYNC_MAX_BYTES } from '../../src/core/content-encoding.js';
import { Transport } from '../../src/core/transport.js';
import { NotFoundError, ResponseValidationError } from '../../src/index.js';
import { fixture, TOKEN, testClient } from '../helpers/api.js';

// Buffered bodies are inflated in one call by the transport (axios's zlib stream is off for them): every encoding
// axios read before must still read the same, over a real socket.

const RUN = fixture<{ data: { id: string } }>('runs/get-run-details.json');
const RUN_BYTES = Buffer.from(JSON.stringify(RUN));
const ENCODERS: Record<string, (b: Buffer) => Buffer> = {
  gzip: gzipSync,
  'x-gzip': gzipSync,
  deflate: deflateSync,
  br: brotliCompressSync,
};

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(
  answer: (headers: IncomingHttpHeaders) => {
    status?: number;
    headers?: Record<string, string>;
    body: Buffer;
  },
): Promise<{ address: string; requests: IncomingHttpHeaders[] }> {
  const requests: IncomingHttpHeaders[] = [];
  server = createServer((req, res) => {
    requests.push(req.headers);
    req.resume();
    const { status = 200, headers = {}, body } = answer(req.headers);
    res.writeHead(status, { 'content-type': 'application/vnd.api+json', ...headers }).end(body);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('compressed JSON bodies', () => {
  for (const [encoding, encode] of Object.entries(ENCODERS)) {
    it(`reads a ${encoding}-encoded run`, async () => {
      const { address, requests } = await serve(() => ({
        headers: { 'content-encoding': encoding },
        body: encode(RUN_BYTES),
      }));
      const tfe = testClient({ address });
      const run = await tfe.runs.read(RUN.data.id);
      tfe.close();
      expect(run.id).toBe(RUN.data.id);
      expect(requests[0]?.['accept-encoding']).toBe('gzip, deflate, br');
    });
  }

  it('reads raw deflate (no zlib header), as axios did', async () => {
    const { address } = await serve(() => ({
      headers: { 'content-encoding': 'deflate' },
      body: deflateRawSync(RUN_BYTES),
    }));
    const tfe = testClient({ address });
    expect((await tfe.runs.read(RUN.data.id)).id).toBe(RUN.data.id);
    tfe.close();
  });

  it('inflates a body past the one-call size (the thread-pool path) to the same document', async () => {
    // Incompressible padding, so the compressed body itself is past the threshold.
    const padding = Array.from(
      { length: 4 * INFLATE_SYNC_MAX_BYTES },
      () => Math.random().toString(36)[2],
    ).join('');
    const big = Buffer.from(JSON.stringify({ ...RUN, meta: { padding } }));
    const body = gzipSync(big);
    expect(body.length).toBeGreaterThan(INFLATE_SYNC_MAX_BYTES);
    const { address } = await serve(() => ({ headers: { 'content-encoding': 'gzip' }, body }));
    const transport = new Transport({
      token: TOKEN,
      baseUrl: `${address}/api/v2`,
      timeoutMs: 30_000,
      maxRetries: 0,
      rateLimit: 0,
    });
    const res = await transport.request<{ meta: { padding: string } }>({ method: 'GET', path: '/runs/x' });
    transport.close();
    expect(res.data.meta.padding).toBe(padding);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('reads the JSON:API errors of a compressed error answer', async () => {
    const errors = { errors: [{ status: '404', title: 'not found', detail: 'no run-zzz here' }] };
    const { address } = await serve(() => ({
      status: 404,
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from(JSON.stringify(errors))),
    }));
    const tfe = testClient({ address });
    const err = await tfe.runs.read('run-zzz').catch((e: unknown) => e);
    tfe.close();
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toContain('no run-zzz here');
  });

  it('a body that does not inflate is a ResponseValidationError naming the encoding', async () => {
    const { address } = await serve(() => ({
      headers: { 'content-encoding': 'gzip' },
      body: Buffer.from('this was never gzip'),
    }));
    const tfe = testClient({ address });
    const err = await tfe.runs.read(RUN.data.id).catch((e: unknown) => e);
    tfe.close();
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect((err as Error).message).toMatch(/gzip-encoded body that does not inflate/);
  });

  it('leaves an encoding it does not know to the JSON check', async () => {
    const { address } = await serve(() => ({
      headers: { 'content-encoding': 'zstd' },
      body: Buffer.from([1, 2, 3]),
    }));
    const tfe = testClient({ address });
    const err = await tfe.runs.read(RUN.data.id).catch((e: unknown) => e);
    tfe.close();
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect((err as Error).message).toMatch(/not JSON/);
  });
});
