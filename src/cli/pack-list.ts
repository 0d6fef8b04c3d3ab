import { type PackPlanEntry, type PackPlanExclusion, planPack, type SymlinkMode } from '../index.js';
import { EXIT, oneOf, UsageError } from './args.js';
import { reportFailure } from './failure.js';
import type { Output } from './output.js';

/** `1.5 KiB`: bytes in binary units, as the upload bench reports them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function describeEntry(entry: PackPlanEntry): string {
  if (entry.type === 'symlink') return `${entry.path} -> ${entry.linkTarget ?? ''}`;
  return entry.dereferenced === undefined
    ? entry.path
    : `${entry.path}  (copied from symlink -> ${entry.dereferenced})`;
}

/** Why an entry was left out, in words: the rule and where it was written. */
export function describeExclusion(exclusion: PackPlanExclusion): string {
  const below = exclusion.wholeDirectory ? ', with everything below it' : '';
  switch (exclusion.reason) {
    case 'default':
      return `default exclusion (${exclusion.rule})${below}`;
    case '.terraformignore':
      return `.terraformignore line ${exclusion.line}: ${exclusion.rule}${below}`;
    case 'ignoreRules':
      return `ignore rule ${exclusion.line}: ${exclusion.rule}${below}`;
    default:
      return 'not a file, directory or symlink: no archive holds it';
  }
}

/**
 * `tfe upload --list`: what packing the directory would upload (sizes, links, copies of outside links) and what
 * it would leave out and why, without creating or uploading anything.
 */
export async function listPack(
  out: Output,
  directory: string,
  options: { symlinks: SymlinkMode },
): Promise<number> {
  try {
    const plan = await planPack(directory, options);
    const files = plan.entries.filter((entry) => entry.type === 'file').length;
    out.document({ directory, ...plan, fileCount: files, exitCode: EXIT.ok });
    const width = Math.max(0, ...plan.excluded.map((exclusion) => exclusion.path.length));
    const lines = [
      `${directory} would be uploaded as ${plan.entries.length} entries, ${files} files, ` +
        `${formatSize(plan.totalSize)} before compression:`,
      ...plan.entries.map((entry) => {
        const size = entry.type === 'file' ? formatSize(entry.size) : '';
        return `  ${size.padStart(10)}  ${describeEntry(entry)}`;
      }),
    ];
    if (plan.excluded.length > 0) {
      lines.push(
        'Left out:',
        ...plan.excluded.map(
          (exclusion) => `  ${exclusion.path.padEnd(width)}  ${describeExclusion(exclusion)}`,
        ),
      );
    } else {
      lines.push('Nothing left out.');
    }
    out.result(lines.join('\n'));
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, 'upload');
  }
}

/** `--symlinks dereference|refuse`: what to do with a link pointing outside the directory (default dereference). */
export function symlinkMode(value: string | undefined, command: string): SymlinkMode {
  try {
    return oneOf<SymlinkMode>('symlinks', value, ['dereference', 'refuse'], 'dereference');
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(err.message, command) : err;
  }
}
