// plans.jsonOutput / runs.planJsonOutput: the exact requests (msw), the 204 → 307 → store path, and the errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonPlanUnavailableError, PermissionDeniedError, ResponseValidationError } from '../../src/index.js';
import { API, HttpResponse, http, jsonApi, recorder, TOKEN, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
const STORE = 'https://archivist.test';
const PLAN_TEXT = readFileSync(new URL('../fixtures/plan-json/every-action.json', import.meta.url), 'utf8');
const planDoc = (status: string) => ({
  data: { id: 'plan-1', type: 'plans', attributes: { status, 'has-changes': true } },
});
const redirect = () =>
  new HttpResponse(null, { status: 307, headers: { Location: `${STORE}/v1/object/cGxhbg?sig=abc` } });
const stored = () => new HttpResponse(PLAN_TEXT, { headers: { 'Content-Type': 'application/json' } });

describe('plans.jsonOutput', () => {
  it('asks again after 204 (reading the plan status), then follows the 307 without the token', async () => {
    const { seen, record } = recorder();
    let asked = 0;
    server.use(
      http.get(`${API}/plans/plan-1/json-output`, async ({ request }) => {
        await record(request);
        return ++asked === 1 ? new HttpResponse(null, { status: 204 }) : redirect();
      }),
      http.get(`${API}/plans/plan-1`, async ({ request }) => {
        await record(request);
        return jsonApi(planDoc('running'));
      }),
      http.get(`${STORE}/v1/object/cGxhbg`, async ({ request }) => {
        await record(request);
        return stored();
      }),
    );
    const plan = await testClient().plans.jsonOutput('plan-1', { pollIntervalMs: 1 });
    expect(seen.map((s) => `${s.method} ${s.url.origin}${s.url.pathname}${s.url.search}`)).toEqual([
      `GET ${API}/plans/plan-1/json-output`,
      `GET ${API}/plans/plan-1`,
      `GET ${API}/plans/plan-1/json-output`,
      `GET ${STORE}/v1/object/cGxhbg?sig=abc`,
    ]);
    expect(seen[2]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(seen[3]!.headers.get('authorization')).toBeNull();
    // As Terraform wrote it: byte for byte the same document, keys untouched.
    expect(plan).toEqual(JSON.parse(PLAN_TEXT));
    expect(plan.resource_changes?.[1]?.change.before_sensitive).toEqual({ tags: {}, versioning: [{}] });
  });

  it('a 403 says which token may read the JSON plan', async () => {
    server.use(
      http.get(`${API}/plans/plan-1/json-output`, () =>
        jsonApi({ errors: [{ status: '403', title: 'forbidden' }] }, 403),
      ),
    );
    const err = await testClient()
      .plans.jsonOutput('plan-1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.message).toContain('organization tokens cannot read it');
  });

  it('a 422 is JsonPlanUnavailableError carrying the API error', async () => {
    server.use(
      http.get(`${API}/plans/plan-1/json-output`, () =>
        jsonApi({ errors: [{ status: '422', title: 'unprocessable', detail: 'Terraform 0.11' }] }, 422),
      ),
    );
    const err = await testClient()
      .plans.jsonOutput('plan-1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(JsonPlanUnavailableError);
    expect(err).toMatchObject({ reason: 'unsupported', apiError: { status: 422 } });
  });

  it('an answer that is not a JSON plan is a ResponseValidationError without the body', async () => {
    server.use(
      http.get(`${API}/plans/plan-1/json-output`, redirect),
      http.get(`${STORE}/v1/object/cGxhbg`, () =>
        HttpResponse.json({ format_version: '2.0', secret: 'x-1' }),
      ),
    );
    const err = await testClient()
      .plans.jsonOutput('plan-1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toMatch(/format_version/);
    expect(err.body).toBeUndefined();
  });

  it('refuses a misspelled option and a path-changing id before sending', async () => {
    await expect(
      testClient().plans.jsonOutput('plan-1', { waitTimeoutMS: 5 } as object),
    ).rejects.toMatchObject({
      name: 'InputValidationError',
    });
    await expect(testClient().plans.jsonOutput('../runs')).rejects.toMatchObject({ field: 'planId' });
  });
});

describe('runs.planJsonOutput', () => {
  it('reads /runs/:id/plan/json-output and, on 204, the run’s plan status', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/runs/run-1/plan/json-output`, async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 204 });
      }),
      http.get(`${API}/runs/run-1/plan`, async ({ request }) => {
        await record(request);
        return jsonApi(planDoc('canceled'));
      }),
    );
    const err = await testClient()
      .runs.planJsonOutput('run-1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(JsonPlanUnavailableError);
    expect(err).toMatchObject({ reason: 'plan_ended', planStatus: 'canceled' });
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/api/v2/runs/run-1/plan/json-output',
      '/api/v2/runs/run-1/plan',
    ]);
  });
});
