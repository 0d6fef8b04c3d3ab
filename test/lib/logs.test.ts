import { describe, expect, it } from 'vitest';
import { AbortError, type LogEvent, parseLogLine, TimeoutError } from '../../src/index.js';
import { API, BASE, HttpResponse, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
const LOG = 'https://archivist.test/v1/object/log-1';
const fast = { pollIntervalMs: 1 };

const plan = (status: string, logReadUrl: string | null = LOG) =>
  jsonApi({ data: { id: 'plan-1', type: 'plans', attributes: { status, 'log-read-url': logReadUrl } } });

/** An archivist serving `log()` by `offset`/`limit` bytes, like TFE's; records each read. */
function archivist(log: () => Buffer, url = LOG) {
  const { seen, record } = recorder();
  server.use(
    http.get(url, async ({ request }) => {
      await record(request);
      const q = new URL(request.url).searchParams;
      const whole = log();
      const offset = Number(q.get('offset') ?? 0);
      const limit = q.has('limit') ? Number(q.get('limit')) : whole.length;
      return new HttpResponse(whole.subarray(offset, offset + limit));
    }),
  );
  return seen;
}

/** A plan whose status is read from `status()` on each GET; counts the reads. */
function planEndpoint(status: () => string, url: () => string | null = () => LOG) {
  const reads = { count: 0 };
  server.use(
    http.get(`${API}/plans/plan-1`, () => {
      reads.count++;
      return plan(status(), url());
    }),
  );
  return reads;
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of iterable) out.push(chunk);
  return out;
}

describe('reading a log as it is', () => {
  it('keeps an ETX byte that is followed by more text', async () => {
    planEndpoint(() => 'finished');
    archivist(() => Buffer.from('\u0002a\u0003b\n\u0003'));
    expect(await testClient().plans.logs('plan-1').text()).toBe('a\u0003b\n');
  });

  it('passes a log without STX/ETX through unchanged', async () => {
    planEndpoint(() => 'running');
    archivist(() => Buffer.from('line 1\nline 2\n'));
    expect(await testClient().plans.logs('plan-1').text()).toBe('line 1\nline 2\n');
  });

  it('yields nothing when the phase has no log URL yet', async () => {
    planEndpoint(
      () => 'pending',
      () => null,
    );
    expect(await collect(testClient().plans.logs('plan-1'))).toEqual([]);
  });

  it('sends no token to a log URL on the API origin outside the API path (TFE’s /_archivist)', async () => {
    const url = `${BASE}/_archivist/v1/object/log-1`;
    planEndpoint(
      () => 'finished',
      () => url,
    );
    const seen = archivist(() => Buffer.from('\u0002ok\n\u0003'), url);
    expect(await testClient().plans.logs('plan-1').text()).toBe('ok\n');
    expect(seen[0]!.headers.get('authorization')).toBeNull();
  });

  it('surfaces an archivist error as an ApiError with the status', async () => {
    planEndpoint(() => 'finished');
    server.use(http.get(LOG, () => new HttpResponse('object not found\n', { status: 404 })));
    await expect(testClient({ maxRetries: 0 }).plans.logs('plan-1').text()).rejects.toMatchObject({
      status: 404,
    });
  });

  it('ends with the transport’s TimeoutError when the archivist stops sending mid-log', async () => {
    planEndpoint(() => 'running');
    server.use(
      http.get(LOG, () => {
        // Headers and the first line, then silence: the stream is never closed.
        const stalled = new ReadableStream({ start: (c) => c.enqueue(Buffer.from('\u0002line 1\n')) });
        return new HttpResponse(stalled);
      }),
    );
    const lines: string[] = [];
    const err = await (async () => {
      for await (const line of testClient({ timeoutMs: 200, maxRetries: 0 }).plans.logs('plan-1').lines())
        lines.push(line);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toContain(
      'timed out after 200 ms without a byte of the response body',
    );
    expect(lines).toEqual(['line 1']);
  });
});

describe('following a log', () => {
  it('reads offset/limit ranges and stops at the ETX without asking the phase again', async () => {
    const reads = planEndpoint(() => 'running');
    const seen = archivist(() => Buffer.from('\u0002one\ntwo\nthree\n\u0003'));
    const chunks = await collect(testClient().plans.logs('plan-1', { follow: true, chunkBytes: 8, ...fast }));
    expect(chunks.join('')).toBe('one\ntwo\nthree\n');
    expect(seen.map((r) => [r.url.searchParams.get('offset'), r.url.searchParams.get('limit')])).toEqual([
      ['0', '8'],
      ['8', '8'],
    ]);
    expect(seen.every((r) => r.headers.get('authorization') === null)).toBe(true);
    expect(reads.count).toBe(1);
  });

  it('yields new text as the phase writes it, until the log ends', async () => {
    let log = '\u0002Terraform v1.9.4\n';
    let polls = 0;
    planEndpoint(() => 'running');
    archivist(() => {
      // Each read after the first finds the log a line longer, then finished.
      if (++polls === 2) log += 'planning...\n';
      if (polls === 4) log += 'Plan: 1 to add.\n\u0003';
      return Buffer.from(log);
    });
    const chunks = await collect(testClient().plans.logs('plan-1', { follow: true, ...fast }));
    expect(chunks).toEqual(['Terraform v1.9.4\n', 'planning...\n', 'Plan: 1 to add.\n']);
  });

  it('ends a log without markers once the phase is final and a last read finds nothing new', async () => {
    let status = 'running';
    let log = 'a\n';
    const reads = planEndpoint(() => {
      // The phase finishes having written its last line just before the status changed.
      if (reads.count === 2) {
        status = 'finished';
        log += 'b\n';
      }
      return status;
    });
    archivist(() => Buffer.from(log));
    const text = await testClient()
      .plans.logs('plan-1', { follow: true, ...fast })
      .text();
    expect(text).toBe('a\nb\n');
    expect(status).toBe('finished');
  });

  it('returns at once for a phase that never ran (unreachable) with an empty log', async () => {
    planEndpoint(() => 'unreachable');
    const seen = archivist(() => Buffer.alloc(0));
    expect(await collect(testClient().plans.logs('plan-1', { follow: true, ...fast }))).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('waits for the log URL of a phase that has none yet', async () => {
    const reads = planEndpoint(
      () => (reads.count < 3 ? 'pending' : 'finished'),
      () => (reads.count < 3 ? null : LOG),
    );
    archivist(() => Buffer.from('\u0002done\n\u0003'));
    expect(
      await testClient()
        .plans.logs('plan-1', { follow: true, ...fast })
        .text(),
    ).toBe('done\n');
  });

  it('moves to the fresh log URL the phase hands out (signed URLs expire)', async () => {
    const fresh = 'https://archivist.test/v1/object/log-1-renewed';
    const log = '\u0002a\n';
    const reads = planEndpoint(
      () => 'running',
      () => (reads.count === 1 ? LOG : fresh),
    );
    const old = archivist(() => Buffer.from(log));
    const renewed = archivist(() => Buffer.from(`${log}b\n\u0003`), fresh);
    const text = await testClient()
      .plans.logs('plan-1', { follow: true, ...fast })
      .text();
    expect(text).toBe('a\nb\n');
    expect(old.length).toBeGreaterThan(0);
    expect(renewed[0]!.url.searchParams.get('offset')).toBe('3');
  });

  it('decodes a UTF-8 character split between two reads', async () => {
    planEndpoint(() => 'running');
    // "é" is two bytes; the first 3-byte read ends in its middle.
    archivist(() => Buffer.from('\u0002abé\n\u0003'));
    const text = await testClient()
      .plans.logs('plan-1', { follow: true, chunkBytes: 3, ...fast })
      .text();
    expect(text).toBe('abé\n');
  });

  it('stops with an AbortError when the signal fires', async () => {
    planEndpoint(() => 'running');
    archivist(() => Buffer.from('\u0002still going\n'));
    const controller = new AbortController();
    const stream = testClient().plans.logs('plan-1', { follow: true, signal: controller.signal, ...fast });
    const chunks: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) {
          chunks.push(chunk);
          controller.abort();
        }
      })(),
    ).rejects.toBeInstanceOf(AbortError);
    expect(chunks).toEqual(['still going\n']);
  });
});

describe('lines and events', () => {
  it('gives whole lines across chunk boundaries, the last one without a break too', async () => {
    planEndpoint(() => 'running');
    archivist(() => Buffer.from('\u0002first\r\nsecond line\nlast\u0003'));
    const lines: string[] = [];
    for await (const line of testClient()
      .plans.logs('plan-1', { follow: true, chunkBytes: 4, ...fast })
      .lines()) {
      lines.push(line);
    }
    expect(lines).toEqual(['first', 'second line', 'last']);
  });

  it('types each JSON line of the log', async () => {
    planEndpoint(() => 'finished');
    const lines = [
      { '@level': 'info', '@message': 'Terraform 1.9.4', type: 'version', terraform: '1.9.4', ui: '1.2' },
      {
        '@level': 'info',
        '@message': 'Plan: 1 to add',
        type: 'change_summary',
        changes: { add: 1, change: 0, remove: 0, operation: 'plan' },
      },
    ];
    archivist(() => Buffer.from(`\u0002${lines.map((l) => JSON.stringify(l)).join('\n')}\n\u0003`));
    const events: LogEvent[] = [];
    for await (const event of testClient().plans.logs('plan-1').events()) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['version', 'change_summary']);
    expect(events[1]).toMatchObject({ changes: { add: 1, change: 0, remove: 0, operation: 'plan' } });
  });
});

describe('parseLogLine', () => {
  const line = (o: Record<string, unknown>) =>
    JSON.stringify({
      '@level': 'info',
      '@module': 'terraform.ui',
      '@timestamp': '2024-05-01T10:00:00.123456Z',
      ...o,
    });

  it('types a planned_change with camelCase resource fields', () => {
    const event = parseLogLine(
      line({
        '@message': 'null_resource.a: Plan to create',
        type: 'planned_change',
        change: {
          resource: {
            addr: 'null_resource.a',
            module: '',
            resource_type: 'null_resource',
            resource_name: 'a',
          },
          action: 'create',
        },
      }),
    );
    expect(event).toMatchObject({
      type: 'planned_change',
      level: 'info',
      module: 'terraform.ui',
      message: 'null_resource.a: Plan to create',
      change: { action: 'create', resource: { addr: 'null_resource.a', resourceType: 'null_resource' } },
    });
    expect(event.type !== 'text' && event.timestamp?.toISOString()).toBe('2024-05-01T10:00:00.123Z');
  });

  it('types a diagnostic with its severity, summary and detail', () => {
    const event = parseLogLine(
      line({
        '@level': 'error',
        '@message': 'Error: Unsupported argument',
        type: 'diagnostic',
        diagnostic: { severity: 'error', summary: 'Unsupported argument', detail: 'An argument named "x"…' },
      }),
    );
    expect(event).toMatchObject({
      type: 'diagnostic',
      level: 'error',
      diagnostic: { severity: 'error', summary: 'Unsupported argument', detail: 'An argument named "x"…' },
    });
  });

  it('types apply hooks with their elapsed time', () => {
    const event = parseLogLine(
      line({
        '@message': 'null_resource.a: Creation complete after 1s',
        type: 'apply_complete',
        hook: { resource: { addr: 'null_resource.a' }, action: 'create', elapsed_seconds: 1 },
      }),
    );
    expect(event).toMatchObject({ type: 'apply_complete', hook: { action: 'create', elapsedSeconds: 1 } });
  });

  it('keeps output names as written', () => {
    const event = parseLogLine(
      line({
        '@message': 'Outputs: 1',
        type: 'outputs',
        outputs: { instance_ip: { sensitive: false, value: '10.0.0.1' } },
      }),
    );
    expect(event).toMatchObject({
      type: 'outputs',
      outputs: { instance_ip: { sensitive: false, value: '10.0.0.1' } },
    });
  });

  it('gives a JSON line of an unknown type as other, naming its type', () => {
    const event = parseLogLine(line({ '@message': 'Testing...', type: 'test_run' }));
    expect(event).toMatchObject({ type: 'other', messageType: 'test_run', message: 'Testing...' });
    expect(event.type === 'other' && event.raw.type).toBe('test_run');
  });

  it('gives a known type whose payload is missing as other', () => {
    expect(parseLogLine(line({ '@message': 'x', type: 'planned_change' }))).toMatchObject({
      type: 'other',
      messageType: 'planned_change',
    });
  });

  it('passes plain text, broken JSON and JSON that is not a UI line through as text', () => {
    expect(parseLogLine('Terraform v1.9.4')).toEqual({ type: 'text', text: 'Terraform v1.9.4' });
    expect(parseLogLine('{"@message": ')).toEqual({ type: 'text', text: '{"@message": ' });
    expect(parseLogLine('{"a":1}')).toEqual({ type: 'text', text: '{"a":1}' });
  });
});
