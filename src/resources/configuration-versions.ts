import type { Readable } from 'node:stream';
import { z } from 'zod';
import { serializeResource } from '../core/jsonapi.js';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { ReadParamsSchema, signalSchema, validateInput } from '../core/validate.js';
import {
  createAndUpload,
  prepareUpload,
  sendUpload,
  type UploadOptions,
  type UploadPackOptions,
  type UploadSource,
  uploadUrlOf,
  waitForUpload,
} from '../lib/upload.js';
import {
  type ConfigurationVersion,
  type ConfigurationVersionInclude,
  ConfigurationVersionModel,
  type IngressAttributes,
  IngressAttributesModel,
} from '../models/configuration-version.js';

export {
  ConfigurationVersionError,
  ConfigurationVersionTimeoutError,
  DEFAULT_UPLOAD_WAIT_MS,
  type UploadOptions,
  type UploadPackOptions,
  type UploadSource,
} from '../lib/upload.js';

const CreateSchema = z.strictObject({
  autoQueueRuns: z.boolean().optional(),
  speculative: z.boolean().optional(),
  provisional: z.boolean().optional(),
});

/**
 * What `configurationVersions.create` takes. `autoQueueRuns` defaults to true in the API: a run starts as soon
 * as the upload is processed.
 * @interface
 */
export type ConfigurationVersionCreateParams = z.input<typeof CreateSchema>;

const ListSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  include: z.array(z.string()).optional(),
  concurrency: z.number().int().min(1).max(30).optional(),
});

/**
 * Paging for listing configuration versions; `concurrency` fetches later pages in parallel when iterating.
 * @interface
 */
export type ConfigurationVersionListParams = Omit<z.input<typeof ListSchema>, 'include'> & {
  include?: ConfigurationVersionInclude[];
};

const ms = z.number().positive();

const WaitSchema = z.strictObject({
  timeoutMs: ms.optional(),
  signal: signalSchema.optional(),
  pollIntervalMs: ms.optional(),
  maxPollIntervalMs: ms.optional(),
});

/**
 * How `waitForUpload` polls, and for how long.
 * @interface
 */
export type WaitForUploadParams = z.input<typeof WaitSchema>;

const CreateAndUploadSchema = CreateSchema.extend(WaitSchema.shape).extend({
  pack: z
    .custom<UploadPackOptions>((v) => typeof v === 'object' && v !== null, 'expected pack options')
    .optional(),
});

/**
 * What `createAndUpload` takes: the version's attributes (`autoQueueRuns` defaults to false here, so the caller
 * creates the run), a deadline for the whole operation, an abort signal, polling, and packing options.
 * @interface
 */
export type CreateAndUploadParams = z.input<typeof CreateAndUploadSchema>;

/** Configuration versions: create one, upload its files, wait until it is processed, read, list, archive. */
export class ConfigurationVersions extends APIResource {
  /** `POST /workspaces/:id/configuration-versions`. The result carries the one-time `uploadUrl`. */
  async create(
    workspaceId: string,
    params: ConfigurationVersionCreateParams = {},
    options?: RequestOptions,
  ): Promise<ConfigurationVersion> {
    const attributes = validateInput(CreateSchema, params, 'configurationVersions.create');
    return this.api.resource<ConfigurationVersion>(
      'POST',
      path`/workspaces/${['workspaceId', workspaceId]}/configuration-versions`,
      ConfigurationVersionModel,
      { body: serializeResource({ type: 'configuration-versions', attributes }), options },
    );
  }

  /** `GET /configuration-versions/:id`. With `include: ['ingress_attributes']`, the commit details are typed. */
  async read(
    configurationVersionId: string,
    params: { include?: ConfigurationVersionInclude[] } = {},
    options?: RequestOptions,
  ): Promise<ConfigurationVersion> {
    const { include } = validateInput(ReadParamsSchema, params, 'configurationVersions.read');
    return this.api.resource<ConfigurationVersion>(
      'GET',
      path`/configuration-versions/${['configurationVersionId', configurationVersionId]}`,
      ConfigurationVersionModel,
      { query: { include }, options },
    );
  }

  /** `GET /workspaces/:id/configuration-versions`. Await for one page; `for await` for every version. */
  list(
    workspaceId: string,
    params: ConfigurationVersionListParams = {},
    options?: RequestOptions,
  ): PagePromise<ConfigurationVersion> {
    return this.api.list<ConfigurationVersion>(ConfigurationVersionModel, options, () => {
      const p = validateInput(ListSchema, params, 'configurationVersions.list');
      return {
        path: path`/workspaces/${['workspaceId', workspaceId]}/configuration-versions`,
        query: { 'page[size]': p.pageSize, include: p.include },
        paging: p,
      };
    });
  }

  /** `GET /configuration-versions/:id/ingress-attributes`: the commit a VCS-sourced version came from. */
  async readIngressAttributes(
    configurationVersionId: string,
    options?: RequestOptions,
  ): Promise<IngressAttributes> {
    return this.api.resource<IngressAttributes>(
      'GET',
      path`/configuration-versions/${['configurationVersionId', configurationVersionId]}/ingress-attributes`,
      IngressAttributesModel,
      { options },
    );
  }

  /** `POST /configuration-versions/:id/actions/archive`: deletes the version's files; it stays listed. */
  async archive(configurationVersionId: string, options?: RequestOptions): Promise<void> {
    return this.api.action(
      path`/configuration-versions/${['configurationVersionId', configurationVersionId]}/actions/archive`,
      undefined,
      options,
    );
  }

  /**
   * `GET /configuration-versions/:id/download`: the version's `.tar.gz` as a stream. The API redirects to its
   * object store; the redirect is followed without the token. The stream emits 'error' if the download stops:
   * TimeoutError (no byte for `timeoutMs`), AbortError (`signal`) or ConnectionError (connection lost).
   */
  async download(configurationVersionId: string, options?: RequestOptions): Promise<Readable> {
    const res = await this.api.request<Readable>({
      method: 'GET',
      path: path`/configuration-versions/${['configurationVersionId', configurationVersionId]}/download`,
      responseType: 'stream',
      followRedirects: true,
      options,
    });
    return res.data;
  }

  /**
   * `PUT` the configuration's `.tar.gz` to a version's `uploadUrl`, never with the API token (the URL carries
   * its own credential). A directory is packed on the fly; a path or bytes are re-sent on a retryable failure,
   * a caller's stream is sent once. A 409 to a retried PUT is a ConflictError saying the first attempt may have
   * been stored (its answer lost); `createAndUpload`, whose fresh version only it uploads to, waits to see.
   */
  async upload(
    cvOrUploadUrl: ConfigurationVersion | string,
    source: UploadSource,
    options: UploadOptions = {},
  ): Promise<void> {
    const url = uploadUrlOf(cvOrUploadUrl);
    const { pack, ...requestOptions } = options;
    const body = await prepareUpload(source, pack);
    await sendUpload(body, requestOptions, (data, opts) =>
      this.api.request({
        method: 'PUT',
        url,
        data,
        contentType: 'application/octet-stream',
        responseType: 'none',
        options: opts,
      }),
    );
  }

  /**
   * Polls `GET /configuration-versions/:id` until the version leaves `pending`/`fetching`. Resolves with an
   * `uploaded` (or `archived`) version; `errored` → {@link ConfigurationVersionError}; the deadline →
   * {@link ConfigurationVersionTimeoutError} carrying the last version read; abort → AbortError.
   */
  async waitForUpload(
    configurationVersionId: string,
    params: WaitForUploadParams = {},
  ): Promise<ConfigurationVersion> {
    const p = validateInput(WaitSchema, params, 'configurationVersions.waitForUpload');
    return waitForUpload(this, configurationVersionId, p);
  }

  /**
   * The upload half of the API-driven workflow in one call: create a version (not auto-queueing a run unless
   * asked), upload `source`, and wait until it is processed. The source and its pack options are checked
   * before anything is created. `timeoutMs` bounds the whole operation.
   */
  async createAndUpload(
    workspaceId: string,
    source: UploadSource,
    params: CreateAndUploadParams = {},
  ): Promise<ConfigurationVersion> {
    const p = validateInput(CreateAndUploadSchema, params, 'configurationVersions.createAndUpload');
    return createAndUpload(this, workspaceId, source, p);
  }
}
