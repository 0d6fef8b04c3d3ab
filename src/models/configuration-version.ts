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
/** A configuration version state this SDK knows (see the const of the same name). */
export type ConfigurationVersionStatus =
  (typeof ConfigurationVersionStatus)[keyof typeof ConfigurationVersionStatus];
/** A configuration version state as read: a known one, or one the API added later. */
export type OpenConfigurationVersionStatus = ConfigurationVersionStatus | (string & {});

/** A configuration version's attributes in camelCase (zod, loose). */
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

/** How a `configuration-versions` resource decodes. */
export const ConfigurationVersionModel = defineModel(
  'configuration-versions',
  ConfigurationVersionAttributesSchema,
);

/** Ingress attributes in camelCase (zod, loose): the VCS commit a configuration version came from. */
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

/** How an `ingress-attributes` resource decodes. */
export const IngressAttributesModel = defineModel('ingress-attributes', IngressAttributesSchema);
/** The VCS commit, branch and pull request a configuration version came from. */
export type IngressAttributes = Model<z.infer<typeof IngressAttributesSchema>, 'createdBy'>;

/** A configuration version's attributes: status, source, speculative, the signed `uploadUrl`. */
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
