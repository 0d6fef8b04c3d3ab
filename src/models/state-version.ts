import { z } from 'zod';
import { defineModel, type Model, optionalTimestamp } from './model.js';
import type { Run } from './run.js';
import type { StateVersionOutput } from './state-version-output.js';
import type { User } from './user.js';
import type { Workspace } from './workspace.js';

/** State version states. Open: the API may add more. */
export const StateVersionStatus = {
  Pending: 'pending',
  Finalized: 'finalized',
  Discarded: 'discarded',
  BackingDataSoftDeleted: 'backing_data_soft_deleted',
  BackingDataPermanentlyDeleted: 'backing_data_permanently_deleted',
} as const;
/** A state version state this SDK knows (see the const of the same name). */
export type StateVersionStatus = (typeof StateVersionStatus)[keyof typeof StateVersionStatus];
/** A state version state as read: a known one, or one the API added later. */
export type OpenStateVersionStatus = StateVersionStatus | (string & {});

const url = z.string().nullable().optional();

/** A state version's attributes in camelCase (zod, loose). */
export const StateVersionAttributesSchema = z.looseObject({
  status: (z.string() as unknown as z.ZodType<OpenStateVersionStatus>).optional(),
  serial: z.number().nullable().optional(),
  /** The state format's version (4 today), not the Terraform version. */
  stateVersion: z.number().nullable().optional(),
  terraformVersion: z.string().nullable().optional(),
  /**
   * Whether the API has finished extracting outputs, resources, modules and providers from this state. Until it
   * is true those may be missing or empty without being so. Older servers omit it: nothing is processed later.
   */
  resourcesProcessed: z.boolean().optional(),
  intermediate: z.boolean().optional(),
  size: z.number().nullable().optional(),
  createdAt: optionalTimestamp,
  hostedStateDownloadUrl: url,
  hostedJsonStateDownloadUrl: url,
  sanitizedStateDownloadUrl: url,
  hostedStateUploadUrl: url,
  hostedJsonStateUploadUrl: url,
  vcsCommitSha: z.string().nullable().optional(),
  vcsCommitUrl: z.string().nullable().optional(),
  billableRumCount: z.number().nullable().optional(),
  /** Resource counts by module, then by resource type. */
  modules: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Resource counts by provider address, then by resource type. */
  providers: z.record(z.string(), z.unknown()).nullable().optional(),
  resources: z.array(z.record(z.string(), z.unknown())).nullable().optional(),
});

// Module names, provider addresses and resource types are keys of these maps: they stay as written.
/** How a `state-versions` resource decodes. */
export const StateVersionModel = defineModel(
  'state-versions',
  StateVersionAttributesSchema,
  new Set(['modules', 'providers', 'resources']),
);
/** A state version's attributes: serial, status, Terraform version, download URLs, resource list. */
export type StateVersionAttributes = z.infer<typeof StateVersionAttributesSchema>;

/** A snapshot of a workspace's state: what it holds and where to download it, not the state itself. */
export type StateVersion = Model<
  StateVersionAttributes,
  'run' | 'createdBy' | 'workspace',
  { run: Run; createdBy: User; workspace: Workspace; outputs: StateVersionOutput[] },
  'outputs'
>;
