import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError, ConnectionError, TimeoutError } from '../../src/core/errors.js';
import { Transport } from '../../src/core/transport.js';
import { TOKEN } from '../helpers/api.js';

// A streamed body (logs, downloads) over real loopback sockets: the deadline covers the headers, then silence.
// Deadlines leave the headers room on a loaded machine; the idle rule itself is tested on a fake clock.
const DEADLINE_MS = 250;
// For a body that must not time out: far above the gap between its chunks, whatever the machine's load.
const ROOMY_MS = 2000;
const DRIP_MS = 50;

describe('a streamed response body', () => {
  const servers: Array<ReturnType<typeof createServer>> = [];
  const transports: Transport[] = [];
  afterEach(async () => {
    for (const t of transports.splice(0)) t.close();
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  /** A server answering every request with `answer`; returns its origin. */
  async function serve(answer: (res: ServerResponse, req: IncomingMessage) => void): Promise<string> {
    const server = createServer((req, res) => answer(res, req));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function transport(origin: string, timeoutMs: number): Transport {
    const t = new Transport({
      token: TOKEN,
      baseUrl: `${origin}/api/v2`,
      timeoutMs,
      maxRetries: 0,
      rateLimit: 0,
    });
    transports.push(t);
    return t;
  }

  /** GETs a signed log URL (another path than the API's) as a stream. */
  async function streamFrom(origin: string, timeoutMs: number, signal?: AbortSignal): Promise<Readable> {
    const res = await transport(origin, timeoutMs).request<Readable>({
      method: 'GET',
      url: `${origin}/v1/object/SIGNED-KEY?sig=SIGNATURE`,
      responseType: 'stream',
      options: signal ? { signal } : undefined,
    });
    return res.data;
  }

  /** A body whose server sends one line and then nothing, with no deadline, under the caller's `signal`. */
  async function startedThenSilent(signal: AbortSignal): Promise<Readable> {
    const origin = await serve((res) => {
      res.writeHead(200);
      res.write('started\n');
    });
    return streamFrom(origin, Number.POSITIVE_INFINITY, signal);
  }

  async function readAll(body: Readable): Promise<string> {
    let out = '';
    for await (const chunk of body) out += String(chunk);
    return out;
  }

  it('ends with TimeoutError when the server sends headers and then nothing', async () => {
    const origin = await serve((res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write('first line\n');
    });
    const body = await streamFrom(origin, DEADLINE_MS);
    const err = await readAll(body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(DEADLINE_MS);
  });

  it('says what timed out and which option changes it, naming only the host of the signed URL', async () => {
    const origin = await serve((res) => {
      res.writeHead(200);
      res.flushHeaders();
    });
    const err = (await readAll(await streamFrom(origin, DEADLINE_MS)).catch(
      (e: unknown) => e,
    )) as TimeoutError;
    expect(err.message).toBe(
      `GET ${origin}/v1/… timed out after ${DEADLINE_MS} ms without a byte of the response body;` +
        ' raise timeoutMs (Infinity for no limit) to wait longer.',
    );
    expect(JSON.stringify(err.toJSON())).not.toMatch(/SIGNED-KEY|SIGNATURE|tok-/);
  });

  it('does not time out while bytes keep arriving, however long the whole body takes', async () => {
    // Chunks a 40th of the limit apart, longer in all than it: a deadline on the whole body would fire.
    const chunks = ROOMY_MS / DRIP_MS + 4;
    const origin = await serve((res) => {
      res.writeHead(200);
      let sent = 0;
      const drip = setInterval(() => {
        res.write('.');
        if (++sent === chunks) {
          clearInterval(drip);
          res.end();
        }
      }, DRIP_MS);
    });
    expect(await readAll(await streamFrom(origin, ROOMY_MS))).toBe('.'.repeat(chunks));
  }, 10_000);

  it('has no idle limit with timeoutMs: Infinity', async () => {
    const origin = await serve((res) => {
      res.writeHead(200);
      res.write('a');
      setTimeout(() => res.end('b'), 60);
    });
    expect(await readAll(await streamFrom(origin, Number.POSITIVE_INFINITY))).toBe('ab');
  });

  it('ends with AbortError at once when the caller aborts, with no deadline set', async () => {
    const controller = new AbortController();
    const body = await startedThenSilent(controller.signal);
    const reading = readAll(body).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 10);
    expect(await reading).toBeInstanceOf(AbortError);
  });

  it('closes without an uncaught error when the caller aborts before anything reads', async () => {
    const controller = new AbortController();
    const body = await startedThenSilent(controller.signal);
    const uncaught = vi.fn();
    process.once('uncaughtException', uncaught);
    try {
      controller.abort();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('uncaughtException', uncaught);
    }
    expect(uncaught).not.toHaveBeenCalled();
    expect(body.destroyed).toBe(true);
  });

  it('closes the connection when the reader stops before the body ends', async () => {
    let closed!: Promise<unknown>;
    const origin = await serve((res, req) => {
      closed = new Promise((r) => req.socket.once('close', r));
      res.writeHead(200);
      res.write('first chunk');
    });
    for await (const _ of await streamFrom(origin, Number.POSITIVE_INFINITY)) break;
    // The server stays silent: only the client's abort can close the socket before the test times out.
    await closed;
  });

  it('ends with ConnectionError when the server drops the connection mid-body', async () => {
    const origin = await serve((res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial', () => res.socket?.destroy());
    });
    const err = await readAll(await streamFrom(origin, 1000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).message).toContain(
      `GET ${origin}/v1/… lost the connection while reading the response body`,
    );
  });
});
