import { z } from 'zod';
import { serializeResource } from '../core/jsonapi.js';
import type { PageProgress, PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { ReadParamsSchema, validateInput } from '../core/validate.js';
import { type PlanJsonOutputOptions, readJsonPlan } from '../lib/plan-json.js';
import { type WaitForRunOptions, type WaitForRunResult, waitForRun } from '../lib/wait.js';
import { type Plan, PlanModel } from '../models/plan.js';
import type { TerraformPlanJson } from '../models/plan-json.js';
import { type Run, type RunInclude, RunModel } from '../models/run.js';
import type { RunEvent } from '../models/run-event.js';
import { type RunEventParams, RunEvents } from './run-events.js';

const addrs = z.array(z.string().min(1));

/** The run attributes `runs.create` sends; `workflows.run` takes the same ones. */
export const RUN_ATTRIBUTE_OPTIONS = {
  message: z.string().optional(),
  isDestroy: z.boolean().optional(),
  refresh: z.boolean().optional(),
  refreshOnly: z.boolean().optional(),
  replaceAddrs: addrs.optional(),
  targetAddrs: addrs.optional(),
  // The docs: one action address per run; an empty list is ignored by the API.
  invokeActionAddrs: addrs.max(1, 'invokeActionAddrs takes one action address').optional(),
  planOnly: z.boolean().optional(),
  autoApply: z.boolean().optional(),
  allowEmptyApply: z.boolean().optional(),
  allowConfigGeneration: z.boolean().optional(),
  terraformVersion: z.string().min(1).optional(),
  savePlan: z.boolean().optional(),
  debuggingMode: z.boolean().optional(),
  variables: z.array(z.strictObject({ key: z.string().min(1), value: z.string() })).optional(),
};

interface RunModes {
  isDestroy?: boolean | undefined;
  targetAddrs?: string[] | undefined;
  invokeActionAddrs?: string[] | undefined;
  refreshOnly?: boolean | undefined;
  planOnly?: boolean | undefined;
  terraformVersion?: string | undefined;
}

/** The combinations the API refuses, checked before anything is sent. */
export function refineRunModes<S extends z.ZodType<RunModes>>(schema: S) {
  return schema
    .refine((o) => !(o.isDestroy && o.refreshOnly), {
      message: 'isDestroy and refreshOnly cannot both be true (the API treats them as exclusive plan modes)',
      path: ['refreshOnly'],
    })
    .refine((o) => o.terraformVersion === undefined || o.planOnly === true, {
      message: 'terraformVersion is only allowed with planOnly: true',
      path: ['terraformVersion'],
    })
    .refine((o) => !o.invokeActionAddrs?.length || (!o.targetAddrs?.length && !o.isDestroy), {
      message:
        'invokeActionAddrs cannot be combined with targetAddrs or isDestroy (the API treats an action-only run as ' +
        'its own mode)',
      path: ['invokeActionAddrs'],
    });
}

const RunCreateSchema = refineRunModes(
  z.strictObject({
    workspaceId: z.string().min(1),
    configurationVersionId: z.string().min(1).optional(),
    ...RUN_ATTRIBUTE_OPTIONS,
  }),
);

/**
 * What `runs.create` takes: the run's attributes in camelCase, and the ids it relates to.
 * @interface
 */
export type RunCreateParams = z.input<typeof RunCreateSchema>;

const RunListSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  status: z.union([z.string(), z.array(z.string())]).optional(),
  operation: z.union([z.string(), z.array(z.string())]).optional(),
  source: z.union([z.string(), z.array(z.string())]).optional(),
  statusGroup: z.enum(['non_final', 'final', 'discardable']).optional(),
  agentPoolNames: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  // A year (2024), or 'year' for the past twelve months.
  timeframe: z.union([z.number().int().min(2000).max(9999), z.literal('year')]).optional(),
  search: z
    .strictObject({
      user: z.string().optional(),
      commit: z.string().optional(),
      basic: z.string().optional(),
    })
    .optional(),
  include: z.array(z.string()).optional(),
  concurrency: z.number().int().min(1).max(30).optional(),
  /** Called as the iteration reaches each page, in order: to follow a long listing. */
  onPage: z
    .custom<(progress: PageProgress<Run>) => void>((v) => typeof v === 'function', 'expected a function')
    .optional(),
});

const OrganizationRunListSchema = RunListSchema.extend({
  workspaceNames: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
});

/**
 * Filters and paging for listing a workspace's runs. Plan-only runs are left out by the API unless `operation`
 * asks for them. When iterating: `concurrency` fetches later pages in parallel (at the run-list rate limit's
 * pace), and `onPage` is called as each page is reached, in order.
 * @interface
 */
export type RunListParams = Omit<z.input<typeof RunListSchema>, 'include'> & { include?: RunInclude[] };

/**
 * The rate-limit class of the run lists: the API holds `GET /workspaces/:id/runs` and
 * `GET /organizations/:name/runs` to 30 requests a minute, beside the general 30 a second.
 */
export const RUN_LIST_RATE_LIMIT_CLASS = 'run-list';

/**
 * Filters and paging for listing an organization's runs: those of {@link RunListParams}, and `workspaceNames`.
 * @interface
 */
export type OrganizationRunListParams = Omit<z.input<typeof OrganizationRunListSchema>, 'include'> & {
  include?: RunInclude[];
};

/** What `runs.apply`, `discard`, `cancel` and `forceCancel` take. */
export interface RunActionParams {
  /** Recorded with the action in the run's history. */
  comment?: string;
}

/** Runs: create, read, list, and the actions that move a run along. */
export class Runs extends APIResource {
  /** `POST /runs`. Creates a run on a workspace, optionally on a given configuration version. */
  async create(params: RunCreateParams, options?: RequestOptions): Promise<Run> {
    const { workspaceId, configurationVersionId, ...attributes } = validateInput(
      RunCreateSchema,
      params,
      'runs.create',
    );
    const body = serializeResource({
      type: 'runs',
      attributes,
      relationships: {
        workspace: { type: 'workspaces', id: workspaceId },
        configurationVersion:
          configurationVersionId === undefined
            ? undefined
            : { type: 'configuration-versions', id: configurationVersionId },
      },
    });
    return this.api.resource<Run>('POST', '/runs', RunModel, { body, options });
  }

  /** `GET /runs/:id`. With `include`, the related plan, apply, etc. are typed on the result. */
  async read(runId: string, params: { include?: RunInclude[] } = {}, options?: RequestOptions): Promise<Run> {
    const { include } = validateInput(ReadParamsSchema, params, 'runs.read');
    return this.api.resource<Run>('GET', path`/runs/${['runId', runId]}`, RunModel, {
      query: { include },
      options,
    });
  }

  /**
   * `GET /runs/:id/plan/json-output`: the run's JSON execution plan, as `plans.jsonOutput` reads it (204 while
   * the plan is unfinished, 307 followed without the token, keys as Terraform writes them).
   */
  async planJsonOutput(runId: string, options?: PlanJsonOutputOptions): Promise<TerraformPlanJson> {
    const at = path`/runs/${['runId', runId]}`;
    return readJsonPlan(
      {
        describe: `runs.planJsonOutput(${runId})`,
        fetch: (o) =>
          this.api.request({
            method: 'GET',
            path: `${at}/plan/json-output`,
            followRedirects: true,
            options: o,
          }),
        planStatus: async (o) =>
          (await this.api.resource<Plan>('GET', `${at}/plan`, PlanModel, { options: o })).status,
      },
      options,
    );
  }

  /**
   * `GET /workspaces/:id/runs`. Await for one page; `for await` for every run. Held to the run-list rate limit
   * (30 requests a minute); pass `{ signal }` as `options` to stop an iteration at any time.
   */
  list(workspaceId: string, params: RunListParams = {}, options?: RequestOptions): PagePromise<Run> {
    return this.api.list<Run>(RunModel, options, () => {
      const p = validateInput(RunListSchema, params, 'runs.list');
      return {
        path: path`/workspaces/${['workspaceId', workspaceId]}/runs`,
        query: listQuery(p),
        paging: p,
        rateLimitClass: RUN_LIST_RATE_LIMIT_CLASS,
      };
    });
  }

  /** `GET /organizations/:name/runs`: runs across an organization's workspaces; the run-list rate limit applies. */
  listForOrganization(
    organization: string,
    params: OrganizationRunListParams = {},
    options?: RequestOptions,
  ): PagePromise<Run> {
    return this.api.list<Run>(RunModel, options, () => {
      const p = validateInput(OrganizationRunListSchema, params, 'runs.listForOrganization');
      return {
        path: path`/organizations/${['organization', organization]}/runs`,
        query: { ...listQuery(p), 'filter[workspace_names]': p.workspaceNames },
        paging: p,
        rateLimitClass: RUN_LIST_RATE_LIMIT_CLASS,
      };
    });
  }

  /** `POST /runs/:id/actions/apply`: confirms a run paused after its plan. 409 when it is not confirmable. */
  apply(runId: string, params?: RunActionParams, options?: RequestOptions): Promise<void> {
    return this.action(runId, 'apply', params, options);
  }

  /** `POST /runs/:id/actions/discard`: skips a run waiting for confirmation or its turn. */
  discard(runId: string, params?: RunActionParams, options?: RequestOptions): Promise<void> {
    return this.action(runId, 'discard', params, options);
  }

  /** `POST /runs/:id/actions/cancel`: interrupts a planning or applying run, like Ctrl-C. */
  cancel(runId: string, params?: RunActionParams, options?: RequestOptions): Promise<void> {
    return this.action(runId, 'cancel', params, options);
  }

  /** `POST /runs/:id/actions/force-cancel`: ends the run at once; only after a cancel and its cool-off. */
  forceCancel(runId: string, params?: RunActionParams, options?: RequestOptions): Promise<void> {
    return this.action(runId, 'force-cancel', params, options);
  }

  /** `POST /runs/:id/actions/force-execute`: discards the runs ahead of a pending run. Takes no body. */
  async forceExecute(runId: string, options?: RequestOptions): Promise<void> {
    return this.api.action(path`/runs/${['runId', runId]}/actions/force-execute`, undefined, options);
  }

  /** `GET /runs/:id/run-events`: the run's history (the same as `tfe.runEvents.list`). */
  events(runId: string, params?: RunEventParams, options?: RequestOptions): PagePromise<RunEvent> {
    return new RunEvents(this.api).list(runId, params, options);
  }

  /**
   * Polls the run until it settles (a final state, or waiting for a person), a given state, or a predicate;
   * returns the run and an outcome decided from its `actions` and `has-changes`.
   */
  waitFor(runId: string, options?: WaitForRunOptions): Promise<WaitForRunResult> {
    return waitForRun(this, runId, options);
  }

  private async action(
    runId: string,
    name: string,
    params: RunActionParams | undefined,
    options?: RequestOptions,
  ) {
    const { comment } = validateInput(ActionSchema, params, `runs.${name}`);
    const body = comment === undefined ? undefined : { comment };
    return this.api.action(path`/runs/${['runId', runId]}/actions/${name}`, body, options);
  }
}

const ActionSchema = z.strictObject({ comment: z.string().optional() });

function listQuery(p: z.output<typeof RunListSchema>) {
  return {
    'page[size]': p.pageSize,
    'filter[status]': p.status,
    'filter[operation]': p.operation,
    'filter[source]': p.source,
    'filter[status_group]': p.statusGroup,
    'filter[agent_pool_names]': p.agentPoolNames,
    'filter[timeframe]': p.timeframe,
    'search[user]': p.search?.user,
    'search[commit]': p.search?.commit,
    'search[basic]': p.search?.basic,
    include: p.include,
  };
}
