import type { Declared } from './config-scan.js';
import type { PlanDiff } from './records.js';
import type { RunScenario } from './types.js';

export interface DiffInput {
  config: Declared;
  state: { resources: string[]; outputs: string[] };
  isDestroy: boolean;
  refreshOnly: boolean;
  targetAddrs: string[] | null;
  replaceAddrs: string[] | null;
  scenario: RunScenario;
}

const targeted = (addr: string, targets: string[] | null): boolean =>
  targets === null || targets.length === 0 || targets.some((t) => addr === t || addr.startsWith(`${t}[`));

/** What Terraform would plan: the configuration against the fake state, like a real plan. */
export function planDiff(input: DiffInput): PlanDiff {
  const { config, state, scenario } = input;
  const inState = new Set(state.resources);
  const inConfig = new Set(input.isDestroy ? [] : config.resources);
  const hit = (a: string) => targeted(a, input.targetAddrs);
  let add = input.refreshOnly ? [] : [...inConfig].filter((a) => !inState.has(a) && hit(a));
  let destroy = input.refreshOnly ? [] : [...inState].filter((a) => !inConfig.has(a) && hit(a));
  const replace = input.refreshOnly
    ? []
    : (input.replaceAddrs ?? []).filter((a) => inState.has(a) && inConfig.has(a));
  add = [...add, ...replace];
  destroy = [...destroy, ...replace];
  const outputs = input.isDestroy ? [] : config.outputs;
  const outputsChanged =
    !input.refreshOnly &&
    (outputs.length !== state.outputs.length || outputs.some((o) => !state.outputs.includes(o)));
  const kept = state.resources.filter((a) => !destroy.includes(a) || replace.includes(a));
  const nextState = {
    resources: [...new Set([...kept, ...add])].sort(),
    outputs: input.refreshOnly ? state.outputs : [...outputs].sort(),
  };
  const diff: PlanDiff = {
    additions: add.length,
    changes: 0,
    destructions: destroy.length,
    add,
    change: [],
    destroy,
    outputsChanged,
    nextState,
    prior: { resources: [...state.resources], outputs: [...state.outputs] },
  };
  if (scenario.noChanges)
    return {
      ...diff,
      additions: 0,
      destructions: 0,
      add: [],
      destroy: [],
      outputsChanged: false,
      nextState: state,
    };
  if (scenario.resources) {
    diff.additions = scenario.resources.additions ?? diff.additions;
    diff.changes = scenario.resources.changes ?? diff.changes;
    diff.destructions = scenario.resources.destructions ?? diff.destructions;
  }
  return diff;
}

export const hasChanges = (d: PlanDiff): boolean =>
  d.additions + d.changes + d.destructions > 0 || d.outputsChanged;
