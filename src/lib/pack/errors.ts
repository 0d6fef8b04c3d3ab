import { AbortError, TfeError } from '../../core/errors.js';

/** Why a configuration directory could not be packed. */
export type PackErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'SYMLINK_OUTSIDE_ROOT'
  | 'SYMLINK_DANGLING'
  | 'SYMLINK_LOOP'
  | 'FILE_CHANGED'
  | 'READ_ERROR'
  | 'INVALID_OPTION';

export interface PackErrorInit {
  code: PackErrorCode;
  /** The entry at fault, relative to the root with `/` separators; the directory itself for root errors. */
  path: string;
  /** A symlink's target as written, for the `SYMLINK_*` codes. */
  target?: string;
  cause?: unknown;
}

/** A directory could not be turned into a configuration upload; `code` says why, `path` says where. */
export class PackError extends TfeError {
  override readonly name: string = 'PackError';
  readonly code: PackErrorCode;
  readonly path: string;
  readonly target: string | undefined;

  constructor(message: string, init: PackErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.path = init.path;
    this.target = init.target;
  }
}

/** The error a pack ends with when its AbortSignal fires: the SDK's own AbortError, with Node's code. */
export function abortError(_signal: AbortSignal): Error {
  return Object.assign(new AbortError('Packing the configuration was aborted.'), { code: 'ABORT_ERR' });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
