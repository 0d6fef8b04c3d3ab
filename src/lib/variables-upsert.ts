import { InputValidationError } from '../core/errors.js';
import type { RequestOptions } from '../core/transport.js';
import type { OpenVariableCategory, Variable } from '../models/variable.js';
import type { Variables, VariableUpsertParams } from '../resources/variables.js';

/** A variable named without its value, so results can be logged whatever they hold. */
export interface VariableRef {
  id: string;
  key: string;
  category: OpenVariableCategory;
}

/** What `variables.upsert` did, by variable. */
export interface VariableUpsertResult {
  created: VariableRef[];
  updated: VariableRef[];
  unchanged: VariableRef[];
}

/**
 * Lists the workspace's variables, then creates and updates to match `desired` (already validated). Built on the
 * public methods only.
 */
export async function upsertVariables(
  variables: Variables,
  workspaceId: string,
  desired: readonly VariableUpsertParams[],
  options?: RequestOptions,
): Promise<VariableUpsertResult> {
  const current = new Map<string, Variable>();
  for await (const v of variables.list(workspaceId, options)) current.set(`${v.category}\u0000${v.key}`, v);

  // Decide everything before writing anything, so a refused entry leaves the workspace untouched.
  const steps = desired.map((want, i) => {
    const existing = current.get(`${want.category}\u0000${want.key}`);
    if (existing?.sensitive && want.sensitive === false) {
      throw new InputValidationError(
        `variables.upsert: "variables.${i}.sensitive" cannot be false: ${want.category} variable ` +
          `${JSON.stringify(want.key)} is sensitive, and the API never makes a sensitive variable visible again ` +
          '(delete it first to replace it).',
        `variables.${i}.sensitive`,
      );
    }
    return { want, existing, changed: existing !== undefined && differs(existing, want) };
  });

  const result: VariableUpsertResult = { created: [], updated: [], unchanged: [] };
  for (const { want, existing, changed } of steps) {
    if (!existing) {
      const created = await variables.create(workspaceId, want, options);
      result.created.push(ref(created));
    } else if (changed) {
      const { key: _key, category: _category, ...attributes } = want;
      await variables.update(workspaceId, existing.id, attributes, options);
      result.updated.push(ref(existing));
    } else {
      result.unchanged.push(ref(existing));
    }
  }
  return result;
}

/** A sensitive variable always differs: its value cannot be read back to compare. */
function differs(existing: Variable, want: VariableUpsertParams): boolean {
  if (existing.sensitive) return true;
  if (existing.value !== want.value) return true;
  if (want.hcl !== undefined && want.hcl !== (existing.hcl ?? false)) return true;
  if (want.sensitive !== undefined && want.sensitive !== (existing.sensitive ?? false)) return true;
  return want.description !== undefined && want.description !== (existing.description ?? '');
}

function ref(v: Variable): VariableRef {
  return { id: v.id, key: v.key, category: v.category };
}
