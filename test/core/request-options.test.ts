import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { AbortError, InputValidationError } from '../../src/index.js';
import { API, fixture, recorder, testClient, useMsw } from '../helpers/api.js';

// The per-call options every method takes last; from JavaScript nothing stops a misspelling but this check.
const server = useMsw();

describe('per-call request options', () => {
  function serveRun() {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1`, async ({ request }) => {
        await record(request);
        return HttpResponse.json(fixture('runs/get-run-details.json'));
      }),
    );
    return seen;
  }

  it('a misspelled option is an InputValidationError naming it, and nothing is sent', async () => {
    const seen = serveRun();
    const err = await testClient()
      .runs.read('run-1', {}, { timeoutMS: 5 } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect(err).toMatchObject({ field: 'timeoutMS' });
    expect((err as Error).message).toContain('unknown option "timeoutMS"');
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: '100' }],
    ['maxRetries', { maxRetries: -1 }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['signal', { signal: 'stop' }],
    ['headers', { headers: { 'x-trace': 1 } }],
    ['secrets', { secrets: 'hunter2' }],
  ])('a wrong %s (%j) is refused before the request', async (field, options) => {
    const seen = serveRun();
    const err = await testClient()
      .runs.read('run-1', {}, options as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as InputValidationError).field?.startsWith(field)).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it('well-formed options are accepted, Infinity among them, and the extra header is sent', async () => {
    const seen = serveRun();
    const run = await testClient().runs.read(
      'run-1',
      {},
      {
        timeoutMs: Number.POSITIVE_INFINITY,
        maxRetries: 0,
        headers: { 'x-trace': 'abc' },
        secrets: ['hunter2'],
        signal: new AbortController().signal,
      },
    );
    expect(run.id).toBe('run-CZcmD7eagjhyX0vN');
    expect(seen[0]?.headers.get('x-trace')).toBe('abc');
  });

  it('a signal from an AbortController polyfill (not an AbortSignal instance) is accepted and ends the call', async () => {
    server.use(http.get(`${API}/runs/run-1`, () => new Promise<never>(() => {})));
    class PolyfillSignal extends EventTarget {
      aborted = false;
      reason: unknown;
      abort() {
        this.aborted = true;
        this.dispatchEvent(new Event('abort'));
      }
    }
    const signal = new PolyfillSignal();
    const reading = testClient().runs.read('run-1', {}, { signal: signal as unknown as AbortSignal });
    setTimeout(() => signal.abort(), 5);
    await expect(reading).rejects.toBeInstanceOf(AbortError);
  });
});
