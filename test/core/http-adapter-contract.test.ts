import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import axios, { type AxiosResponse, type CreateAxiosDefaults } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdapterRequest, HttpAdapter } from '../../src/core/http-adapter.js';

// The transport calls axios's http adapter without Axios#request (src/core/http-adapter.ts). These tests send the
// same requests through `axios.create(...).request` and through HttpAdapter and require the same bytes on the wire
// and the same answer: an axios upgrade that changes what the adapter expects of Axios#request fails here.

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const JSON_BODY = Buffer.from(JSON.stringify({ data: { id: 'run-1', type: 'runs' } }));

let server: Server;
let origin: string;
const seen: Seen[] = [];

async function record(req: IncomingMessage): Promise<Seen> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { host: _host, ...headers } = req.headers;
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push(await record(req));
    const path = (req.url ?? '').split('?')[0];
    if (path === '/gzip')
      res
        .writeHead(200, { 'content-type': 'application/vnd.api+json', 'content-encoding': 'gzip' })
        .end(gzipSync(JSON_BODY));
    else if (path === '/empty') res.writeHead(204).end();
    else if (path === '/redirect') res.writeHead(302, { location: '/json' }).end();
    else if (path === '/missing')
      res.writeHead(404, { 'content-type': 'application/vnd.api+json' }).end('{"errors":[]}');
    else if (path === '/hang')
      return; // never answers: the abort case
    else
      res
        .writeHead(200, { 'content-type': 'application/vnd.api+json', 'x-ratelimit-remaining': '29' })
        .end(JSON_BODY);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

// What the transport gives axios.create (src/core/transport.ts); agents left to axios's defaults here.
const INSTANCE: CreateAxiosDefaults = {
  maxRedirects: 0,
  validateStatus: () => true,
  transitional: { clarifyTimeoutError: true },
  maxContentLength: Number.POSITIVE_INFINITY,
  maxBodyLength: Number.POSITIVE_INFINITY,
};

type Case = Omit<AdapterRequest, 'url' | 'signal'> & { path: string; body?: () => unknown };

const headers = (extra: Record<string, string> = {}) => ({
  'User-Agent': 'tfe-client/test',
  Accept: 'application/vnd.api+json',
  Authorization: 'Bearer contract-token',
  ...extra,
});

const CASES: Record<string, Case> = {
  'GET, buffered JSON': {
    path: '/json?page%5Bnumber%5D=2',
    method: 'GET',
    headers: headers({ 'Accept-Encoding': 'gzip, deflate, br' }),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'GET, gzip body left compressed (the transport inflates it)': {
    path: '/gzip',
    method: 'GET',
    headers: headers({ 'Accept-Encoding': 'gzip, deflate, br' }),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'GET, streamed and inflated by axios': {
    path: '/gzip',
    method: 'GET',
    headers: headers(),
    responseType: 'stream',
    decompress: true,
  },
  'POST with a JSON:API document': {
    path: '/runs',
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/vnd.api+json' }),
    body: () => JSON.stringify({ data: { type: 'runs', attributes: { message: 'ünïcode' } } }),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'POST without a body': {
    path: '/runs/run-1/actions/discard',
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/vnd.api+json' }),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'DELETE without a body': {
    path: '/runs/run-1',
    method: 'DELETE',
    headers: headers({ 'Content-Type': 'application/vnd.api+json' }),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'PUT of a Buffer': {
    path: '/upload',
    method: 'PUT',
    headers: headers({ 'Content-Type': 'application/octet-stream' }),
    body: () => Buffer.from('tarball bytes'),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'PUT of a stream': {
    path: '/upload',
    method: 'PUT',
    headers: headers({ 'Content-Type': 'application/octet-stream' }),
    body: () => Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'HEAD of a 204': {
    path: '/empty',
    method: 'HEAD',
    headers: headers(),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'a 404': {
    path: '/missing',
    method: 'GET',
    headers: headers(),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'a redirect, not followed': {
    path: '/redirect',
    method: 'GET',
    headers: headers(),
    responseType: 'arraybuffer',
    decompress: false,
  },
  'direct, with proxy: false': {
    path: '/json',
    method: 'GET',
    headers: headers(),
    responseType: 'arraybuffer',
    decompress: false,
    proxy: false,
  },
};

async function answer(res: AxiosResponse) {
  let data: Buffer;
  if (res.data instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of res.data) chunks.push(chunk as Buffer);
    data = Buffer.concat(chunks);
  } else data = Buffer.from(res.data as Buffer);
  const { date: _date, ...rest } = { ...res.headers };
  return { status: res.status, headers: rest, data: data.toString('utf8') };
}

describe("axios's http adapter called directly behaves as axios.request", () => {
  const reference = axios.create(INSTANCE);
  const direct = new HttpAdapter(INSTANCE);

  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const { path, body, ...rest } = c;
      const url = `${origin}${path}`;
      seen.length = 0;
      const viaAxios = await reference.request({
        ...rest,
        url,
        data: body?.(),
        signal: new AbortController().signal,
        ...(rest.proxy === false ? { proxy: false } : {}),
      });
      const viaAdapter = await direct.request({
        ...rest,
        url,
        data: body?.(),
        signal: new AbortController().signal,
      });
      expect(seen).toHaveLength(2);
      expect(seen[1]).toEqual(seen[0]);
      expect(await answer(viaAdapter)).toEqual(await answer(viaAxios));
    });
  }

  it('an abort rejects both with the same cancel', async () => {
    const outcomes = [];
    for (const send of [
      (signal: AbortSignal) => reference.request({ url: `${origin}/hang`, method: 'GET', signal }),
      (signal: AbortSignal) =>
        direct.request({
          url: `${origin}/hang`,
          method: 'GET',
          headers: headers(),
          signal,
          responseType: 'arraybuffer',
          decompress: false,
        }),
    ]) {
      const controller = new AbortController();
      const pending = send(controller.signal).catch((e: unknown) => e);
      setTimeout(() => controller.abort(), 20);
      const err = (await pending) as { code?: string };
      outcomes.push({ cancel: axios.isCancel(err), code: err.code });
    }
    expect(outcomes[0]).toEqual({ cancel: true, code: 'ERR_CANCELED' });
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('a refused connection rejects both with the same AxiosError code', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/json`;
    await new Promise<void>((r) => closed.close(() => r()));
    const a = (await reference.request({ url }).catch((e: unknown) => e)) as { code?: string };
    const b = (await direct
      .request({
        url,
        method: 'GET',
        headers: headers(),
        signal: new AbortController().signal,
        responseType: 'arraybuffer',
        decompress: false,
      })
      .catch((e: unknown) => e)) as { code?: string };
    expect(axios.isAxiosError(b)).toBe(true);
    expect(b.code).toBe(a.code);
    expect(b.code).toBe('ECONNREFUSED');
  });
});
