export { PackError, type PackErrorCode, type PackErrorInit } from './errors.js';
export {
  DEFAULT_IGNORE_PATTERNS,
  DEFAULT_IGNORE_RULES,
  type IgnoreRule,
  type IgnoreRuleSource,
  isIgnored,
  parseTerraformIgnore,
} from './ignore.js';
export type { SymlinkMode } from './links.js';
export { checkPackOptions, listPackedFiles, type PackOptions, packDirectory } from './pack.js';
export { type PackPlan, type PackPlanEntry, type PackPlanExclusion, planPack } from './plan.js';
