import type { PlanDiff } from './records.js';
import type { RunScenario } from './types.js';

export interface Declared {
  resources: string[];
  outputs: string[];
}

const RESOURCE = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/gm;
const OUTPUT = /^\s*output\s+"([^"]+)"/gm;

/** Resource addresses and outputs declared by the `.tf` files of one directory of the upload. */
export function declared(files: Map<string, Buffer> | null, workingDirectory: string | null): Declared {
  const dir = (workingDirectory ?? '').replace(/^\.?\/+|\/+$/g, '');
  const resources = new Set<string>();
  const outputs = new Set<string>();
  for (const [path, content] of files ?? []) {
    const slash = path.lastIndexOf('/');
    if (!path.endsWith('.tf') || (slash === -1 ? '' : path.slice(0, slash)) !== dir) continue;
    const text = content.toString('utf8');
    for (const m of text.matchAll(RESOURCE))
      resources.add(`${m[1] === 'data' ? 'data.' : ''}${m[2]}.${m[3]}`);
    for (const m of text.matchAll(OUTPUT)) if (m[1]) outputs.add(m[1]);
  }
  return { resources: [...resources].filter((a) => !a.startsWith('data.')), outputs: [...outputs] };
}

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
