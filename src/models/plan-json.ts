import { z } from 'zod';

// Terraform's JSON plan (`terraform show -json`), keys exactly as Terraform writes them: tools such as OPA,
// conftest and cost estimators read this document as-is, and resource attribute names are never renamed.
// Loose objects throughout: Terraform adds properties in minor format versions and asks readers to ignore them.

/** A value, `before`/`after`, or a sensitivity / unknown marker tree: any JSON. */
const json = z.unknown();

/** The change representation of one resource instance or output (`change` in the JSON plan). */
export const TerraformChangeSchema = z.looseObject({
  /** `["create"]`, `["delete","create"]`, `["forget"]`, …; read as a list, a new combination is kept. */
  actions: z.array(z.string()),
  before: json.optional(),
  after: json.optional(),
  /** Same shape as `after`, `true` at each leaf only known after apply (or `true` for the whole value). */
  after_unknown: json.optional(),
  /** Same shape as `before` / `after`, `true` at each sensitive leaf (or `true` for the whole value). */
  before_sensitive: json.optional(),
  after_sensitive: json.optional(),
  /** Paths into the value that forced a replacement. */
  replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  /** Present when the object is imported by this change. */
  importing: z.looseObject({ id: z.string().optional() }).nullable().optional(),
  generated_config: z.string().optional(),
});

/** One entry of `resource_changes` or `resource_drift`. */
export const TerraformResourceChangeSchema = z.looseObject({
  address: z.string(),
  previous_address: z.string().optional(),
  module_address: z.string().optional(),
  mode: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional(),
  index: json.optional(),
  provider_name: z.string().optional(),
  deposed: z.string().optional(),
  change: TerraformChangeSchema,
  action_reason: z.string().optional(),
});

/** A JSON plan: what `plans.jsonOutput` and `runs.planJsonOutput` return, keys as Terraform writes them. */
export const TerraformPlanJsonSchema = z.looseObject({
  /** `"1.0"`, `"1.2"`, …: a newer minor version is read; another major version is refused. */
  format_version: z.string().refine((v) => /^[01]\./.test(v), {
    message:
      'format_version has a major version this SDK does not read (Terraform promises compatibility within a major version)',
  }),
  terraform_version: z.string().optional(),
  applyable: z.boolean().optional(),
  complete: z.boolean().optional(),
  errored: z.boolean().optional(),
  variables: z.record(z.string(), json).optional(),
  planned_values: json.optional(),
  resource_changes: z.array(TerraformResourceChangeSchema).optional(),
  resource_drift: z.array(TerraformResourceChangeSchema).optional(),
  output_changes: z.record(z.string(), TerraformChangeSchema).optional(),
  prior_state: json.optional(),
  configuration: json.optional(),
  relevant_attributes: json.optional(),
  checks: json.optional(),
  timestamp: z.string().optional(),
});

/** The change of one object or output, as Terraform writes it. */
export type TerraformChange = z.infer<typeof TerraformChangeSchema>;
/** One entry of `resource_changes` / `resource_drift`, as Terraform writes it. */
export type TerraformResourceChange = z.infer<typeof TerraformResourceChangeSchema>;
/** Terraform's JSON execution plan (`terraform show -json`), keys as Terraform writes them; unknown keys kept. */
export type TerraformPlanJson = z.infer<typeof TerraformPlanJsonSchema>;
