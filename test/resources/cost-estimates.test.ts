import { describe, expect, it } from 'vitest';
import { CostEstimateStatus, type Run } from '../../src/index.js';
import { API, fixture, http, jsonApi, recorder, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();

// The docs show this endpoint's `data` as a one-element array, a doc bug: the API sends the object.
const documented = () =>
  fixture<{ data: Array<Record<string, unknown>> }>('cost-estimates/show-a-cost-estimate.json').data[0]!;

describe('costEstimates.read', () => {
  it('GETs the cost estimate and parses the documented one, costs as decimal strings', async () => {
    const { seen, record } = recorder();
    server.use(
      http.get(`${API}/cost-estimates/ce-BPvFFrYCqRV6qVBK`, async ({ request }) => {
        await record(request);
        return jsonApi({ data: documented() });
      }),
    );
    const ce = await testClient().costEstimates.read('ce-BPvFFrYCqRV6qVBK');
    expect(seen[0]!.method).toBe('GET');
    expect(ce).toMatchObject({
      id: 'ce-BPvFFrYCqRV6qVBK',
      status: CostEstimateStatus.Finished,
      errorMessage: null,
      resourcesCount: 4,
      matchedResourcesCount: 3,
      unmatchedResourcesCount: 1,
      priorMonthlyCost: '0.0',
      proposedMonthlyCost: '25.488',
      deltaMonthlyCost: '25.488',
    });
    expect(ce.statusTimestamps?.finishedAt).toEqual(new Date('2017-11-29T20:02:20+00:00'));
  });

  it('keeps the per-resource details as written', async () => {
    server.use(
      http.get(`${API}/cost-estimates/ce-1`, () =>
        jsonApi({
          data: {
            ...documented(),
            attributes: {
              status: 'finished',
              resources: { matched: [{ address: 'aws_instance.web-1', 'hourly-cost': '0.01' }] },
            },
          },
        }),
      ),
    );
    const ce = await testClient().costEstimates.read('ce-1');
    expect(ce.resources).toEqual({ matched: [{ address: 'aws_instance.web-1', 'hourly-cost': '0.01' }] });
  });

  it('is what a run’s include: ["cost_estimate"] resolves to', async () => {
    server.use(
      http.get(`${API}/runs/run-1`, () =>
        jsonApi({
          data: {
            id: 'run-1',
            type: 'runs',
            attributes: { status: 'cost_estimated' },
            relationships: {
              'cost-estimate': { data: { id: 'ce-BPvFFrYCqRV6qVBK', type: 'cost-estimates' } },
            },
          },
          included: [documented()],
        }),
      ),
    );
    const run: Run = await testClient().runs.read('run-1', { include: ['cost_estimate'] });
    expect(run.costEstimate).toMatchObject({ status: 'finished', deltaMonthlyCost: '25.488' });
  });
});
