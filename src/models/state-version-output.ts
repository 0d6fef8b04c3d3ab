import { z } from 'zod';
import { defineModel, type Model } from './model.js';

/** A state version output's attributes in camelCase (zod, loose); the output's own `type` is `valueType`. */
export const StateVersionOutputAttributesSchema = z
  .looseObject({
    name: z.string(),
    sensitive: z.boolean().default(false),
    /** The value's JSON type as Terraform reports it: `string`, `array`, `object`, … */
    type: z.string().nullable().optional(),
    /** The output's value, keys as Terraform wrote them. `undefined` when masked (see `sensitive`). */
    value: z.unknown().optional(),
    /** Terraform's type constraint, e.g. `["tuple", ["string", "string"]]`; not sent by every version. */
    detailedType: z.unknown().optional(),
  })
  // Every model's `type` is its JSON:API type, so the attribute `type` is kept as `valueType`.
  .transform(({ type, ...rest }) => ({ ...rest, valueType: type }));

// Values are user data: their keys stay as written. The docs spell the type both `detailed-type` and `detailed_type`.
/** How a `state-version-outputs` resource decodes (its `value` kept verbatim). */
export const StateVersionOutputModel = defineModel(
  'state-version-outputs',
  StateVersionOutputAttributesSchema,
  new Set(['value', 'detailed-type', 'detailed_type']),
);
/** A state version output's attributes: name, sensitive, value and `valueType`. */
export type StateVersionOutputAttributes = z.infer<typeof StateVersionOutputAttributesSchema>;

/**
 * One output of a state version: `name`, `value`, `valueType` (the API's `type`: `string`, `array`, …),
 * `detailedType` and `sensitive`. A sensitive one has `value: undefined` unless it was asked for explicitly.
 */
export type StateVersionOutput = Model<StateVersionOutputAttributes>;
