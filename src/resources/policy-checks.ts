import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { z } from 'zod';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { ReadParamsSchema, validateInput } from '../core/validate.js';
import { type PolicyCheck, type PolicyCheckInclude, PolicyCheckModel } from '../models/policy-check.js';

const ListSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  include: z.array(z.string()).optional(),
});

/**
 * Paging for a run's policy checks; with `include`, the run (and its workspace) are typed on each check.
 * @interface
 */
export type PolicyCheckListParams = Omit<z.input<typeof ListSchema>, 'include'> & {
  include?: PolicyCheckInclude[];
};

/**
 * Sentinel policy checks of a run. A run in `policy_override` (outcome `needs_policy_override`) waits for a
 * person: list its checks, and `override` each `soft_failed` one whose `actions.isOverridable` is true.
 */
export class PolicyChecks extends APIResource {
  /** `GET /runs/:id/policy-checks`. */
  list(
    runId: string,
    params: PolicyCheckListParams = {},
    options?: RequestOptions,
  ): PagePromise<PolicyCheck> {
    return this.api.list<PolicyCheck>(PolicyCheckModel, options, () => {
      const p = validateInput(ListSchema, params, 'policyChecks.list');
      return {
        path: path`/runs/${['runId', runId]}/policy-checks`,
        query: { 'page[size]': p.pageSize, include: p.include },
        paging: p,
      };
    });
  }

  /** `GET /policy-checks/:id`. */
  async read(
    policyCheckId: string,
    params: { include?: PolicyCheckInclude[] } = {},
    options?: RequestOptions,
  ): Promise<PolicyCheck> {
    const { include } = validateInput(ReadParamsSchema, params, 'policyChecks.read');
    return this.api.resource<PolicyCheck>(
      'GET',
      path`/policy-checks/${['policyCheckId', policyCheckId]}`,
      PolicyCheckModel,
      { query: { include }, options },
    );
  }

  /**
   * `GET /policy-checks/:id/output`: the Sentinel report as plain text. A redirect to the stored output is
   * followed, without the token off the API. The report is written once the check leaves `pending`/`queued`.
   */
  async output(policyCheckId: string, options?: RequestOptions): Promise<string> {
    const res = await this.api.request<Readable>({
      method: 'GET',
      path: path`/policy-checks/${['policyCheckId', policyCheckId]}/output`,
      responseType: 'stream',
      followRedirects: true,
      options,
    });
    // Small enough to hold whole; a cut-off, stalled or aborted body rejects with the SDK's own error.
    return text(res.data);
  }

  /**
   * `POST /policy-checks/:id/actions/override`: lets a run past a soft-mandatory failure. Needs the
   * `can-override` permission; the run then continues (to confirmation, or applying with auto-apply).
   */
  async override(policyCheckId: string, options?: RequestOptions): Promise<PolicyCheck> {
    return this.api.resource<PolicyCheck>(
      'POST',
      path`/policy-checks/${['policyCheckId', policyCheckId]}/actions/override`,
      PolicyCheckModel,
      { options },
    );
  }
}
