import { delay } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  InputValidationError,
  NotFoundError,
  type RequestOptions,
  type Run,
  runOutcome,
  WaitTimeoutError,
} from '../../src/index.js';
import { API, HttpResponse, http, jsonApi, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

interface Step {
  status: string;
  actions?: Partial<Record<'is-cancelable' | 'is-confirmable' | 'is-discardable', boolean>>;
  hasChanges?: boolean;
  planOnly?: boolean;
}

/** Serves the given states in order, one per poll, then repeats the last. */
function script(steps: Array<Step | number>) {
  let i = 0;
  const counter = { polls: 0, headers: [] as Headers[] };
  server.use(
    // What a run waiting for a decision waits on is read once it settles there: none here.
    http.get(`${API}/runs/run-1/task-stages`, () => jsonApi({ data: [] })),
    http.get(`${API}/runs/run-1/policy-checks`, () => jsonApi({ data: [] })),
    http.get(`${API}/runs/run-1`, ({ request }) => {
      counter.polls++;
      counter.headers.push(request.headers);
      const step = steps[Math.min(i++, steps.length - 1)]!;
      if (typeof step === 'number') return new HttpResponse('oops', { status: step });
      return jsonApi({
        data: {
          id: 'run-1',
          type: 'runs',
          attributes: {
            status: step.status,
            'has-changes': step.hasChanges ?? true,
            'plan-only': step.planOnly ?? false,
            actions: {
              'is-cancelable': true,
              'is-confirmable': false,
              'is-discardable': false,
              ...step.actions,
            },
          },
        },
      });
    }),
  );
  return counter;
}

const fast = { pollIntervalMs: 1 };
const tfe = () => testClient({ maxRetries: 0 });

describe('runs.waitFor', () => {
  it('follows a run to applied and reports each status change once', async () => {
    script([
      { status: 'pending' },
      { status: 'pending' },
      { status: 'planning' },
      { status: 'planning' },
      { status: 'applying' },
      { status: 'applied', actions: { 'is-cancelable': false } },
    ]);
    const changes: Array<[string, string | undefined]> = [];
    const { run, outcome } = await tfe().runs.waitFor('run-1', {
      ...fast,
      onChange: (r, prev) => changes.push([r.status, prev?.status]),
    });
    expect(outcome).toBe('applied');
    expect(run.status).toBe('applied');
    expect(changes).toEqual([
      ['pending', undefined],
      ['planning', 'pending'],
      ['applying', 'planning'],
      ['applied', 'applying'],
    ]);
  });

  it('settles when the run waits for confirmation, decided by actions.isConfirmable', async () => {
    script([
      { status: 'planning' },
      { status: 'cost_estimated' },
      { status: 'cost_estimated', actions: { 'is-confirmable': true, 'is-discardable': true } },
    ]);
    const { run, outcome } = await tfe().runs.waitFor('run-1', fast);
    expect(outcome).toBe('needs_confirmation');
    expect(run.actions.isConfirmable).toBe(true);
  });

  it.each([
    [{ status: 'policy_override' }, 'needs_policy_override'],
    [{ status: 'post_plan_awaiting_decision' }, 'awaiting_decision'],
    [{ status: 'planned_and_finished', hasChanges: false }, 'planned_no_changes'],
    [{ status: 'planned_and_finished', hasChanges: true, planOnly: true }, 'planned_with_changes'],
    [{ status: 'planned_and_saved' }, 'saved'],
    [{ status: 'policy_soft_failed' }, 'policy_soft_failed'],
    [{ status: 'discarded' }, 'discarded'],
    [{ status: 'canceled' }, 'canceled'],
    [{ status: 'force_canceled' }, 'canceled'],
    [{ status: 'errored' }, 'errored'],
  ] as Array<[Step, string]>)('settles on %j with outcome %s', async (step, outcome) => {
    script([{ status: 'planning' }, step]);
    await expect(tfe().runs.waitFor('run-1', fast)).resolves.toMatchObject({ outcome });
  });

  it('waits through a state the SDK has never heard of', async () => {
    script([
      { status: 'planning' },
      { status: 'quantum_entangling' },
      { status: 'quantum_entangling' },
      { status: 'applied' },
    ]);
    const seen: string[] = [];
    const { outcome } = await tfe().runs.waitFor('run-1', { ...fast, onChange: (r) => seen.push(r.status) });
    expect(outcome).toBe('applied');
    expect(seen).toEqual(['planning', 'quantum_entangling', 'applied']);
  });

  it('reports an unknown state where nothing more can happen as outcome unknown', async () => {
    const idle = { status: 'archived_forever', actions: { 'is-cancelable': false } };
    const counter = script([{ status: 'planning' }, idle]);
    const { run, outcome } = await tfe().runs.waitFor('run-1', fast);
    expect(outcome).toBe('unknown');
    expect(run.status).toBe('archived_forever');
    expect(counter.polls).toBe(3);
  });

  it('stops at a listed state', async () => {
    script([{ status: 'pending' }, { status: 'planning' }, { status: 'applied' }]);
    const { run, outcome } = await tfe().runs.waitFor('run-1', { ...fast, until: ['planning'] });
    expect(run.status).toBe('planning');
    expect(outcome).toBe('in_progress');
  });

  it('stops when a predicate holds', async () => {
    script([{ status: 'pending' }, { status: 'planning' }, { status: 'applied' }]);
    const { run } = await tfe().runs.waitFor('run-1', { ...fast, until: (r: Run) => r.status !== 'pending' });
    expect(run.status).toBe('planning');
  });

  it('until final keeps waiting past a confirmation pause', async () => {
    script([
      { status: 'planned', actions: { 'is-confirmable': true } },
      { status: 'planned', actions: { 'is-confirmable': true } },
      { status: 'discarded' },
    ]);
    await expect(tfe().runs.waitFor('run-1', { ...fast, until: 'final' })).resolves.toMatchObject({
      outcome: 'discarded',
    });
  });

  it('polls through transient failures', async () => {
    const counter = script([503, { status: 'planning' }, 502, { status: 'applied' }]);
    await expect(tfe().runs.waitFor('run-1', fast)).resolves.toMatchObject({ outcome: 'applied' });
    expect(counter.polls).toBe(4);
  });

  it('gives up after too many failures in a row', async () => {
    script([503]);
    await expect(tfe().runs.waitFor('run-1', { ...fast, maxConsecutiveErrors: 2 })).rejects.toMatchObject({
      status: 503,
    });
  });

  it('does not poll on after a 404', async () => {
    server.use(http.get(`${API}/runs/run-1`, () => jsonApi({ errors: [{ status: '404' }] }, 404)));
    await expect(tfe().runs.waitFor('run-1', fast)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a deadline fires with a WaitTimeoutError carrying the last run', async () => {
    script([{ status: 'planning' }]);
    const started = Date.now();
    const err = await tfe()
      .runs.waitFor('run-1', { pollIntervalMs: 10, timeoutMs: 80 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).run?.status).toBe('planning');
    expect((err as Error).message).toContain('last status: planning');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a deadline before any poll answered names the run it waited for', async () => {
    server.use(http.get(`${API}/runs/run-1`, () => delay('infinite')));
    const err = await tfe()
      .runs.waitFor('run-1', { timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).run).toBeUndefined();
    expect((err as Error).message).toBe('Run run-1 did not settle within 30 ms.');
  });

  it('a deadline past setTimeout’s range (30 days) does not end the wait at once', async () => {
    script([{ status: 'planning' }, { status: 'planning' }, { status: 'planning' }, { status: 'applied' }]);
    const { outcome } = await tfe().runs.waitFor('run-1', { pollIntervalMs: 5, timeoutMs: 30 * 86_400_000 });
    expect(outcome).toBe('applied');
  });

  it('the deadline fires during a long sleep, not after it', async () => {
    script([{ status: 'planning' }]);
    const started = Date.now();
    await expect(
      tfe().runs.waitFor('run-1', { pollIntervalMs: 60_000, timeoutMs: 50 }),
    ).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an abort ends the wait at once with AbortError', async () => {
    script([{ status: 'planning' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await expect(
      tfe().runs.waitFor('run-1', { pollIntervalMs: 60_000, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('runs.waitFor options', () => {
  it("a signal inside requestOptions is refused (the wait's own signal governs each poll), before any poll", async () => {
    const err = await tfe()
      .runs.waitFor('run-1', { requestOptions: { signal: new AbortController().signal } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toBe(
      'runs.waitFor: "requestOptions.signal" pass the signal as waitFor\'s own `signal` option.',
    );
  });

  it('request options spread with an undefined signal are used, the extra header sent on each poll', async () => {
    const counter = script([{ status: 'applied' }]);
    const options: RequestOptions = { signal: undefined, headers: { 'x-trace': 'w' } };
    const { run } = await tfe().runs.waitFor('run-1', { ...fast, requestOptions: options });
    expect(run.status).toBe('applied');
    expect(counter.headers.at(-1)?.get('x-trace')).toBe('w');
  });

  it('a misspelled request option is refused before any poll', async () => {
    const err = await tfe()
      .runs.waitFor('run-1', { requestOptions: { maxRetry: 2 } as never })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as Error).message).toBe('runs.waitFor: unknown option "requestOptions.maxRetry".');
  });
});

describe('runOutcome', () => {
  const base = {
    actions: { isCancelable: false, isConfirmable: false, isDiscardable: false, isForceCancelable: false },
  };
  it('reads confirmation from actions, not from the status name', () => {
    expect(runOutcome({ ...base, status: 'policy_checked' })).toBe('in_progress');
    expect(
      runOutcome({ ...base, status: 'policy_checked', actions: { ...base.actions, isConfirmable: true } }),
    ).toBe('needs_confirmation');
  });
});
