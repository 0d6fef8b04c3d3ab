import { displayPath } from './names.js';
import { checkPackOptions, entriesOf, type PackOptions } from './pack.js';
import type { WalkExclusion } from './walk.js';

/** One entry `packDirectory` would write. */
export interface PackPlanEntry {
  /**
   * As in the archive: relative, `/`-separated, directories ending in `/`; a byte that is not valid UTF-8
   * shows as `\xNN` (the archive holds the byte itself).
   */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Bytes of content, for files; 0 otherwise. */
  size: number;
  /** For a symlink kept as a link (its target is inside the directory): the target as stored. */
  linkTarget?: string;
  /** For a copy of what an outside symlink points to: the link's target as written. */
  dereferenced?: string;
}

/** Why a path is left out of the archive. */
export interface PackPlanExclusion {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  /**
   * `default`: go-slug's built-in rules (`.git/`, `.terraform/` except `.terraform/modules/`); `.terraformignore`
   * or `ignoreRules`: a rule from there; `file-type`: a socket, FIFO or device, which no archive holds.
   */
  reason: 'default' | '.terraformignore' | 'ignoreRules' | 'file-type';
  /** The rule that decided, as written (without a leading `!`, which never excludes). */
  rule?: string;
  /** The rule's line in `.terraformignore` (1-based), or its position in `ignoreRules`. */
  line?: number;
  /** A directory left out with everything below it, unwalked: no later `!` rule could bring anything back. */
  wholeDirectory: boolean;
}

/** What a pack of a directory would hold and leave out, without reading a file's content. */
export interface PackPlan {
  /** In the archive's order (sorted). */
  entries: PackPlanEntry[];
  /** In walk order. A directory whose own entry is left out while its contents are walked appears once too. */
  excluded: PackPlanExclusion[];
  /** Bytes of file content the archive would hold, before compression. */
  totalSize: number;
}

function exclusionOf(exclusion: WalkExclusion): PackPlanExclusion {
  const { rule } = exclusion;
  return {
    path: exclusion.name,
    type: exclusion.type,
    reason: rule?.source ?? 'file-type',
    ...(rule && { rule: rule.pattern, line: rule.line }),
    wholeDirectory: exclusion.whole,
  };
}

/**
 * Walks a directory as {@link packDirectory} would, with the same rules and symlink handling (and the same
 * errors), and reports each entry it would write with its size, and each path it would leave out with the rule
 * that did. Reads no file's content and creates nothing: the dry run of an upload.
 */
export async function planPack(dir: string, options: PackOptions = {}): Promise<PackPlan> {
  checkPackOptions(options);
  const plan: PackPlan = { entries: [], excluded: [], totalSize: 0 };
  const entries = entriesOf(dir, options, (exclusion) => plan.excluded.push(exclusionOf(exclusion)));
  for await (const entry of entries) {
    const item: PackPlanEntry = {
      path: displayPath(entry.rawName ?? entry.name),
      type: entry.type,
      size: entry.size,
    };
    if (entry.linkTarget !== undefined) item.linkTarget = displayPath(entry.linkTarget);
    if (entry.dereferenced !== undefined) item.dereferenced = entry.dereferenced;
    plan.entries.push(item);
    plan.totalSize += entry.size;
  }
  return plan;
}
