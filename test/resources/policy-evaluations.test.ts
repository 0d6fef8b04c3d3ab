import { describe, expect, it } from 'vitest';
import { InputValidationError } from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

describe('policyEvaluations.list', () => {
  it('GETs a task stage’s evaluations and parses the documented list', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/task-stages/ts-rL5ZsuwfjqfPJcdi/policy-evaluations`, async ({ request }) => {
        await record(request);
        return jsonApi(fixture('policy-evaluations/list-policy-evaluations-in-the-task-stage.json'));
      }),
    );
    const page = await testClient().policyEvaluations.list('ts-rL5ZsuwfjqfPJcdi', { pageSize: 50 });
    expect(seen[0]!.url.search).toBe('?page%5Bsize%5D=50');
    expect(page.items[0]).toMatchObject({
      id: 'poleval-8Jj9Hfoz892D9WMX',
      status: 'passed',
      policyKind: 'opa',
      policyToolVersion: '0.44.0',
      resultCount: { advisoryFailed: 0, errored: 0, mandatoryFailed: 0, passed: 1 },
    });
    expect(page.items[0]!.relationships.policyAttachable).toEqual({
      id: 'ts-yxskot8Gz5yHa38W',
      type: 'task-stages',
    });
  });
});

describe('policySetOutcomes.list', () => {
  it('sends each filter as filter[n][status] / filter[n][enforcementLevel], as the docs spell them', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(
        `${API}/policy-evaluations/poleval-8Jj9Hfoz892D9WMX/policy-set-outcomes`,
        async ({ request }) => {
          await record(request);
          return jsonApi(fixture('policy-evaluations/list-policy-outcomes.json'));
        },
      ),
    );
    const page = await testClient().policySetOutcomes.list('poleval-8Jj9Hfoz892D9WMX', {
      filters: [{ status: 'errored' }, { status: 'failed', enforcementLevel: 'mandatory' }],
    });
    expect(seen[0]!.url.search).toBe(
      '?filter%5B0%5D%5Bstatus%5D=errored&filter%5B1%5D%5Bstatus%5D=failed&filter%5B1%5D%5BenforcementLevel%5D=mandatory',
    );
    expect(page.items[0]).toMatchObject({
      policySetName: 'opa-policies-vcs',
      overridable: true,
      error: '',
      outcomes: [
        {
          enforcementLevel: 'advisory',
          policyName: 'policyVCS',
          status: 'failed',
          query: 'data.terraform.main.main',
        },
      ],
      resultCount: { advisoryFailed: 1, mandatoryFailed: 0 },
    });
    expect(page.pagination?.totalCount).toBe(1);
  });

  it('refuses an enforcement level paired with errored (the docs: errored outcomes have none)', async () => {
    await expect(
      testClient().policySetOutcomes.list('poleval-1', {
        filters: [{ status: 'errored', enforcementLevel: 'mandatory' }],
      }),
    ).rejects.toBeInstanceOf(InputValidationError);
  });

  it('refuses a status the docs do not list', async () => {
    await expect(
      testClient().policySetOutcomes.list('poleval-1', { filters: [{ status: 'soft_failed' as never }] }),
    ).rejects.toBeInstanceOf(InputValidationError);
  });
});

describe('policySetOutcomes.read', () => {
  it('GETs one outcome', async () => {
    server.use(
      http.get(`${API}/policy-set-outcomes/psout-cu8E9a97LBepZZXd`, () =>
        jsonApi(fixture('policy-evaluations/show-a-policy-outcome.json')),
      ),
    );
    const o = await testClient().policySetOutcomes.read('psout-cu8E9a97LBepZZXd');
    expect(o.outcomes?.[0]?.policyName).toBe('policyVCS');
    expect(o.relationships.policyEvaluation).toEqual({
      id: 'poleval-8Jj9Hfoz892D9WMX',
      type: 'policy-evaluations',
    });
  });
});
