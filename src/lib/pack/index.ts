export { PackError, type PackErrorCode, type PackErrorInit } from './errors.js';
export {
  DEFAULT_IGNORE_PATTERNS,
  DEFAULT_IGNORE_RULES,
  type IgnoreRule,
  isIgnored,
  parseTerraformIgnore,
} from './ignore.js';
export { checkPackOptions, listPackedFiles, type PackOptions, packDirectory } from './pack.js';
