import { z } from 'zod';
import { kebabizeKeys } from '../core/case.js';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import { upsertVariables, type VariableUpsertResult } from '../lib/variables-upsert.js';
import { type Variable, VariableModel } from '../models/variable.js';

// Terraform identifiers: letters, digits, underscores and hyphens, not starting with a digit (or a hyphen).
const TERRAFORM_KEY = /^[\p{L}_][\p{L}\p{N}_-]*$/u;
// A name a shell can export: what the run's environment can actually carry.
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

// The variable attributes every write accepts; the rules the API enforces are checked before sending.
const VariableFields = {
  key: z.string().min(1),
  value: z.string(),
  description: z.string(),
  category: z.enum(['terraform', 'env']),
  hcl: z.boolean(),
  sensitive: z.boolean(),
};

/** Key and `hcl` rules by category; with no category (an update), a key must at least be a Terraform name. */
function checkVariable(
  v: { key?: string | undefined; category?: string | undefined; hcl?: boolean | undefined },
  ctx: z.RefinementCtx,
): void {
  if (v.key !== undefined) {
    if (v.category === 'env' && !ENV_KEY.test(v.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key'],
        message: `must be an environment variable name: letters, digits and underscores, not starting with a digit (got ${JSON.stringify(v.key)})`,
      });
    } else if (v.category !== 'env' && !TERRAFORM_KEY.test(v.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key'],
        message: `must be a Terraform variable name: letters, digits, underscores and hyphens, not starting with a digit (got ${JSON.stringify(v.key)})`,
      });
    }
  }
  if (v.category === 'env' && v.hcl === true) {
    ctx.addIssue({
      code: 'custom',
      path: ['hcl'],
      message: 'must not be true on an env variable: HCL values are for Terraform variables only',
    });
  }
}

const VariableCreateSchema = z
  .strictObject({
    ...VariableFields,
    value: VariableFields.value.optional(),
    description: VariableFields.description.optional(),
    hcl: VariableFields.hcl.optional(),
    sensitive: VariableFields.sensitive.optional(),
  })
  .superRefine(checkVariable);

/**
 * What `variables.create` takes. A `sensitive` value is write-only: it can never be read back.
 * @interface
 */
export type VariableCreateParams = z.input<typeof VariableCreateSchema>;

const VariableUpdateSchema = z.strictObject(VariableFields).partial().superRefine(checkVariable);

/**
 * What `variables.update` takes: only the attributes given change.
 * @interface
 */
export type VariableUpdateParams = z.input<typeof VariableUpdateSchema>;

const VariableUpsertSchema = z
  .strictObject({
    ...VariableFields,
    description: VariableFields.description.optional(),
    hcl: VariableFields.hcl.optional(),
    sensitive: VariableFields.sensitive.optional(),
  })
  .superRefine(checkVariable);

const UpsertSchema = z.strictObject({ variables: z.array(VariableUpsertSchema) }).superRefine((o, ctx) => {
  const seen = new Set<string>();
  o.variables.forEach((v, i) => {
    const id = `${v.category}\u0000${v.key}`;
    if (seen.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variables', i, 'key'],
        message: `repeats the ${v.category} variable ${JSON.stringify(v.key)}: each key may appear once per category`,
      });
    }
    seen.add(id);
  });
});

/**
 * One variable the workspace should hold. `hcl`, `sensitive` and `description` left out keep what the workspace
 * has (and default to false, false and none for a new variable).
 * @interface
 */
export type VariableUpsertParams = z.input<typeof VariableUpsertSchema>;

/** Workspace variables: Terraform and environment variables every run of the workspace gets. */
export class Variables extends APIResource {
  /** `GET /workspaces/:id/vars`. Sensitive variables come back with `value: null`. */
  list(workspaceId: string, options?: RequestOptions): PagePromise<Variable> {
    return this.api.list<Variable>(VariableModel, options, () => ({
      path: path`/workspaces/${['workspaceId', workspaceId]}/vars`,
      query: {},
    }));
  }

  /** `POST /workspaces/:id/vars`. A sensitive value never appears in a thrown error, even if the server echoes it. */
  async create(
    workspaceId: string,
    params: VariableCreateParams,
    options?: RequestOptions,
  ): Promise<Variable> {
    const attributes = validateInput(VariableCreateSchema, params, 'variables.create');
    const body = { data: { type: 'vars', attributes: kebabizeKeys(attributes) } };
    return this.api.resource<Variable>(
      'POST',
      path`/workspaces/${['workspaceId', workspaceId]}/vars`,
      VariableModel,
      {
        body,
        options: guard(options, attributes.value, attributes.sensitive === true),
      },
    );
  }

  /**
   * `PATCH /workspaces/:id/vars/:var_id`. The API cannot make a sensitive variable non-sensitive. Unless
   * `sensitive: false` is given, the value is treated as a secret: the variable may already be sensitive.
   */
  async update(
    workspaceId: string,
    variableId: string,
    params: VariableUpdateParams,
    options?: RequestOptions,
  ): Promise<Variable> {
    const attributes = validateInput(VariableUpdateSchema, params, 'variables.update');
    const at = path`/workspaces/${['workspaceId', workspaceId]}/vars/${['variableId', variableId]}`;
    const body = { data: { type: 'vars', id: variableId, attributes: kebabizeKeys(attributes) } };
    return this.api.resource<Variable>('PATCH', at, VariableModel, {
      body,
      options: guard(options, attributes.value, attributes.sensitive !== false),
    });
  }

  /** `DELETE /workspaces/:id/vars/:var_id`. */
  async delete(workspaceId: string, variableId: string, options?: RequestOptions): Promise<void> {
    const at = path`/workspaces/${['workspaceId', workspaceId]}/vars/${['variableId', variableId]}`;
    return this.api.action(at, undefined, options, 'DELETE');
  }

  /**
   * Makes the workspace hold these variables: creates the missing, updates those that differ (matched by key and
   * category), leaves the rest alone. Sensitive variables already there are always updated, since their value
   * cannot be read to compare. Safe to run again after a failure: it converges.
   */
  async upsert(
    workspaceId: string,
    variables: readonly VariableUpsertParams[],
    options?: RequestOptions,
  ): Promise<VariableUpsertResult> {
    const { variables: wanted } = validateInput(UpsertSchema, { variables }, 'variables.upsert');
    return upsertVariables(this, workspaceId, wanted, options);
  }
}

/** Per-call options that keep a secret value out of any error the call may throw. */
function guard(options: RequestOptions | undefined, value: string | undefined, secret: boolean) {
  if (!secret || !value) return options;
  return { ...options, secrets: [...(options?.secrets ?? []), value] };
}
