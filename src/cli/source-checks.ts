// What `tfe run` and `tfe upload` check about what they would upload, before a configuration version exists: a
// refusal here costs nothing on TFE, one after the upload leaves an errored version or run behind.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listPackedFiles, PackError, type PackOptions } from '../index.js';
import { UsageError } from './args.js';
import type { Output } from './output.js';

/** An upload larger than this is worth a warning: configurations are kilobytes, large ones a few megabytes. */
export const LARGE_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Directories that are never Terraform configuration but often sit beside it. */
const SUSPECT_DIRECTORIES = ['node_modules', '.venv', 'venv', '__pycache__', 'vendor'];

/** Refuses a `--tarball` that is not gzip data (TFE only unpacks a .tar.gz). */
export function checkTarball(path: string, given: string, command: string): void {
  const head = Buffer.alloc(2);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    throw new UsageError(
      `--tarball ${given} is not gzip-compressed (a .tar.gz starts with the bytes 1f 8b): TFE could not unpack ` +
        `it. Make one with: tar -czf config.tar.gz -C <dir> . — or pass --dir <dir> to let tfe pack it.`,
      command,
    );
  }
}

/**
 * Lists what a directory upload would hold (as the packer will, with .terraformignore) and refuses one without
 * any Terraform file, which Terraform would stop on ("No configuration files"); warns on stderr when it holds
 * dependency directories or is large, saying what is large and how to exclude it.
 */
export async function checkDirectory(
  dir: string,
  given: string,
  command: string,
  out: Output,
  pack: PackOptions = {},
): Promise<void> {
  let names: string[];
  try {
    names = await listPackedFiles(dir, pack);
  } catch (err) {
    if (err instanceof PackError) throw new UsageError(`--dir ${given}: ${err.message}`, command);
    throw err;
  }
  const files = names.filter((n) => !n.endsWith('/'));
  if (!files.some((n) => /\.tf(\.json)?$/.test(n))) {
    throw new UsageError(
      `--dir ${given} has no Terraform configuration files (*.tf or *.tf.json${
        files.length ? `, only ${files.length} other file${files.length === 1 ? '' : 's'}` : ''
      }): Terraform would stop with "No configuration files". Point --dir at the configuration's directory ` +
        `(or check that .terraformignore does not exclude it).`,
      command,
    );
  }
  const sizes = new Map<string, number>();
  let total = 0;
  for (const name of files) {
    let size = 0;
    try {
      size = statSync(join(dir, name)).size;
    } catch {
      // The packer reports files it cannot read; the warning only sums what it can see.
    }
    total += size;
    const top = name.includes('/') ? `${name.slice(0, name.indexOf('/'))}/` : name;
    sizes.set(top, (sizes.get(top) ?? 0) + size);
  }
  const suspects = [...sizes.keys()].filter((top) => SUSPECT_DIRECTORIES.includes(top.replace(/\/$/, '')));
  if (suspects.length === 0 && total < LARGE_UPLOAD_BYTES) return;
  const largest = [...sizes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([top, size]) => `${top} ${megabytes(size)}`);
  const exclude = (suspects.length ? suspects : [largest[0]?.split(' ')[0] ?? 'big-dir/']).join(', ');
  out.warning(
    `--dir ${given} would upload ${files.length} files, ${megabytes(total)}` +
      `${suspects.length ? `, including ${suspects.join(', ')}` : ''} (largest: ${largest.join(', ')}). ` +
      `Terraform needs only the configuration: list what to leave out (e.g. ${exclude}) in ${join(given, '.terraformignore')}.`,
    'tfe upload size',
  );
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}
