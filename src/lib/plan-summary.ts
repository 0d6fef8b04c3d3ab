import type { TerraformChange, TerraformPlanJson, TerraformResourceChange } from '../models/plan-json.js';
import { type AttributeChange, attributeChanges, showValue } from './plan-values.js';

/** The groups a plan's resource changes fall in, in the order they are shown. */
export const PLAN_ACTIONS = [
  'create',
  'update',
  'replace',
  'delete',
  'read',
  'import',
  'move',
  'forget',
] as const;

/**
 * What happens to a resource instance: from Terraform's `actions` list (`["delete","create"]` and
 * `["create","delete"]` are replacements), `import` for a no-op with `change.importing`, `move` for a no-op with
 * `previous_address`, `forget` for `["forget"]` (a `removed` block that keeps the object).
 */
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/** One resource instance's change, ready to show. */
export interface ResourceChangeSummary {
  address: string;
  action: PlanAction;
  /** Terraform's own `actions` list, e.g. `["create","delete"]`. */
  actions: string[];
  /** Set for a replacement: which half runs first. */
  replaceOrder?: 'delete_then_create' | 'create_then_delete' | 'create_then_forget';
  /** Where the instance was before a `moved` block (set on moves and on changes of moved instances). */
  previousAddress?: string;
  /** The import id, when the object is imported by this plan. */
  importId?: string;
  /** Set when the object is imported by this plan (a no-op import is grouped under `import`). */
  importing?: boolean;
  /** Terraform's `action_reason` (`replace_because_tainted`, `delete_because_no_resource_config`, …). */
  actionReason?: string;
  /** A deposed object's key: the change is to that object, not the current one. */
  deposed?: string;
  /** Changed attributes, masked, for updates, replacements and drift; empty otherwise. */
  attributes: AttributeChange[];
}

/** One root-module output's change. */
export interface OutputChangeSummary {
  name: string;
  /** `create`, `update`, `delete` (Terraform's only output actions), or `no-op`. */
  action: string;
  before?: string;
  after?: string;
  sensitive: boolean;
}

/** A JSON plan in a reader's terms: what changes, by action, with drift and outputs. */
export interface PlanSummary {
  formatVersion: string;
  terraformVersion: string | undefined;
  /** Resource changes by action; each change is in exactly one group. */
  changes: Record<PlanAction, ResourceChangeSummary[]>;
  /** Size of each group. */
  counts: Record<PlanAction, number>;
  /** Terraform's own sentence: replacements count as one add and one destroy; imports count every imported object. */
  totals: { add: number; change: number; destroy: number; import: number };
  /** Objects changed outside Terraform since the last run (`resource_drift`), with their attributes. */
  drift: ResourceChangeSummary[];
  /** Root-module outputs that change (no-op outputs left out). */
  outputs: OutputChangeSummary[];
  /** Something would change: a resource or an output. */
  hasChanges: boolean;
  /** Terraform says the plan errored (what it planned before failing is still listed). */
  errored: boolean;
}

const key = (a: string[]) => a.join(',');

/** The group of a resource change, or undefined for a plain no-op. */
function classify(rc: TerraformResourceChange): PlanAction | undefined {
  const actions = rc.change.actions;
  switch (key(actions)) {
    case 'no-op':
      if (rc.change.importing) return 'import';
      return rc.previous_address && rc.previous_address !== rc.address ? 'move' : undefined;
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'read':
      return 'read';
    case 'forget':
      return 'forget';
    case 'delete,create':
    case 'create,delete':
    case 'create,forget':
      return 'replace';
  }
  // A combination a newer Terraform may add: judged as the docs advise, by scanning for "delete".
  if (actions.includes('create') && (actions.includes('delete') || actions.includes('forget')))
    return 'replace';
  if (actions.includes('delete')) return 'delete';
  return actions.length && !actions.includes('no-op') ? 'update' : undefined;
}

const REPLACE_ORDER: Record<string, ResourceChangeSummary['replaceOrder']> = {
  'delete,create': 'delete_then_create',
  'create,delete': 'create_then_delete',
  'create,forget': 'create_then_forget',
};

function summarizeResource(rc: TerraformResourceChange, action: PlanAction, withAttributes: boolean) {
  const c = rc.change;
  const out: ResourceChangeSummary = { address: rc.address, action, actions: [...c.actions], attributes: [] };
  const order = REPLACE_ORDER[key(c.actions)];
  if (action === 'replace' && order) out.replaceOrder = order;
  if (rc.previous_address && rc.previous_address !== rc.address) out.previousAddress = rc.previous_address;
  if (c.importing) {
    out.importing = true;
    if (c.importing.id !== undefined) out.importId = c.importing.id;
  }
  if (rc.action_reason) out.actionReason = rc.action_reason;
  if (rc.deposed) out.deposed = rc.deposed;
  if (withAttributes) out.attributes = attributesOf(c);
  return out;
}

function attributesOf(c: TerraformChange): AttributeChange[] {
  return attributeChanges(
    {
      before: c.before,
      after: c.after,
      beforeSensitive: c.before_sensitive,
      afterSensitive: c.after_sensitive,
      afterUnknown: c.after_unknown,
    },
    c.replace_paths ?? [],
  );
}

function emptyGroups<T>(make: () => T): Record<PlanAction, T> {
  return Object.fromEntries(PLAN_ACTIONS.map((a) => [a, make()])) as Record<PlanAction, T>;
}

/**
 * Summarizes a JSON plan (as `plans.jsonOutput` returns it): resource changes grouped by action, drift, and
 * output changes. Sensitive values are masked from `before_sensitive` / `after_sensitive` at any depth, and
 * values known only after apply read "(known after apply)"; no other value of the plan is copied.
 */
export function summarizePlan(plan: TerraformPlanJson): PlanSummary {
  const changes = emptyGroups<ResourceChangeSummary[]>(() => []);
  for (const rc of plan.resource_changes ?? []) {
    const action = classify(rc);
    if (action)
      changes[action].push(summarizeResource(rc, action, action === 'update' || action === 'replace'));
  }
  const drift = (plan.resource_drift ?? []).map((rc) =>
    summarizeResource(rc, classify(rc) ?? 'update', true),
  );
  const outputs: OutputChangeSummary[] = [];
  for (const [name, c] of Object.entries(plan.output_changes ?? {})) {
    const action = key(c.actions);
    if (action === 'no-op' || action === '') continue;
    const sensitive = c.before_sensitive === true || c.after_sensitive === true;
    const o: OutputChangeSummary = { name, action, sensitive };
    if (c.before !== undefined && c.before !== null) o.before = showValue(c.before, c.before_sensitive);
    if ((c.after !== undefined && c.after !== null) || c.after_unknown === true)
      o.after = showValue(c.after, c.after_sensitive, c.after_unknown);
    outputs.push(o);
  }
  const counts = emptyGroups(() => 0);
  for (const a of PLAN_ACTIONS) counts[a] = changes[a].length;
  const imports = Object.values(changes)
    .flat()
    .filter((c) => c.importing).length;
  const replacedAway = changes.replace.filter((c) => c.replaceOrder !== 'create_then_forget').length;
  const totals = {
    add: counts.create + counts.replace,
    change: counts.update,
    destroy: counts.delete + replacedAway,
    import: imports,
  };
  const resourceChanges = PLAN_ACTIONS.some((a) => a !== 'read' && counts[a] > 0);
  return {
    formatVersion: plan.format_version,
    terraformVersion: plan.terraform_version,
    changes,
    counts,
    totals,
    drift,
    outputs,
    hasChanges: resourceChanges || outputs.length > 0,
    errored: plan.errored === true,
  };
}
