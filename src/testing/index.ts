/**
 * tfe-client/testing: an in-memory Terraform Cloud/Enterprise for demos, end-to-end tests and users' tests.
 *
 * ```ts
 * const fake = await startFakeTfe({ stepMs: 10 });
 * const tfe = new TfeClient({ address: fake.url, token: fake.token });
 * fake.core.nextRun({ errorDuring: 'apply' });        // scenario for the next run
 * fake.core.injectFault({ path: /\/runs\//, kind: 'retry-after', retryAfter: 1 });
 * await fake.close();
 * ```
 */
export { runFakeServer } from './cli.js';
export { FakeTfeCore, type FakeTfeStats } from './core.js';
export type {
  ApplyRecord,
  CommentRecord,
  ConfigurationVersionRecord,
  PlanRecord,
  RunEventRecord,
  RunRecord,
  Stage,
  StageName,
  StateVersionOutputRecord,
  StateVersionRecord,
  Step,
  UserRecord,
  VariableRecord,
  WorkspaceLock,
  WorkspaceRecord,
} from './records.js';
export { STAGE_ORDER } from './records.js';
export { type FakeTfe, type StartFakeTfeOptions, startFakeTfe } from './server.js';
export type { WorkspaceInput } from './store.js';
export type {
  ArchivistRePut,
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
