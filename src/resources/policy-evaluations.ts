import { z } from 'zod';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import {
  type PolicyEvaluation,
  PolicyEvaluationModel,
  type PolicySetOutcome,
  PolicySetOutcomeModel,
} from '../models/policy-evaluation.js';

const PagingSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
});

/**
 * Paging for a task stage's policy evaluations.
 * @interface
 */
export type PolicyEvaluationListParams = z.input<typeof PagingSchema>;

/** OPA and Sentinel policy evaluations of a task stage. */
export class PolicyEvaluations extends APIResource {
  /** `GET /task-stages/:id/policy-evaluations`. */
  list(
    taskStageId: string,
    params: PolicyEvaluationListParams = {},
    options?: RequestOptions,
  ): PagePromise<PolicyEvaluation> {
    return this.api.list<PolicyEvaluation>(PolicyEvaluationModel, options, () => {
      const p = validateInput(PagingSchema, params, 'policyEvaluations.list');
      return {
        path: path`/task-stages/${['taskStageId', taskStageId]}/policy-evaluations`,
        query: { 'page[size]': p.pageSize },
        paging: p,
      };
    });
  }
}

// The docs: status is passed, failed or errored; an enforcement level only pairs with a non-errored status.
const FilterSchema = z
  .strictObject({
    status: z.enum(['passed', 'failed', 'errored']),
    enforcementLevel: z.enum(['advisory', 'mandatory']).optional(),
  })
  .refine((f) => !(f.status === 'errored' && f.enforcementLevel), {
    message: 'an errored outcome has no enforcement level: drop enforcementLevel or pick another status',
    path: ['enforcementLevel'],
  });

const OutcomeListSchema = PagingSchema.extend({ filters: z.array(FilterSchema).optional() });

/**
 * Paging and filters for policy set outcomes. Each filter is one `filter[n]` of the docs; a set matches when
 * at least one of its policies matches any filter, and then all its outcomes are returned.
 * @interface
 */
export type PolicySetOutcomeListParams = z.input<typeof OutcomeListSchema>;

/** The policy set outcomes of a policy evaluation: which policies passed or failed, by set. */
export class PolicySetOutcomes extends APIResource {
  /** `GET /policy-evaluations/:id/policy-set-outcomes`. */
  list(
    policyEvaluationId: string,
    params: PolicySetOutcomeListParams = {},
    options?: RequestOptions,
  ): PagePromise<PolicySetOutcome> {
    return this.api.list<PolicySetOutcome>(PolicySetOutcomeModel, options, () => {
      const p = validateInput(OutcomeListSchema, params, 'policySetOutcomes.list');
      const query: Record<string, string | number | undefined> = { 'page[size]': p.pageSize };
      // The docs spell the key `enforcementLevel` (go-tfe sends `enforcement_level`): the docs are followed.
      p.filters?.forEach((f, n) => {
        query[`filter[${n}][status]`] = f.status;
        query[`filter[${n}][enforcementLevel]`] = f.enforcementLevel;
      });
      return {
        path: path`/policy-evaluations/${['policyEvaluationId', policyEvaluationId]}/policy-set-outcomes`,
        query,
        paging: p,
      };
    });
  }

  /** `GET /policy-set-outcomes/:id`. */
  async read(policySetOutcomeId: string, options?: RequestOptions): Promise<PolicySetOutcome> {
    return this.api.resource<PolicySetOutcome>(
      'GET',
      path`/policy-set-outcomes/${['policySetOutcomeId', policySetOutcomeId]}`,
      PolicySetOutcomeModel,
      { options },
    );
  }
}
