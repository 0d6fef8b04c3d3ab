import { createHash } from 'node:crypto';
import type { DeclaredOutput } from './config-scan.js';
import type { RunRecord } from './records.js';

/**
 * The fake's JSON execution plan (Terraform's `terraform show -json` format, json-format.mdx) for a finished plan:
 * built from the same diff as the plan's counts and log, so `resource_changes` agrees with them — additions are
 * creates plus replacements, destructions deletes plus replacements, changes in-place updates. Counts a scenario
 * forces past what the configuration declares get stand-in `terraform_data.scenario_*` resources.
 */
export function buildPlanJson(run: RunRecord, outputs: DeclaredOutput[]): Record<string, unknown> {
  const diff = run.diff;
  if (!diff) throw new Error(`run ${run.id} has no plan`);
  const replaced = diff.add.filter((a) => diff.destroy.includes(a));
  const creates = exactly(
    diff.add.filter((a) => !replaced.includes(a)),
    diff.additions - replaced.length,
    'add',
  );
  const deletes = exactly(
    diff.destroy.filter((a) => !replaced.includes(a)),
    diff.destructions - replaced.length,
    'destroy',
  );
  const updates = exactly(diff.change, diff.changes, 'change');
  const touched = new Set([...creates, ...deletes, ...updates, ...replaced]);
  const unchanged = diff.prior.resources.filter((a) => !touched.has(a));

  const resourceChanges = [
    ...unchanged.map((a) => entry(a, ['no-op'], objectOf(a, 1), objectOf(a, 1))),
    ...creates.map((a) => entry(a, ['create'], null, {}, { id: true })),
    ...updates.map((a) => entry(a, ['update'], objectOf(a, 1), objectOf(a, 2))),
    ...replaced.map((a) => ({
      ...entry(a, ['delete', 'create'], objectOf(a, 1), {}, { id: true }),
      action_reason: 'replace_by_request',
    })),
    ...deletes.map((a) => ({
      ...entry(a, ['delete'], objectOf(a, 1), null),
      ...(run.isDestroy ? {} : { action_reason: 'delete_because_no_resource_config' }),
    })),
  ].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));

  const outputChanges: Record<string, unknown> = {};
  const planned: Record<string, unknown> = {};
  const kept = new Set(diff.nextState.outputs);
  for (const o of outputs) {
    if (!kept.has(o.name)) continue;
    const before = diff.prior.outputs.includes(o.name) ? o.value : null;
    outputChanges[o.name] = {
      actions: [before === null ? 'create' : 'no-op'],
      before,
      after: o.value,
      after_unknown: false,
      before_sensitive: before === null ? false : o.sensitive,
      after_sensitive: o.sensitive,
    };
    planned[o.name] = { sensitive: o.sensitive, value: o.value };
  }
  for (const name of diff.prior.outputs) {
    if (kept.has(name)) continue;
    outputChanges[name] = {
      actions: ['delete'],
      before: null,
      after: null,
      after_unknown: false,
      before_sensitive: false,
      after_sensitive: false,
    };
  }
  return {
    format_version: '1.2',
    terraform_version: run.terraformVersion,
    planned_values: {
      outputs: planned,
      root_module: {
        resources: diff.nextState.resources.map((a) => ({
          ...identity(a),
          schema_version: 0,
          values: objectOf(a, 2),
        })),
      },
    },
    resource_changes: resourceChanges,
    output_changes: outputChanges,
    prior_state: { format_version: '1.0', terraform_version: run.terraformVersion },
    configuration: { root_module: {} },
    applyable: run.hasChanges,
    complete: true,
    errored: false,
    timestamp: run.createdAt.toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** The addresses, cut or padded with stand-ins so there are exactly `count`. */
function exactly(addresses: string[], count: number, kind: string): string[] {
  const n = Math.max(0, count);
  const out = addresses.slice(0, n);
  for (let i = out.length; i < n; i++) out.push(`terraform_data.scenario_${kind}_${i + 1}`);
  return out;
}

function identity(address: string) {
  const dot = address.indexOf('.');
  const type = address.slice(0, dot);
  return {
    address,
    mode: 'managed',
    type,
    name: address.slice(dot + 1),
    provider_name: `registry.terraform.io/hashicorp/${type.split('_')[0] ?? type}`,
  };
}

/** A resource's attributes: a stable id, and a revision that an update bumps. */
function objectOf(address: string, revision: number): Record<string, unknown> {
  const id = createHash('sha256').update(address).digest('hex').slice(0, 16);
  return { id, revision };
}

function entry(
  address: string,
  actions: string[],
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  afterUnknown: Record<string, unknown> = {},
) {
  return {
    ...identity(address),
    change: {
      actions,
      before,
      after,
      after_unknown: afterUnknown,
      before_sensitive: before === null ? false : {},
      after_sensitive: after === null ? false : {},
    },
  };
}
