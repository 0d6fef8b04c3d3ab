/** tfe-client/testing: an in-memory Terraform Cloud/Enterprise for demos, end-to-end tests and users' tests. */
export { FakeTfeCore, type FakeTfeStats } from './core.js';
export type {
  ApplyRecord,
  ConfigurationVersionRecord,
  PlanRecord,
  RunRecord,
  UserRecord,
  WorkspaceLock,
  WorkspaceRecord,
} from './records.js';
export { type FakeTfe, type StartFakeTfeOptions, startFakeTfe } from './server.js';
export type { WorkspaceInput } from './store.js';
export type {
  FakeRequest,
  FakeResponse,
  FakeTfeCoreOptions,
  FaultKind,
  FaultSpec,
  JsonApiError,
  RecordedRequest,
  RunScenario,
  Surface,
  TransportBehaviour,
} from './types.js';
