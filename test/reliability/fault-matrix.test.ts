// The fault matrix: every operation against every way the network or the server can fail, over real
// loopback sockets, through the BUILT package. Each cell is data: what the caller gets, what the server saw.
import { Readable } from 'node:stream';
import {
  AbortError,
  ApiError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  ResponseValidationError,
  type Run,
  TfeClient,
  TfeError,
  TimeoutError,
} from 'tfe-client';
import {
  type FakeTfe,
  type FaultKind,
  type RecordedRequest,
  type StartFakeTfeOptions,
  startFakeTfe,
} from 'tfe-client/testing';
import { afterAll, beforeAll, describe, type ExpectStatic, expect as globalExpect, it } from 'vitest';
import {
  attempts,
  captureLogs,
  closedPortAddress,
  configurationTarball,
  FAST_BACKOFF,
  leaksOf,
  startElsewhere,
  until,
} from './harness.js';

// ---------------------------------------------------------------------------------------------------------
// Operations: what the caller does, what request of it a fault hits, and what the server did about it.

const OPS = [
  'runs.read',
  'runs.create',
  'runs.apply',
  'upload Buffer',
  'upload Buffer, re-PUT refused',
  'upload Readable',
  'runs.waitFor',
] as const;
type OpName = (typeof OPS)[number];

interface CellState {
  workspaceId: string;
  configurationVersionId: string;
  runId: string;
  uploadUrl: string;
  /** Unique per cell: finds the run a `runs.create` made, however many times it was sent. */
  message: string;
}

interface CallContext {
  signal: AbortSignal;
  onChange: (run: Run) => void;
}

interface OpDef {
  /** The operation's own request, which the fault is aimed at and the counts are about. */
  target: { method: string; path: RegExp; surface: 'api' | 'archivist' };
  fake?: StartFakeTfeOptions;
  setup(fake: FakeTfe, setupClient: TfeClient, state: CellState): Promise<void>;
  act(tfe: TfeClient, state: CellState, call: CallContext): Promise<unknown>;
  /** How many times the server carried out the operation's effect (created, confirmed, stored). */
  effects?(fake: FakeTfe, state: CellState): number;
  check?(fake: FakeTfe, state: CellState, result: unknown, expect: ExpectStatic): void;
}

const TARBALL = configurationTarball();
const RUN_PATH = /^\/api\/v2\/runs\/[^/?]+(?:\?|$)/;
const pollFast = { pollIntervalMs: 10, maxConsecutiveErrors: 2 };

async function uploadedVersion(fake: FakeTfe, setupClient: TfeClient, state: CellState) {
  state.workspaceId = fake.core.workspace('demo').id;
  const cv = await setupClient.configurationVersions.createAndUpload(state.workspaceId, TARBALL, {
    pollIntervalMs: 5,
  });
  state.configurationVersionId = cv.id;
}

async function planOnlyRun(fake: FakeTfe, setupClient: TfeClient, state: CellState) {
  await uploadedVersion(fake, setupClient, state);
  const run = await setupClient.runs.create({
    workspaceId: state.workspaceId,
    configurationVersionId: state.configurationVersionId,
    planOnly: true,
  });
  state.runId = run.id;
}

const storedArchives = (fake: FakeTfe, state: CellState) =>
  fake.core.configurationVersion(state.configurationVersionId)?.archive ? 1 : 0;

const uploadOp = (source: () => Buffer | Readable, fake?: StartFakeTfeOptions): OpDef => ({
  target: { method: 'PUT', path: /^\/v1\/object\//, surface: 'archivist' },
  ...(fake && { fake }),
  async setup(fake, setupClient, state) {
    state.workspaceId = fake.core.workspace('demo').id;
    const cv = await setupClient.configurationVersions.create(state.workspaceId, { autoQueueRuns: false });
    state.configurationVersionId = cv.id;
    state.uploadUrl = cv.uploadUrl ?? '';
  },
  act: (tfe, state, { signal }) => tfe.configurationVersions.upload(state.uploadUrl, source(), { signal }),
  effects: storedArchives,
  check(fake, state, _result, expect) {
    expect(fake.core.configurationVersion(state.configurationVersionId)?.archive?.equals(TARBALL)).toBe(true);
  },
});

const OP_DEFS: Record<OpName, OpDef> = {
  'runs.read': {
    target: { method: 'GET', path: RUN_PATH, surface: 'api' },
    setup: planOnlyRun,
    act: (tfe, state, { signal }) => tfe.runs.read(state.runId, {}, { signal }),
    check: (_fake, state, run, expect) => expect((run as Run).id).toBe(state.runId),
  },
  'runs.create': {
    target: { method: 'POST', path: /^\/api\/v2\/runs(?:\?|$)/, surface: 'api' },
    setup: uploadedVersion,
    act: (tfe, state, { signal }) =>
      tfe.runs.create(
        {
          workspaceId: state.workspaceId,
          configurationVersionId: state.configurationVersionId,
          message: state.message,
          planOnly: true,
        },
        { signal },
      ),
    effects: (fake, state) =>
      [...fake.core.store.runs.values()].filter((r) => r.message === state.message).length,
    check: (fake, _state, run, expect) => expect(fake.core.run((run as Run).id)).toBeDefined(),
  },
  'runs.apply': {
    target: { method: 'POST', path: /\/actions\/apply(?:\?|$)/, surface: 'api' },
    async setup(fake, setupClient, state) {
      await uploadedVersion(fake, setupClient, state);
      const run = await setupClient.runs.create({
        workspaceId: state.workspaceId,
        configurationVersionId: state.configurationVersionId,
      });
      state.runId = run.id;
      await until(() => fake.core.run(run.id)?.paused === true);
    },
    act: (tfe, state, { signal }) => tfe.runs.apply(state.runId, {}, { signal }),
    effects: (fake, state) => (fake.core.run(state.runId)?.statusTimestamps['confirmed-at'] ? 1 : 0),
  },
  'upload Buffer': uploadOp(() => TARBALL),
  // Nothing public says a real archivist takes a re-PUT of the same bytes: this one answers 409 to any.
  'upload Buffer, re-PUT refused': uploadOp(() => TARBALL, { archivistRePut: 'conflict' }),
  'upload Readable': uploadOp(() => Readable.from([TARBALL])),
  'runs.waitFor': {
    target: { method: 'GET', path: RUN_PATH, surface: 'api' },
    // Long enough in `planning` for several polls, so faults land mid-wait.
    fake: { stepMsByStatus: { planning: 60 } },
    setup: planOnlyRun,
    act: (tfe, state, { signal, onChange }) =>
      tfe.runs.waitFor(state.runId, { ...pollFast, signal, onChange }),
    check(fake, state, result, expect) {
      const { run } = result as { run: Run };
      expect(run.status).toBe('planned_and_finished');
      expect(fake.core.run(state.runId)?.status).toBe('planned_and_finished');
    },
  },
};

// ---------------------------------------------------------------------------------------------------------
// Faults: what is injected on the operation's request, and how the caller behaves.

type Injected = FaultKind & { times?: number; phase?: 'before' | 'after' };

interface FaultDef {
  inject?(ctx: { token: string; elsewhere: string }): Injected;
  /** Nothing listens where the client connects. */
  refused?: boolean;
  /** Per-attempt deadline of the client (default 5 s: only the hang and slow cells should time out). */
  timeoutMs?: number;
  /** When the caller aborts. */
  abort?: 'before-send' | 'retry-wait' | 'in-flight' | 'mid-body' | 'between-polls';
}

// A proxy or a confused server may echo the Authorization header back: the client must redact it.
const echo = (token: string, status: number): Injected => ({
  kind: 'status',
  status,
  errors: [
    { status: String(status), title: statusTitle(status), detail: `rejected Authorization: Bearer ${token}` },
  ],
});

function statusTitle(status: number): string {
  return { 500: 'internal server error', 502: 'bad gateway', 503: 'service unavailable' }[status] ?? 'error';
}

// The deadline a hang runs into: an ordinary answer on a loaded 2-core machine must beat it (150 ms drew extra
// timeouts of the un-faulted retries at load average 25), and every hang cell waits it out once.
const HANG_MS = 1000;

const FAULTS = {
  '429 with X-RateLimit-Reset, twice': { inject: () => ({ kind: 'ratelimit-reset', reset: 0.25, times: 2 }) },
  '429 with Retry-After, twice': { inject: () => ({ kind: 'retry-after', retryAfter: 1, times: 2 }) },
  '429 with no rate-limit header, twice': {
    inject: () => ({ kind: 'ratelimit-bare', headers: 'none', times: 2 }),
  },
  '429 with malformed rate-limit headers, twice': {
    inject: () => ({ kind: 'ratelimit-bare', headers: 'malformed', times: 2 }),
  },
  '429 storm that never clears': {
    inject: () => ({ kind: 'ratelimit-reset', reset: 0.25, times: Infinity }),
  },
  '500 echoing the token': { inject: ({ token }) => echo(token, 500) },
  '502': { inject: () => ({ kind: 'status', status: 502 }) },
  '503': { inject: () => ({ kind: 'status', status: 503 }) },
  '504': { inject: () => ({ kind: 'status', status: 504 }) },
  '503 after the server acted': { inject: ({ token }) => ({ ...echo(token, 503), phase: 'after' }) },
  'HTML 502 page from a proxy': { inject: () => ({ kind: 'html-502' }) },
  'truncated JSON': { inject: () => ({ kind: 'truncated-json', phase: 'after' }) },
  'empty body with 200': { inject: () => ({ kind: 'empty-200', phase: 'after' }) },
  '200 that is not JSON:API, echoing the token': {
    inject: ({ token }) => ({ kind: 'non-jsonapi-200', body: { ok: true, token }, phase: 'after' }),
  },
  'connection refused': { refused: true },
  'reset mid-response, before the server acted': { inject: () => ({ kind: 'reset' }) },
  'reset mid-response, after the server acted': { inject: () => ({ kind: 'reset', phase: 'after' }) },
  'connection dropped before any answer byte, before the server acted': { inject: () => ({ kind: 'drop' }) },
  'connection dropped before any answer byte, after the server acted': {
    inject: () => ({ kind: 'drop', phase: 'after' }),
  },
  'no answer (timeout), before the server acted': { inject: () => ({ kind: 'hang' }), timeoutMs: HANG_MS },
  'no answer (timeout), after the server acted': {
    inject: () => ({ kind: 'hang', phase: 'after' }),
    timeoutMs: HANG_MS,
  },
  'slow body within the deadline': {
    inject: () => ({ kind: 'slow-body', chunkBytes: 512, intervalMs: 10, phase: 'after' }),
  },
  'slow body past the deadline': {
    // 5 bytes a second: no answer completes within the deadline, however long it is.
    inject: () => ({ kind: 'slow-body', chunkBytes: 1, intervalMs: 200 }),
    timeoutMs: HANG_MS,
  },
  'redirect to another origin': {
    inject: ({ elsewhere }) => ({ kind: 'redirect', location: `${elsewhere}/steal` }),
  },
  'redirect to another path of the same origin': {
    inject: () => ({ kind: 'redirect', status: 308, location: '/api/v2/moved' }),
  },
  'abort before anything is sent': { abort: 'before-send' },
  'abort while waiting to retry a 429': {
    inject: () => ({ kind: 'retry-after', retryAfter: 1, times: Infinity }),
    abort: 'retry-wait',
  },
  'abort while the server holds the request': { inject: () => ({ kind: 'hang' }), abort: 'in-flight' },
  'abort while the body arrives': {
    inject: () => ({ kind: 'slow-body', chunkBytes: 8, intervalMs: 100 }),
    abort: 'mid-body',
  },
  'abort between polls': { abort: 'between-polls' },
} satisfies Record<string, FaultDef>;
type FaultName = keyof typeof FAULTS;

// ---------------------------------------------------------------------------------------------------------
// Expectations: the matrix itself.

const ERRORS = {
  RateLimitError: {
    Class: RateLimitError,
    says: /^429 Too Many Requests on .* \(gave up after \d+ attempts?\)/,
  },
  InternalServerError: { Class: InternalServerError, says: /^50[0-4] [A-Z][a-z]+ .*on (GET|POST|PUT) / },
  ApiError: { Class: ApiError, says: /^30[78] [A-Z][a-z]+ Redirect on (GET|POST|PUT) / },
  // A retried PUT whose first attempt was stored: the message says the upload may have arrived.
  ConflictError: {
    Class: ConflictError,
    // After a retry the message adds what to check: the first attempt may have been stored.
    says: /^409 Conflict on PUT http:\/\/.*\(object already uploaded\)\. An earlier attempt of this upload may have been stored/,
  },
  ResponseValidationError: { Class: ResponseValidationError, says: /not JSON|not a JSON:API document/ },
  // Refused: nothing was sent. Reset: the caller must learn the server may have acted.
  ConnectionError: {
    Class: ConnectionError,
    says: /could not reach the server: .*ECONNREFUSED|lost the connection after the request may have reached the server/,
  },
  TimeoutError: { Class: TimeoutError, says: new RegExp(`timed out after ${HANG_MS} ms`) },
  AbortError: { Class: AbortError, says: /aborted by the caller/ },
} as const;
type ErrorName = keyof typeof ERRORS;

interface Expectation {
  /** `ok`, or the exact error class the caller gets. */
  outcome: 'ok' | ErrorName;
  /** Requests of the operation the server saw: exact, or at least (a wait polls as long as it needs). */
  requests: number | { atLeast: number };
  /** Of those, how many a fault answered or spoiled. Default: as many as were injected and matched. */
  faulted?: number;
  /** Times the server carried out the effect: 0 or 1, never 2. */
  effects?: 0 | 1;
  /** Attempts the client made (from its log), when the server could not see them. */
  clientAttempts?: number;
  /** What the message must say, when more precise than the class's pattern. */
  says?: RegExp;
  /** Why a cell does not apply; the completeness check accepts a reason, not a gap. */
  notApplicable?: string;
}

const ok = (requests: number, faulted: number, effects?: 0 | 1): Expectation => ({
  outcome: 'ok',
  requests,
  faulted,
  ...(effects === undefined ? {} : { effects }),
});
const polled = (faulted: number): Expectation => ({
  outcome: 'ok',
  requests: { atLeast: faulted + 1 },
  faulted,
});
const fails = (outcome: ErrorName, requests: number, faulted: number, effects?: 0 | 1): Expectation => ({
  outcome,
  requests,
  faulted,
  ...(effects === undefined ? {} : { effects }),
});
const refused = (clientAttempts: number): Expectation => ({
  outcome: 'ConnectionError',
  says: /could not reach the server: .*ECONNREFUSED/,
  requests: 0,
  faulted: 0,
  effects: 0,
  clientAttempts,
});

type Row = Partial<Record<OpName, Expectation>>;
const row = (r: {
  read: Expectation;
  create: Expectation;
  apply: Expectation;
  buffer: Expectation;
  /** Differs from `buffer` only where a PUT is sent again after the first was stored. */
  bufferRePutRefused?: Expectation;
  stream: Expectation;
  wait: Expectation;
}): Row => ({
  'runs.read': r.read,
  'runs.create': r.create,
  'runs.apply': r.apply,
  'upload Buffer': r.buffer,
  'upload Buffer, re-PUT refused': r.bufferRePutRefused ?? r.buffer,
  'upload Readable': r.stream,
  'runs.waitFor': r.wait,
});

// The PUT was stored, its answer lost, and the retry refused: given only the URL, the caller gets the 409 saying
// the first attempt may have arrived (createAndUpload, whose fresh version is its own, waits to see: msw tests).
const rePutRefused = fails('ConflictError', 2, 1, 1);

// Any 429 is retried after its wait, whatever the method; a one-shot stream is never sent twice.
const rateLimitedTwice = row({
  read: ok(3, 2),
  create: ok(3, 2, 1),
  apply: ok(3, 2, 1),
  buffer: ok(3, 2, 1),
  stream: fails('RateLimitError', 1, 1, 0),
  wait: polled(2),
});

// A 5xx before the server acted: GET and PUT of bytes are retried; POST and a one-shot stream are not.
const serverErrorBefore = row({
  read: ok(2, 1),
  create: fails('InternalServerError', 1, 1, 0),
  apply: fails('InternalServerError', 1, 1, 0),
  buffer: ok(2, 1, 1),
  stream: fails('InternalServerError', 1, 1, 0),
  wait: polled(1),
});

// A success status with a body that cannot be read: a typed error where a document was needed; a wait
// counts it as one failed poll and polls again.
const unreadableSuccess = row({
  read: fails('ResponseValidationError', 1, 1),
  create: fails('ResponseValidationError', 1, 1, 1),
  apply: ok(1, 1, 1),
  buffer: ok(1, 1, 1),
  stream: ok(1, 1, 1),
  wait: polled(1),
});

// The server may have acted and no answer came: only what is safe to repeat is repeated.
const lostAnswerBefore = (error: ErrorName) => {
  const lost = (effects: 0 | 1): Expectation => ({
    ...fails(error, 1, 1, effects),
    ...(error === 'ConnectionError' && { says: lostAfterSend }),
  });
  return row({
    read: ok(2, 1),
    create: lost(0),
    apply: lost(0),
    buffer: ok(2, 1, 1),
    stream: lost(0),
    wait: polled(1),
  });
};

const lostAfterSend = /lost the connection after the request may have reached the server/;

// A 3xx the operation did not ask to follow: an ApiError saying where it pointed; nothing is sent again.
const notFollowed = (says: RegExp) => {
  const redirected = (effects?: 0): Expectation => ({ ...fails('ApiError', 1, 1, effects), says });
  return row({
    read: redirected(),
    create: redirected(0),
    apply: redirected(0),
    buffer: redirected(0),
    stream: redirected(0),
    wait: redirected(),
  });
};

const aborted = (faulted: 0 | 1) =>
  row({
    read: fails('AbortError', faulted, faulted),
    create: fails('AbortError', faulted, faulted, 0),
    apply: fails('AbortError', faulted, faulted, 0),
    buffer: fails('AbortError', faulted, faulted, 0),
    stream: fails('AbortError', faulted, faulted, 0),
    wait: fails('AbortError', faulted, faulted),
  });

// Partial on purpose: the completeness test below, not the compiler, reports a missing cell.
const MATRIX: Partial<Record<FaultName, Row>> = {
  '429 with X-RateLimit-Reset, twice': rateLimitedTwice,
  '429 with Retry-After, twice': rateLimitedTwice,
  '429 with no rate-limit header, twice': rateLimitedTwice,
  '429 with malformed rate-limit headers, twice': rateLimitedTwice,
  '429 storm that never clears': row({
    read: fails('RateLimitError', 4, 4),
    create: fails('RateLimitError', 4, 4, 0),
    apply: fails('RateLimitError', 4, 4, 0),
    buffer: fails('RateLimitError', 4, 4, 0),
    stream: fails('RateLimitError', 1, 1, 0),
    // Three polls (two failures tolerated), each retried three times.
    wait: fails('RateLimitError', 12, 12),
  }),
  '500 echoing the token': serverErrorBefore,
  '502': serverErrorBefore,
  '503': serverErrorBefore,
  '504': serverErrorBefore,
  'HTML 502 page from a proxy': serverErrorBefore,
  '503 after the server acted': row({
    read: ok(2, 1),
    create: fails('InternalServerError', 1, 1, 1),
    apply: fails('InternalServerError', 1, 1, 1),
    // PUT is retried; the archivist takes a re-PUT of the same bytes, so the archive is stored once.
    buffer: ok(2, 1, 1),
    bufferRePutRefused: rePutRefused,
    stream: fails('InternalServerError', 1, 1, 1),
    wait: polled(1),
  }),
  'truncated JSON': unreadableSuccess,
  'empty body with 200': unreadableSuccess,
  '200 that is not JSON:API, echoing the token': unreadableSuccess,
  // Never sent, so even a POST is retried; the caller's stream was never read, but is not read twice either.
  'connection refused': row({
    read: refused(4),
    create: refused(4),
    apply: refused(4),
    buffer: refused(4),
    stream: refused(1),
    wait: refused(12),
  }),
  'reset mid-response, before the server acted': lostAnswerBefore('ConnectionError'),
  'reset mid-response, after the server acted': row({
    read: ok(2, 1),
    create: {
      ...fails('ConnectionError', 1, 1, 1),
      says: /POST \/api\/v2\/runs lost the connection after the request may have reached the server/,
    },
    // 202 and the upload's 200 have empty bodies: the answer is complete before the connection drops.
    apply: ok(1, 1, 1),
    buffer: ok(1, 1, 1),
    stream: ok(1, 1, 1),
    wait: polled(1),
  }),
  'connection dropped before any answer byte, before the server acted': lostAnswerBefore('ConnectionError'),
  // Unlike a reset, not a byte of the answer arrives: even an empty-bodied 202 or 200 is lost.
  'connection dropped before any answer byte, after the server acted': row({
    read: ok(2, 1),
    create: { ...fails('ConnectionError', 1, 1, 1), says: lostAfterSend },
    apply: { ...fails('ConnectionError', 1, 1, 1), says: lostAfterSend },
    buffer: ok(2, 1, 1),
    bufferRePutRefused: rePutRefused,
    stream: { ...fails('ConnectionError', 1, 1, 1), says: lostAfterSend },
    wait: polled(1),
  }),
  'no answer (timeout), before the server acted': lostAnswerBefore('TimeoutError'),
  'no answer (timeout), after the server acted': row({
    read: ok(2, 1),
    create: fails('TimeoutError', 1, 1, 1),
    apply: fails('TimeoutError', 1, 1, 1),
    buffer: ok(2, 1, 1),
    bufferRePutRefused: rePutRefused,
    stream: fails('TimeoutError', 1, 1, 1),
    wait: polled(1),
  }),
  'slow body within the deadline': row({
    read: ok(1, 1),
    create: ok(1, 1, 1),
    apply: ok(1, 1, 1),
    buffer: ok(1, 1, 1),
    stream: ok(1, 1, 1),
    wait: polled(1),
  }),
  'slow body past the deadline': lostAnswerBefore('TimeoutError'),
  // Never followed: the other origin sees nothing, and the caller learns where it was sent.
  'redirect to another origin': notFollowed(
    /redirected to http:\/\/127\.0\.0\.1:\d+\/steal, which was not followed/,
  ),
  // Not followed either (only a download asks to follow): the fake sees no request for the new path.
  'redirect to another path of the same origin': notFollowed(
    /redirected to \/api\/v2\/moved, which was not followed/,
  ),
  'abort before anything is sent': aborted(0),
  'abort while waiting to retry a 429': {
    ...aborted(1),
    // A one-shot stream is not retried, so there is no wait to abort: the 429 itself is the answer.
    'upload Readable': fails('RateLimitError', 1, 1, 0),
  },
  'abort while the server holds the request': aborted(1),
  'abort while the body arrives': aborted(1),
  'abort between polls': {
    ...Object.fromEntries(
      OPS.map((op) => [
        op,
        { outcome: 'ok', requests: 0, notApplicable: 'only a wait sleeps between requests' },
      ]),
    ),
    'runs.waitFor': fails('AbortError', 1, 0),
  },
};

// ---------------------------------------------------------------------------------------------------------
// Running a cell.

/** Totals over every cell, for the README's Reliability table. */
const figures = {
  cells: 0,
  faultsInjected: 0,
  refusedAttempts: 0,
  aborts: 0,
  requests: 0,
  clientAttempts: 0,
  duplicates: 0,
  leaks: 0,
};

let elsewhere: Awaited<ReturnType<typeof startElsewhere>>;
let closedAddress: string;
beforeAll(async () => {
  elsewhere = await startElsewhere();
  closedAddress = await closedPortAddress();
});
afterAll(async () => {
  await elsewhere.close();
  if (process.env.RELIABILITY_REPORT) console.info(`fault matrix figures ${JSON.stringify(figures)}`);
});

const matches = (target: OpDef['target']) => (r: RecordedRequest) =>
  r.method === target.method && r.surface === target.surface && target.path.test(r.path);

async function runCell(
  opName: OpName,
  faultName: FaultName,
  expected: Expectation,
  expect: ExpectStatic,
): Promise<void> {
  const op = OP_DEFS[opName];
  const fault: FaultDef = FAULTS[faultName];
  const fake = await startFakeTfe({
    stepMs: 3,
    rateLimitPerSecond: 0,
    scenario: { costEstimation: false, policyCheck: false, postPlanTasks: false },
    ...op.fake,
  });
  const setupClient = new TfeClient({ token: fake.token, address: fake.url, env: {}, rateLimit: 1000 });
  const controller = new AbortController();
  const { logger, lines } = captureLogs((line) => {
    if (fault.abort === 'retry-wait' && line.level === 'warn' && /retrying in/.test(line.message)) {
      controller.abort();
    }
  });
  const tfe = new TfeClient({
    token: fake.token,
    address: fault.refused ? closedAddress : fake.url,
    env: {},
    logger,
    backoff: FAST_BACKOFF,
    maxRetries: 3,
    rateLimit: 1000,
    timeoutMs: fault.timeoutMs ?? 5000,
  });
  const events: Run[] = [];
  try {
    const state = { message: `${opName} × ${faultName}` } as CellState;
    await op.setup(fake, setupClient, state);
    if (fault.refused && state.uploadUrl) {
      state.uploadUrl = `${closedAddress}${new URL(state.uploadUrl).pathname}${new URL(state.uploadUrl).search}`;
    }
    const from = fake.core.requests.length;
    const seen = () => fake.core.requests.slice(from).filter(matches(op.target));
    const injected = fault.inject?.({ token: fake.token, elsewhere: elsewhere.url });
    if (injected) {
      const { method, surface, path } = op.target;
      fake.core.injectFault({ ...injected, method, surface, path });
    }

    if (fault.abort === 'before-send') controller.abort();
    const onChange = (run: Run) => {
      events.push(run);
      if (fault.abort === 'between-polls') controller.abort();
    };
    const settled = op.act(tfe, state, { signal: controller.signal, onChange }).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (fault.abort === 'in-flight' || fault.abort === 'mid-body') {
      await until(() => seen().some((r) => r.fault !== undefined));
      // Headers are out at once, the body drips every 100 ms: 30 ms in, the caller is mid-body.
      if (fault.abort === 'mid-body') await new Promise((r) => setTimeout(r, 30));
      controller.abort();
    }
    const outcome = await settled;

    // What the caller got.
    if (expected.outcome === 'ok') {
      if ('error' in outcome) throw outcome.error;
      op.check?.(fake, state, outcome.value, expect);
    } else {
      expect('error' in outcome, 'expected an error').toBe(true);
      const error = (outcome as { error: unknown }).error;
      const { Class, says } = ERRORS[expected.outcome];
      expect(error).toBeInstanceOf(TfeError);
      expect(error).toBeInstanceOf(Class);
      expect((error as Error).name).toBe(expected.outcome);
      expect((error as Error).message).toMatch(expected.says ?? says);
    }

    // What the server saw: nothing but the operation's own requests, each counted.
    const all = fake.core.requests.slice(from);
    const requests = seen();
    expect(all.length - requests.length, 'requests other than the operation’s').toBe(0);
    if (typeof expected.requests === 'number') expect(requests.length).toBe(expected.requests);
    else expect(requests.length).toBeGreaterThanOrEqual(expected.requests.atLeast);
    const faulted = requests.filter((r) => r.fault !== undefined).length;
    if (expected.faulted !== undefined) expect(faulted).toBe(expected.faulted);
    // Every attempt the client logged reached the server, unless nothing was listening; an attempt the caller
    // aborts ends in the AbortError instead of a log line.
    const made = attempts(lines);
    const abortedMidAttempt = fault.abort === 'in-flight' || fault.abort === 'mid-body' ? 1 : 0;
    expect(made).toBe(fault.refused ? expected.clientAttempts : requests.length - abortedMidAttempt);

    // Never done twice: a POST or a one-shot body reaches the handler at most once.
    const phase = injected?.phase ?? 'before';
    const handled = requests.filter((r) => r.fault === undefined || phase === 'after').length;
    const sentOnce = op.target.method === 'POST' || opName === 'upload Readable';
    const effects = op.effects?.(fake, state);
    if (expected.effects !== undefined && op.effects) expect(effects).toBe(expected.effects);
    const duplicates = (sentOnce ? Math.max(0, handled - 1) : 0) + Math.max(0, (effects ?? 0) - 1);
    expect(duplicates).toBe(0);

    // The token went nowhere but the API, and nothing the client emitted holds it.
    expect(fake.core.requests.filter((r) => r.surface === 'archivist' && r.headers.authorization)).toEqual(
      [],
    );
    expect(elsewhere.requests).toEqual([]);
    const leaks = leaksOf(fake.token, ['error' in outcome ? outcome.error : outcome.value, lines, events]);
    expect(leaks).toEqual([]);

    figures.cells++;
    figures.faultsInjected += faulted;
    figures.refusedAttempts += fault.refused ? made : 0;
    figures.aborts += fault.abort && expected.outcome === 'AbortError' ? 1 : 0;
    figures.requests += requests.length;
    figures.clientAttempts += made;
    figures.duplicates += duplicates;
    figures.leaks += leaks.length;
  } finally {
    tfe.close();
    setupClient.close();
    await fake.close();
  }
}

describe('fault matrix', () => {
  for (const faultName of Object.keys(FAULTS) as FaultName[]) {
    describe(faultName, () => {
      for (const opName of OPS) {
        const expected = MATRIX[faultName]?.[opName];
        if (!expected || expected.notApplicable) continue;
        // Each cell has its own fake and clients, so cells run side by side.
        it.concurrent(`${opName}: ${describeExpectation(expected)}`, ({ expect }) =>
          runCell(opName, faultName, expected, expect));
      }
    });
  }

  it('has an expectation for every operation × fault', () => {
    const missing = (Object.keys(FAULTS) as FaultName[]).flatMap((fault) =>
      OPS.filter((op) => MATRIX[fault]?.[op] === undefined).map((op) => `${op} × ${fault}`),
    );
    globalExpect(missing).toEqual([]);
    globalExpect(Object.keys(MATRIX).filter((f) => !(f in FAULTS))).toEqual([]);
  });
});

function describeExpectation(e: Expectation): string {
  const requests = typeof e.requests === 'number' ? `${e.requests}` : `≥${e.requests.atLeast}`;
  const outcome = e.outcome === 'ok' ? 'succeeds' : `throws ${e.outcome}`;
  return `${outcome} after ${requests} request${requests === '1' ? '' : 's'}`;
}
