import { z } from 'zod';
import { defineModel, type Model } from './model.js';
import type { Workspace } from './workspace.js';

/** Where a workspace variable goes: a Terraform input variable or an environment variable of the run. */
export const VariableCategory = {
  Terraform: 'terraform',
  Env: 'env',
} as const;
export type VariableCategory = (typeof VariableCategory)[keyof typeof VariableCategory];
/** A category as read back: the API also knows `policy-set` (policy set parameters) and may add more. */
export type OpenVariableCategory = VariableCategory | (string & {});

/** A workspace variable's attributes in camelCase (zod, loose). */
export const VariableAttributesSchema = z.looseObject({
  key: z.string(),
  /** The value; always `null` for a sensitive variable, which is write-only. */
  value: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  category: z.string() as unknown as z.ZodType<OpenVariableCategory>,
  /** The value is an HCL expression, not a string (Terraform variables only). */
  hcl: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  /** Changes with every write: tells whether a variable changed since it was read. */
  versionId: z.string().nullable().optional(),
});

/** How a `vars` resource decodes. */
export const VariableModel = defineModel('vars', VariableAttributesSchema);
/** A workspace variable's attributes: key, value (null when sensitive), category, hcl, sensitive. */
export type VariableAttributes = z.infer<typeof VariableAttributesSchema>;

/** A workspace variable. Its workspace is the `configurable` relationship. */
export type Variable = Model<VariableAttributes, 'configurable', { configurable: Workspace }>;
