import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { abortError, PackError } from './errors.js';
import type { tarRecords } from './tar.js';
import { openRoot, type WalkEntry, walkTree } from './walk.js';

/** How a configuration directory is packed into a tar.gz for upload. */
export interface PackOptions {
  /** Extra ignore rules applied after .terraformignore (same syntax, one rule per line). */
  ignoreRules?: string[];
  /**
   * Apply the default rules and the root's .terraformignore (default true). `false` packs
   * everything but `ignoreRules`, as go-slug does without `ApplyTerraformIgnore`.
   */
  useTerraformIgnore?: boolean;
  /** Aborting destroys the stream (or rejects the listing) with an `AbortError`. */
  signal?: AbortSignal;
  /** gzip level, 0–9 (default 6, zlib's default). */
  gzipLevel?: number;
}

const DEFAULT_GZIP_LEVEL = 6;

function gzipLevelOf(options: PackOptions): number {
  const level = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new PackError(`gzipLevel must be an integer from 0 to 9, got ${level}`, {
      code: 'INVALID_OPTION',
      path: 'gzipLevel',
    });
  }
  return level;
}

async function* entriesOf(dir: string, options: PackOptions): AsyncGenerator<WalkEntry> {
  yield* walkTree(await openRoot(dir, options), options.signal);
}

// The tar encoder (and the `tar` package) loads on the first pack, not with the SDK: most programs never pack.
let encoder: Promise<typeof tarRecords> | undefined;

async function* archive(dir: string, options: PackOptions): AsyncGenerator<Buffer> {
  encoder ??= import('./tar.js').then((m) => m.tarRecords);
  yield* (await encoder)(entriesOf(dir, options));
}

/**
 * Packs a Terraform configuration directory into a `.tar.gz` stream for a configuration version
 * upload, with go-slug's `.terraformignore` semantics. Files are read chunk by chunk only as the
 * stream is consumed, so memory stays flat whatever the tree's size. Problems with the directory
 * (missing, a symlink escaping it, ...) arrive as the stream's `error`: a {@link PackError}.
 */
export function packDirectory(dir: string, options: PackOptions = {}): Readable {
  const level = gzipLevelOf(options);
  const source = Readable.from(archive(dir, options), { objectMode: false });
  // 256 KiB output buffers (zlib's default is 16 KiB): fewer, larger chunks for the upload's body to carry.
  const gzip = createGzip({ level, chunkSize: 256 * 1024 });
  // The pipeline carries a source failure to the consumer and a consumer's destroy back to the source.
  pipeline(source, gzip, () => {});

  const { signal } = options;
  if (signal !== undefined) {
    const onAbort = (): void => {
      gzip.destroy(abortError(signal));
    };
    if (signal.aborted) {
      process.nextTick(onAbort);
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
      gzip.once('close', () => signal.removeEventListener('abort', onAbort));
    }
  }
  return gzip;
}

/**
 * The entry names `packDirectory` would write, in the archive's order (which is sorted):
 * relative, `/`-separated, directories ending in `/`. For dry runs; checks symlinks the same way.
 */
export async function listPackedFiles(dir: string, options: PackOptions = {}): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of entriesOf(dir, options)) names.push(entry.name);
  return names;
}
