import { z } from 'zod';
import { defineModel, type Model, statusTimestamps } from './model.js';

/** Configuration version states. Open: the API may add more. */
export const ConfigurationVersionStatus = {
  Pending: 'pending',
  Fetching: 'fetching',
  Uploaded: 'uploaded',
  Archived: 'archived',
  Errored: 'errored',
  BackingDataSoftDeleted: 'backing_data_soft_deleted',
  BackingDataPermanentlyDeleted: 'backing_data_permanently_deleted',
} as const;
export type ConfigurationVersionStatus =
  (typeof ConfigurationVersionStatus)[keyof typeof ConfigurationVersionStatus];
export type OpenConfigurationVersionStatus = ConfigurationVersionStatus | (string & {});

export const ConfigurationVersionAttributesSchema = z.looseObject({
  status: z.string() as unknown as z.ZodType<OpenConfigurationVersionStatus>,
  source: z.string().nullable().optional(),
  speculative: z.boolean().optional(),
  provisional: z.boolean().optional(),
  autoQueueRuns: z.boolean().optional(),
  /** Where to PUT the tar.gz; present only until it is used, and carries its own authorization. */
  uploadUrl: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  changedFiles: z.array(z.string()).nullable().optional(),
  statusTimestamps,
});

export const ConfigurationVersionModel = defineModel(
  'configuration-versions',
  ConfigurationVersionAttributesSchema,
);

export const IngressAttributesSchema = z.looseObject({
  branch: z.string().nullable().optional(),
  cloneUrl: z.string().nullable().optional(),
  commitMessage: z.string().nullable().optional(),
  commitSha: z.string().nullable().optional(),
  commitUrl: z.string().nullable().optional(),
  compareUrl: z.string().nullable().optional(),
  identifier: z.string().nullable().optional(),
  isPullRequest: z.boolean().nullable().optional(),
  onDefaultBranch: z.boolean().nullable().optional(),
  pullRequestNumber: z.number().nullable().optional(),
  pullRequestUrl: z.string().nullable().optional(),
  pullRequestTitle: z.string().nullable().optional(),
  pullRequestBody: z.string().nullable().optional(),
  tag: z.string().nullable().optional(),
  senderUsername: z.string().nullable().optional(),
  senderAvatarUrl: z.string().nullable().optional(),
  senderHtmlUrl: z.string().nullable().optional(),
});

export const IngressAttributesModel = defineModel('ingress-attributes', IngressAttributesSchema);
export type IngressAttributes = Model<z.infer<typeof IngressAttributesSchema>, 'createdBy'>;

export type ConfigurationVersionAttributes = z.infer<typeof ConfigurationVersionAttributesSchema>;
/** A configuration version: the uploaded (or VCS-fetched) Terraform files a run plans. */
export type ConfigurationVersion = Model<
  ConfigurationVersionAttributes,
  'ingressAttributes',
  { ingressAttributes: IngressAttributes }
>;

/** What `include` may ask for on a configuration version. */
export type ConfigurationVersionInclude = 'ingress_attributes' | (string & {});

/** Whether a configuration version is still being uploaded or processed (`pending`, `fetching`). */
export function isConfigurationVersionProcessing(status: OpenConfigurationVersionStatus): boolean {
  return status === ConfigurationVersionStatus.Pending || status === ConfigurationVersionStatus.Fetching;
}
