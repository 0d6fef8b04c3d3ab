import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AbortError, InputValidationError, TfeError, TimeoutError } from '../core/errors.js';
import { serializeResource } from '../core/jsonapi.js';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { sleep } from '../core/rate-limiter.js';
import { APIResource } from '../core/resource.js';
import type { RawBody, RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import { PackError, type PackOptions, packDirectory } from '../lib/pack/index.js';
import {
  type ConfigurationVersion,
  type ConfigurationVersionInclude,
  ConfigurationVersionModel,
  ConfigurationVersionStatus,
  type IngressAttributes,
  IngressAttributesModel,
  isConfigurationVersionProcessing,
} from '../models/configuration-version.js';

/** What `upload` sends: a directory (packed on the fly), a `.tar.gz`/`.tgz` file path, bytes, or a stream. */
export type UploadSource = string | Buffer | Uint8Array | Readable;

/** How a directory source is packed; ignored for the other sources. The upload's signal also stops packing. */
export type UploadPackOptions = Omit<PackOptions, 'signal'>;

/**
 * Per-call options of `upload`: the usual request options (`timeoutMs` bounds each attempt, body included:
 * raise it for a large configuration on a slow link), and how to pack a directory.
 */
export interface UploadOptions extends RequestOptions {
  pack?: UploadPackOptions;
}

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

const signalSchema = z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal');
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

/** Default deadline for a configuration version to be processed after its upload. */
export const DEFAULT_UPLOAD_WAIT_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 250;
const DEFAULT_MAX_POLL_MS = 2000;

/** A configuration version ended `errored` (or its data was deleted): it cannot be used for a run. */
export class ConfigurationVersionError extends TfeError {
  override readonly name: string = 'ConfigurationVersionError';
  readonly configurationVersionId: string;
  /** `errored`, or `backing_data_soft_deleted` / `backing_data_permanently_deleted`. */
  readonly status: string;
  /** The API's error code, e.g. `unprocessable_archive`. */
  readonly error: string | null;
  /** The API's explanation. */
  readonly errorMessage: string | null;
  /** The version as last read (kept out of `toJSON` to keep logs small). */
  declare readonly configurationVersion: ConfigurationVersion;

  constructor(cv: ConfigurationVersion) {
    const reason =
      cv.errorMessage ??
      cv.error ??
      (cv.status === ConfigurationVersionStatus.Errored ? 'no reason given' : 'its data was deleted');
    super(`Configuration version ${cv.id} is ${cv.status}: ${reason}`);
    this.configurationVersionId = cv.id;
    this.status = cv.status;
    this.error = cv.error ?? null;
    this.errorMessage = cv.errorMessage ?? null;
    Object.defineProperty(this, 'configurationVersion', { value: cv, enumerable: false });
  }
}

/** The deadline passed while a configuration version was still being uploaded or processed. */
export class ConfigurationVersionTimeoutError extends TimeoutError {
  override readonly name: string = 'ConfigurationVersionTimeoutError';
  /** The version as last read; undefined when the deadline came before the first read answered. */
  declare readonly configurationVersion: ConfigurationVersion | undefined;

  constructor(message: string, timeoutMs: number, cv: ConfigurationVersion | undefined) {
    super(message, timeoutMs);
    Object.defineProperty(this, 'configurationVersion', { value: cv, enumerable: false });
  }
}

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
    return this.api.resource<ConfigurationVersion>(
      'GET',
      path`/configuration-versions/${['configurationVersionId', configurationVersionId]}`,
      ConfigurationVersionModel,
      { query: { include: params.include }, options },
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
   * object store; the redirect is followed without the token.
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
   * a caller's stream is sent once.
   */
  async upload(
    cvOrUploadUrl: ConfigurationVersion | string,
    source: UploadSource,
    options: UploadOptions = {},
  ): Promise<void> {
    const url = uploadUrlOf(cvOrUploadUrl);
    const { pack, ...requestOptions } = options;
    const body = await prepareSource(source, pack);
    await this.send(url, body, requestOptions);
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
    const timeoutMs = p.timeoutMs ?? DEFAULT_UPLOAD_WAIT_MS;
    const deadline = startDeadline(p.signal, timeoutMs);
    let interval = p.pollIntervalMs ?? DEFAULT_POLL_MS;
    const maxInterval = Math.max(interval, p.maxPollIntervalMs ?? DEFAULT_MAX_POLL_MS);
    let last: ConfigurationVersion | undefined;
    try {
      for (;;) {
        last = await this.read(configurationVersionId, {}, { signal: deadline.signal });
        if (!isConfigurationVersionProcessing(last.status)) return settled(last);
        await sleep(jittered(interval), deadline.signal);
        interval = Math.min(interval * 1.5, maxInterval);
      }
    } catch (err) {
      if (deadline.expired() && err instanceof AbortError) {
        throw new ConfigurationVersionTimeoutError(
          `Configuration version ${configurationVersionId} was still ${last?.status ?? 'unread'} after ${timeoutMs} ms.`,
          timeoutMs,
          last,
        );
      }
      throw err;
    } finally {
      deadline.clear();
    }
  }

  /**
   * The upload half of the API-driven workflow in one call: create a version (not auto-queueing a run unless
   * asked), upload `source`, and wait until it is processed. The source is checked before anything is created.
   * `timeoutMs` bounds the whole operation.
   */
  async createAndUpload(
    workspaceId: string,
    source: UploadSource,
    params: CreateAndUploadParams = {},
  ): Promise<ConfigurationVersion> {
    const p = validateInput(CreateAndUploadSchema, params, 'configurationVersions.createAndUpload');
    const { autoQueueRuns = false, speculative, provisional, signal, timeoutMs, pack } = p;
    const body = await prepareSource(source, pack);
    const deadline = startDeadline(signal, timeoutMs);
    let cv: ConfigurationVersion | undefined;
    try {
      cv = await this.create(
        workspaceId,
        { autoQueueRuns, speculative, provisional },
        { signal: deadline.signal },
      );
      await this.send(uploadUrlOf(cv), body, { signal: deadline.signal });
      return await this.waitForUpload(cv.id, {
        signal: deadline.signal,
        timeoutMs: deadline.remaining(),
        pollIntervalMs: p.pollIntervalMs,
        maxPollIntervalMs: p.maxPollIntervalMs,
      });
    } catch (err) {
      if (deadline.expired() && err instanceof AbortError && timeoutMs !== undefined) {
        throw new ConfigurationVersionTimeoutError(
          `Creating and uploading a configuration version for ${workspaceId} took longer than ${timeoutMs} ms.`,
          timeoutMs,
          cv,
        );
      }
      throw err;
    } finally {
      deadline.clear();
    }
  }

  /**
   * Sends a prepared source. Streams it makes are tracked so none is left open, and a directory's packing
   * failure stops the request at once (no retries of a bad tree) and surfaces as its PackError.
   */
  private async send(url: string, body: PreparedSource, options: RequestOptions): Promise<void> {
    const made: Readable[] = [];
    const packFailed = new AbortController();
    let packError: PackError | undefined;
    let data = body.data;
    const make = body.data;
    if (typeof make === 'function') {
      data = () => {
        const produced = make();
        if (isReadable(produced)) {
          made.push(produced);
          if (body.packed) {
            produced.once('error', (err) => {
              if (err instanceof PackError) {
                packError = err;
                packFailed.abort();
              }
            });
          }
        }
        return produced;
      };
    }
    const signal = options.signal ? AbortSignal.any([options.signal, packFailed.signal]) : packFailed.signal;
    const headers =
      body.size === undefined ? options.headers : { 'Content-Length': String(body.size), ...options.headers };
    try {
      await this.api.request({
        method: 'PUT',
        url,
        data,
        contentType: 'application/octet-stream',
        responseType: 'none',
        options: { ...options, signal, ...(headers && { headers }) },
      });
    } catch (err) {
      if (packError) throw packError;
      throw err;
    } finally {
      for (const stream of made) stream.destroy();
    }
  }
}

/** A source checked and ready to send as many times as it may be retried. */
interface PreparedSource {
  data: RawBody;
  /** Known size in bytes, sent as Content-Length for a file (a Buffer's is set by the transport). */
  size?: number;
  /** A directory: packing may fail mid-stream with a PackError that must surface as itself. */
  packed?: boolean;
}

const SOURCE_HELP =
  'pass a configuration directory, a .tar.gz/.tgz file path, a Buffer/Uint8Array, or a Readable';

async function prepareSource(
  source: UploadSource,
  pack: UploadPackOptions | undefined,
): Promise<PreparedSource> {
  if (typeof source === 'string') return prepareSourcePath(source, pack);
  if (source instanceof Uint8Array) {
    if (source.byteLength === 0) {
      throw new InputValidationError(`The upload source is empty: ${SOURCE_HELP}.`, 'source');
    }
    return {
      data: Buffer.isBuffer(source)
        ? source
        : Buffer.from(source.buffer, source.byteOffset, source.byteLength),
    };
  }
  if (isReadable(source)) {
    if (source.destroyed || source.readableEnded) {
      throw new InputValidationError(
        'The upload source stream was already read or destroyed: pass a fresh Readable.',
        'source',
      );
    }
    return { data: source };
  }
  throw new InputValidationError(`The upload source is not usable: ${SOURCE_HELP}.`, 'source');
}

async function prepareSourcePath(file: string, pack: UploadPackOptions | undefined): Promise<PreparedSource> {
  if (file.length === 0)
    throw new InputValidationError(`The upload source path is empty: ${SOURCE_HELP}.`, 'source');
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    throw new InputValidationError(
      `The upload source ${JSON.stringify(file)} does not exist: ${SOURCE_HELP}.`,
      'source',
    );
  }
  if (info.isDirectory()) {
    return { data: () => packDirectory(file, pack), packed: true };
  }
  if (info.isFile() && /\.(tar\.gz|tgz)$/i.test(file)) {
    return { data: () => createReadStream(file), size: info.size };
  }
  throw new InputValidationError(
    `The upload source ${JSON.stringify(file)} is neither a directory nor a .tar.gz/.tgz file: ${SOURCE_HELP}.`,
    'source',
  );
}

function uploadUrlOf(cvOrUploadUrl: ConfigurationVersion | string): string {
  let raw: unknown = cvOrUploadUrl;
  if (typeof cvOrUploadUrl === 'object' && cvOrUploadUrl !== null) {
    raw = cvOrUploadUrl.uploadUrl;
    if (typeof raw !== 'string' || raw.length === 0) {
      throw new InputValidationError(
        `Configuration version ${cvOrUploadUrl.id} has no uploadUrl (status ${cvOrUploadUrl.status}): the API gives ` +
          'it only on the version returned by create, until the upload is done. Pass that version, or create a new one.',
        'uploadUrl',
      );
    }
  }
  if (typeof raw !== 'string') {
    throw new InputValidationError(
      'upload needs a configuration version (from create) or its uploadUrl as the first argument.',
      'uploadUrl',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputValidationError('uploadUrl is not an absolute URL.', 'uploadUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputValidationError(`uploadUrl must be http(s), got ${url.protocol}`, 'uploadUrl');
  }
  return url.toString();
}

function settled(cv: ConfigurationVersion): ConfigurationVersion {
  if (
    cv.status === ConfigurationVersionStatus.Errored ||
    cv.status === ConfigurationVersionStatus.BackingDataSoftDeleted ||
    cv.status === ConfigurationVersionStatus.BackingDataPermanentlyDeleted
  ) {
    throw new ConfigurationVersionError(cv);
  }
  return cv;
}

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function';
}

/** Between 80% and 120% of the interval, so many waiters do not poll in step. */
function jittered(interval: number): number {
  return Math.round(interval * (0.8 + Math.random() * 0.4));
}

/** A signal that fires on the caller's abort or at the deadline, and tells which happened. */
function startDeadline(signal: AbortSignal | undefined, timeoutMs: number | undefined) {
  const controller = new AbortController();
  const end = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  const timer = end === undefined ? undefined : setTimeout(() => controller.abort(), timeoutMs);
  return {
    signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    /** The deadline fired and the caller did not abort. */
    expired: () => controller.signal.aborted && !signal?.aborted,
    remaining: () => (end === undefined ? undefined : Math.max(1, end - Date.now())),
    clear: () => clearTimeout(timer),
  };
}
