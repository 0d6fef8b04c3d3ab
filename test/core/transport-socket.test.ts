import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Transport } from '../../src/core/transport.js';
import { AbortError, ConnectionError, TimeoutError } from '../../src/index.js';
import { TOKEN, testClient } from '../helpers/api.js';
import { closedPortAddress } from '../helpers/ports.js';

// Real loopback sockets, no msw: connection refusal, silence and slow bodies as the OS produces them.
describe('over a real socket', () => {
  let http1: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (http1 ? http1.close(() => r()) : r()));
    http1 = undefined;
  });

  async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
    http1 = createServer(handler);
    await new Promise<void>((r) => http1!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(http1.address() as AddressInfo).port}`;
  }

  it('a POST to a refused port is retried: nothing was sent', async () => {
    const address = await closedPortAddress();
    const logs: string[] = [];
    const tfe = testClient({
      address,
      maxRetries: 2,
      logger: { warn: (m) => logs.push(m), debug: (m) => logs.push(m) },
    });
    const err = await tfe.runs.create({ workspaceId: 'ws-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('ECONNREFUSED');
    expect(logs.filter((l) => l.includes('failed'))).toHaveLength(3);
  });

  it('a request that gets no answer times out with TimeoutError', async () => {
    let calls = 0;
    const address = await listen(() => {
      calls++; // accept and never answer
    });
    // Room for the retry to reach the server on a loaded machine before its own deadline.
    const tfe = testClient({ address, timeoutMs: 150, maxRetries: 1 });
    const err = await tfe.runs.read('run-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(150);
    expect(calls).toBe(2);
    tfe.close();
  });

  it('a POST that times out is not retried', async () => {
    let calls = 0;
    const address = await listen(() => {
      calls++;
    });
    // Long enough for the request to reach the server on a loaded machine (at 50 ms, load 44, it did not).
    const tfe = testClient({ address, timeoutMs: 500 });
    await expect(tfe.runs.apply('run-1')).rejects.toBeInstanceOf(TimeoutError);
    expect(calls).toBe(1);
    tfe.close();
  });

  it('a body that drips slower than the deadline times out', async () => {
    const address = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' });
      res.write('{"data":');
      // never finishes
    });
    const tfe = testClient({ address, timeoutMs: 80, maxRetries: 0 });
    await expect(tfe.runs.read('run-1')).rejects.toBeInstanceOf(TimeoutError);
    tfe.close();
  });

  it('the caller’s abort ends a request at once with AbortError', async () => {
    const address = await listen(() => {});
    const tfe = testClient({ address });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const err = await tfe.runs.read('run-1', {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    tfe.close();
  });

  it('an already-aborted signal sends nothing', async () => {
    let calls = 0;
    const address = await listen(() => {
      calls++;
    });
    const tfe = testClient({ address });
    await expect(tfe.runs.read('run-1', {}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(calls).toBe(0);
  });

  it('a body factory that throws sends nothing and leaves no attempt timer to hold the process open', async () => {
    let calls = 0;
    const address = await listen(() => {
      calls++;
    });
    const transport = new Transport({
      token: TOKEN,
      baseUrl: `${address}/api/v2`,
      timeoutMs: 60_000,
      maxRetries: 0,
      rateLimit: 0,
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const err = await transport
        .request({
          method: 'PUT',
          url: `${address}/v1/object/KEY`,
          data: () => {
            throw new Error('the archive could not be opened');
          },
          responseType: 'none',
        })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ message: 'the archive could not be opened' });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
      transport.close();
    }
    expect(calls).toBe(0);
  });
});
