import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args.js';

type Env = Record<string, string | undefined>;

/** A file a command will write, named by what set it: a flag (`--dotenv`) or a variable (`GITHUB_OUTPUT`). */
export type OutputFile = [setBy: string, path: string | undefined];

/**
 * The files a run report goes to: `--dotenv` when given, and GitHub's `GITHUB_OUTPUT` and (unless `summary` is
 * false) `GITHUB_STEP_SUMMARY` when set.
 */
export function reportFiles(
  dotenv: string | undefined,
  options: { summary?: boolean } = {},
  env: Env = process.env,
): OutputFile[] {
  const files: OutputFile[] = [
    ['--dotenv', dotenv],
    ['GITHUB_OUTPUT', env.GITHUB_OUTPUT],
  ];
  if (options.summary !== false) files.push(['GITHUB_STEP_SUMMARY', env.GITHUB_STEP_SUMMARY]);
  return files;
}

/**
 * Checks, before a command creates anything, that each file it will write can be written: an existing file it
 * may write to, or a new one in an existing, writable directory. A bad path is a UsageError (exit 3) naming the
 * flag or variable that set it, so a run is never applied only to fail on its report.
 */
export function checkOutputFiles(command: string, files: readonly OutputFile[]): void {
  for (const [setBy, path] of files) {
    if (path === undefined || path === '') continue;
    const problem = whyNotWritable(resolve(path));
    if (problem) {
      throw new UsageError(
        `${setBy} ${path}: ${problem}, so the report could not be written; nothing was created. ` +
          `Fix ${setBy.startsWith('--') ? 'the path' : `${setBy} (or unset it)`} and try again.`,
        command,
      );
    }
  }
}

function whyNotWritable(path: string): string | undefined {
  const existing = statOrUndefined(path);
  if (existing?.isDirectory()) return 'is a directory, not a file';
  if (existing) return writable(path) ? undefined : 'is not writable';
  const parent = dirname(path);
  const dir = statOrUndefined(parent);
  if (!dir) return `its directory ${parent} does not exist`;
  if (!dir.isDirectory()) return `${parent} is not a directory`;
  return writable(parent) ? undefined : `its directory ${parent} is not writable`;
}

function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
