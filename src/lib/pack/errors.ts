/** Why a configuration directory could not be packed. */
export type PackErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_DIRECTORY'
  | 'SYMLINK_OUTSIDE_ROOT'
  | 'FILE_CHANGED'
  | 'READ_ERROR'
  | 'INVALID_OPTION';

export interface PackErrorInit {
  code: PackErrorCode;
  /** The entry at fault, relative to the root with `/` separators; the directory itself for root errors. */
  path: string;
  /** A symlink's target as written, for `SYMLINK_OUTSIDE_ROOT`. */
  target?: string;
  cause?: unknown;
}

/** A directory could not be turned into a configuration upload; `code` says why, `path` says where. */
export class PackError extends Error {
  // Self-contained on purpose: a later step re-bases it on TfeError without changing its shape.
  override readonly name: string = 'PackError';
  readonly code: PackErrorCode;
  readonly path: string;
  readonly target: string | undefined;

  constructor(message: string, init: PackErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    Object.setPrototypeOf(this, new.target.prototype);
    this.code = init.code;
    this.path = init.path;
    this.target = init.target;
  }
}

/** The error a pack ends with when its AbortSignal fires: shaped like Node's own AbortError. */
export function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return Object.assign(error, { code: 'ABORT_ERR' });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
