export {
  ADDRESS_VARIABLES,
  DEFAULT_ADDRESS,
  DEFAULT_BASE_PATH,
  type ResolveAddressOptions,
  type ResolvedAddress,
  resolveAddress,
} from './address.js';
export { TfeClient, type TfeClientOptions } from './client.js';
export {
  AbortError,
  ApiError,
  type ApiErrorObject,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InputValidationError,
  InternalServerError,
  MissingTokenError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  TfeError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedMediaTypeError,
} from './core/errors.js';
export type {
  JsonApiDocument,
  JsonApiResource,
  Pagination,
  Relationship,
  ResourceRef,
} from './core/jsonapi.js';
export type { Logger } from './core/logger.js';
export { type Page, type PageProgress, PagePromise, type PagingSettings } from './core/pagination.js';
export type { BackoffOptions } from './core/retry.js';
export type { RequestOptions } from './core/transport.js';
export {
  FINAL_PHASE_STATUSES,
  type LogChange,
  type LogChangeSummary,
  type LogDiagnostic,
  type LogEvent,
  type LogHook,
  type LogOutputs,
  type LogReadOptions,
  type LogResourceAddr,
  LogStream,
  parseLogLine,
  type TerraformLogLine,
} from './lib/logs.js';
export { FAILED_OUTCOMES, FINAL_OUTCOMES, type RunOutcome, runOutcome } from './lib/outcome.js';
export {
  listPackedFiles,
  PackError,
  type PackErrorCode,
  type PackOptions,
  type PackPlan,
  type PackPlanEntry,
  type PackPlanExclusion,
  packDirectory,
  planPack,
  type SymlinkMode,
} from './lib/pack/index.js';
export {
  DEFAULT_JSON_PLAN_WAIT_MS,
  JsonPlanUnavailableError,
  type JsonPlanUnavailableReason,
  type PlanJsonOutputOptions,
} from './lib/plan-json.js';
export {
  GITHUB_COMMENT_LIMIT,
  type PlanMarkdownOptions,
  planTotals,
  renderPlanMarkdown,
  renderPlanText,
} from './lib/plan-render.js';
export {
  type OutputChangeSummary,
  PLAN_ACTIONS,
  type PlanAction,
  type PlanSummary,
  type ResourceChangeSummary,
  summarizePlan,
} from './lib/plan-summary.js';
export { type AttributeChange, KNOWN_AFTER_APPLY, SENSITIVE } from './lib/plan-values.js';
export { type ReadCurrentOutputsParams, StateVersionProcessingTimeoutError } from './lib/state-outputs.js';
export type { VariableRef, VariableUpsertResult } from './lib/variables-upsert.js';
export {
  type PollInterval,
  type WaitForRunOptions,
  type WaitForRunResult,
  WaitTimeoutError,
  type WaitUntil,
} from './lib/wait.js';
export type {
  ApplyMode,
  ResourceCounts,
  WorkflowEvent,
  WorkflowResult,
  WorkflowRunOptions,
  WorkflowSource,
  WorkflowSummary,
  Workflows,
} from './lib/workflow.js';
export * from './models/index.js';
export type { Applies } from './resources/applies.js';
export type { Comments } from './resources/comments.js';
export {
  type ConfigurationVersionCreateParams,
  ConfigurationVersionError,
  type ConfigurationVersionListParams,
  type ConfigurationVersions,
  ConfigurationVersionTimeoutError,
  type CreateAndUploadParams,
  DEFAULT_UPLOAD_WAIT_MS,
  type UploadOptions,
  type UploadPackOptions,
  type UploadSource,
  type WaitForUploadParams,
} from './resources/configuration-versions.js';
export type { CostEstimates } from './resources/cost-estimates.js';
export type { Plans } from './resources/plans.js';
export type { PolicyCheckListParams, PolicyChecks } from './resources/policy-checks.js';
export type { RunEventParams, RunEvents } from './resources/run-events.js';
export type {
  OrganizationRunListParams,
  RunActionParams,
  RunCreateParams,
  RunListParams,
  Runs,
} from './resources/runs.js';
export type {
  StateVersionOutputListParams,
  StateVersionOutputReadParams,
  StateVersions,
} from './resources/state-versions.js';
export type {
  VariableCreateParams,
  Variables,
  VariableUpdateParams,
  VariableUpsertParams,
} from './resources/variables.js';
export {
  type WorkspaceCreateParams,
  type WorkspaceListParams,
  WorkspaceLockedError,
  type WorkspaceLockParams,
  type WorkspacePagingParams,
  type Workspaces,
  type WorkspaceTagRef,
  type WorkspaceUpdateParams,
} from './resources/workspaces.js';
export { VERSION } from './version.js';
