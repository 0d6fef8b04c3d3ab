import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type CostEstimate, CostEstimateModel } from '../models/cost-estimate.js';

/** Cost estimates. There is no list: a run's estimate id is its `costEstimate` relationship. */
export class CostEstimates extends APIResource {
  /** `GET /cost-estimates/:id`. Costs are decimal strings, e.g. `"25.488"`. */
  async read(costEstimateId: string, options?: RequestOptions): Promise<CostEstimate> {
    return this.api.resource<CostEstimate>(
      'GET',
      path`/cost-estimates/${['costEstimateId', costEstimateId]}`,
      CostEstimateModel,
      { options },
    );
  }
}
