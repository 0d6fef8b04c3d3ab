import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { sleep } from '../core/abort.js';
import { ConflictError, InputValidationError, TfeError, TimeoutError } from '../core/errors.js';
import type { RawBody, RequestOptions } from '../core/transport.js';
import {
  type ConfigurationVersion,
  ConfigurationVersionStatus,
  isConfigurationVersionProcessing,
} from '../models/configuration-version.js';
import type {
  ConfigurationVersions,
  CreateAndUploadParams,
  WaitForUploadParams,
} from '../resources/configuration-versions.js';
import { withDeadline } from './deadline.js';
import { checkPackOptions, PackError, type PackOptions, packDirectory } from './pack/index.js';

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

/**
 * Polls the version (through the public `read`) until it leaves `pending`/`fetching`: `uploaded` or `archived`
 * resolve, `errored` throws {@link ConfigurationVersionError}, the deadline {@link ConfigurationVersionTimeoutError}.
 */
export async function waitForUpload(
  configurationVersions: ConfigurationVersions,
  configurationVersionId: string,
  params: WaitForUploadParams,
): Promise<ConfigurationVersion> {
  const timeoutMs = params.timeoutMs ?? DEFAULT_UPLOAD_WAIT_MS;
  let interval = params.pollIntervalMs ?? DEFAULT_POLL_MS;
  const maxInterval = Math.max(interval, params.maxPollIntervalMs ?? DEFAULT_MAX_POLL_MS);
  let last: ConfigurationVersion | undefined;
  return withDeadline(
    params.signal,
    timeoutMs,
    async ({ signal }) => {
      for (;;) {
        last = await configurationVersions.read(configurationVersionId, {}, { signal });
        if (!isConfigurationVersionProcessing(last.status)) return settled(last);
        await sleep(jittered(interval), signal);
        interval = Math.min(interval * 1.5, maxInterval);
      }
    },
    () =>
      new ConfigurationVersionTimeoutError(
        `Configuration version ${configurationVersionId} was still ${last?.status ?? 'unread'} after ${timeoutMs} ms.`,
        timeoutMs,
        last,
      ),
  );
}

/**
 * Creates a version (not auto-queueing a run unless asked), uploads `source`, and waits until it is processed,
 * through the public create and upload. The source and its packing options are checked before anything is
 * created.
 */
export async function createAndUpload(
  configurationVersions: ConfigurationVersions,
  workspaceId: string,
  source: UploadSource,
  params: CreateAndUploadParams,
): Promise<ConfigurationVersion> {
  const { autoQueueRuns = false, speculative, provisional, signal, timeoutMs, pack } = params;
  // A bad source or pack option found after `create` would leave an orphan version behind.
  await prepareUpload(source, pack);
  let cv: ConfigurationVersion | undefined;
  return withDeadline(
    signal,
    timeoutMs,
    async (deadline) => {
      cv = await configurationVersions.create(
        workspaceId,
        { autoQueueRuns, speculative, provisional },
        { signal: deadline.signal },
      );
      try {
        await configurationVersions.upload(cv, source, { signal: deadline.signal, ...(pack && { pack }) });
      } catch (err) {
        // The version was created a moment ago and its URL is ours alone: a 409 to a retried PUT can only
        // answer our own first attempt, so the wait below tells whether it arrived.
        if (!isRetriedUploadConflict(err)) throw err;
      }
      // Under a deadline of its own the wait would race ours (both due at once) and could win with its message.
      return waitForUpload(configurationVersions, cv.id, {
        signal: deadline.signal,
        timeoutMs: deadline.remaining() === undefined ? undefined : Number.POSITIVE_INFINITY,
        pollIntervalMs: params.pollIntervalMs,
        maxPollIntervalMs: params.maxPollIntervalMs,
      });
    },
    () =>
      new ConfigurationVersionTimeoutError(
        `Creating and uploading a configuration version for ${workspaceId} took longer than ${timeoutMs} ms.`,
        timeoutMs!,
        cv,
      ),
  );
}

/** A source checked and ready to send as many times as it may be retried. */
export interface PreparedUpload {
  /** A factory for a replayable source (bytes, a file, a directory), or a caller's stream, sent once. */
  data: Readable | (() => Readable | Buffer);
  /** Known size in bytes, sent as Content-Length for a file (a Buffer's is set by the transport). */
  size?: number;
  /** A directory: packing may fail mid-stream with a PackError that must surface as itself. */
  packed?: boolean;
}

const SOURCE_HELP =
  'pass a configuration directory, a .tar.gz/.tgz file path, a Buffer/Uint8Array, or a Readable';

/** Checks an upload source (and a directory's pack options) and makes the body the PUT sends. */
export async function prepareUpload(
  source: UploadSource,
  pack: UploadPackOptions | undefined,
): Promise<PreparedUpload> {
  if (typeof source === 'string') return prepareSourcePath(source, pack);
  if (source instanceof Uint8Array) {
    if (source.byteLength === 0) {
      throw new InputValidationError(`The upload source is empty: ${SOURCE_HELP}.`, 'source');
    }
    const bytes = Buffer.isBuffer(source)
      ? source
      : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
    // A factory like the other replayable sources, so each send is counted the same way.
    return { data: () => bytes };
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

async function prepareSourcePath(file: string, pack: UploadPackOptions | undefined): Promise<PreparedUpload> {
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
    checkPackOptions(pack);
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

const retriedConflicts = new WeakSet<Error>();

/** A 409 that answered a retried upload PUT: the first attempt may have been stored. */
export function isRetriedUploadConflict(err: unknown): boolean {
  return err instanceof Error && retriedConflicts.has(err);
}

/**
 * Sends a prepared source through `put`. Streams it makes are tracked so none is left open, and a directory's
 * packing failure stops the request at once (no retries of a bad tree) and surfaces as its PackError.
 */
export async function sendUpload(
  body: PreparedUpload,
  options: RequestOptions,
  put: (data: RawBody, options: RequestOptions) => Promise<unknown>,
): Promise<void> {
  const made: Readable[] = [];
  // Ends the PUT when packing fails or the caller aborts.
  const stop = new AbortController();
  let packError: PackError | undefined;
  let sends = 0;
  let data = body.data;
  const make = body.data;
  if (typeof make === 'function') {
    data = () => {
      sends++;
      const produced = make();
      if (isReadable(produced)) {
        made.push(produced);
        if (body.packed) {
          produced.once('error', (err) => {
            if (err instanceof PackError) {
              packError = err;
              stop.abort();
            }
          });
        }
      }
      return produced;
    };
  }
  // Linked by hand, not AbortSignal.any: a caller's polyfill signal is no AbortSignal to it.
  const callerSignal = options.signal;
  const onCallerAbort = () => stop.abort();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  if (callerSignal?.aborted) stop.abort();
  const signal = stop.signal;
  const headers =
    body.size === undefined ? options.headers : { 'Content-Length': String(body.size), ...options.headers };
  try {
    await put(data, { ...options, signal, ...(headers && { headers }) });
  } catch (err) {
    if (packError) throw packError;
    // The archivist may refuse a second PUT of an upload URL: after a retry, the 409 may answer our own first
    // attempt, stored before its answer was lost, or someone else's upload. Only the caller can tell which.
    if (err instanceof ConflictError && sends > 1) {
      const conflict = new ConflictError(
        err,
        `${err.message}. An earlier attempt of this upload may have been stored before its answer was lost: ` +
          'if nothing else uploads to this configuration version, waitForUpload tells whether it arrived.',
      );
      retriedConflicts.add(conflict);
      throw conflict;
    }
    throw err;
  } finally {
    callerSignal?.removeEventListener('abort', onCallerAbort);
    for (const stream of made) stream.destroy();
  }
}

/** The upload URL of a version from `create`, or a URL given as is; checked to be absolute http(s). */
export function uploadUrlOf(cvOrUploadUrl: ConfigurationVersion | string): string {
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
