import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { z } from 'zod';
import { signalSchema } from '../../core/validate.js';
import { abortError, PackError } from './errors.js';
import type { SymlinkMode } from './links.js';
import { displayPath } from './names.js';
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
  /**
   * A symlink whose target lies outside the directory: `dereference` (default, as Terraform packs) stores a
   * copy of what it points to — a file's content and mode, a directory's files under the link's path —, so
   * whatever it points to is uploaded, secrets included; `refuse` fails with `SYMLINK_OUTSIDE_ROOT`. Links
   * inside the directory stay links either way.
   */
  symlinks?: SymlinkMode;
  /** Aborting destroys the stream (or rejects the listing) with an `AbortError`. */
  signal?: AbortSignal;
  /** gzip level, 0–9 (default 6, zlib's default). */
  gzipLevel?: number;
}

const DEFAULT_GZIP_LEVEL = 6;

const PackOptionsSchema = z.strictObject({
  ignoreRules: z.array(z.string()).optional(),
  useTerraformIgnore: z.boolean().optional(),
  signal: signalSchema.optional(),
  gzipLevel: z.number().int().min(0).max(9).optional(),
  symlinks: z.enum(['dereference', 'refuse']).optional(),
});

/**
 * Checks pack options the way packing would, so an upload can refuse them before it creates anything: a fault
 * is a PackError (`INVALID_OPTION`) naming the option.
 */
export function checkPackOptions(options: PackOptions | undefined): void {
  const result = PackOptionsSchema.safeParse(options ?? {});
  if (result.success) return;
  const issue = result.error.issues[0]!;
  const option =
    (issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.map(String).join('.')) || 'pack';
  const what =
    issue.code === 'unrecognized_keys'
      ? 'is not a pack option'
      : option === 'gzipLevel'
        ? `must be an integer from 0 to 9, got ${options?.gzipLevel}`
        : option === 'symlinks'
          ? `must be 'dereference' or 'refuse', got ${String(options?.symlinks)}`
          : issue.message;
  throw new PackError(`${option} ${what}`, { code: 'INVALID_OPTION', path: option });
}

export async function* entriesOf(
  dir: string,
  options: PackOptions,
  onExcluded?: Parameters<typeof walkTree>[2],
): AsyncGenerator<WalkEntry> {
  yield* walkTree(await openRoot(dir, options), options.signal, onExcluded);
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
  checkPackOptions(options);
  const level = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
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
 * See {@link planPack} for sizes and what was left out.
 */
export async function listPackedFiles(dir: string, options: PackOptions = {}): Promise<string[]> {
  checkPackOptions(options);
  const names: string[] = [];
  for await (const entry of entriesOf(dir, options)) names.push(displayPath(entry.rawName ?? entry.name));
  return names;
}
