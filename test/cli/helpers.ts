// Runs the BUILT `tfe` (tsup's CLI entry from tsup.config.ts, built once per test file into node_modules/.cache
// so its dependencies resolve) as a child process against a fake TFE in this process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type FakeTfe, type StartFakeTfeOptions, startFakeTfe } from '../../src/testing/index.js';
import tsupConfig from '../../tsup.config.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Fast polling for every waiting command: the fake moves a state every few ms. */
export const POLL = ['--poll-interval', '20ms'];

let bin: string;
let buildDir: string | undefined;

/** Builds the CLI as `npm run build` does (or uses `TFE_CLI` when set, e.g. `TFE_CLI=dist/cli/main.js`). */
export function useBuiltCli(): void {
  beforeAll(async () => {
    if (process.env.TFE_CLI) {
      bin = resolve(root, process.env.TFE_CLI);
      return;
    }
    const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as Options[];
    const cli = configs.find((c) => c.entry && 'cli/main' in (c.entry as Record<string, string>));
    if (!cli) throw new Error('tsup.config.ts has no cli/main entry');
    await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
    buildDir = mkdtempSync(join(root, 'node_modules/.cache/tfe-cli-test-'));
    await build({ ...cli, outDir: buildDir, config: false, silent: true, clean: false, sourcemap: false });
    bin = join(buildDir, 'cli/main.js');
  });
  afterAll(() => {
    if (buildDir) rmSync(buildDir, { recursive: true, force: true });
  });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Environment of a CI-free shell: nothing of the test runner's own CI or TFE settings leaks in. */
function baseEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Starts `tfe args…`; the caller waits on `done`. */
export function startCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? root,
    env: baseEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<CliResult>((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `tfe args…` to the end. */
export function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** The one JSON document a `--json` command wrote on stdout. */
// biome-ignore lint/suspicious/noExplicitAny: the document is checked field by field in the tests
export function json(result: CliResult): any {
  return JSON.parse(result.stdout);
}

export interface FakeContext {
  fake: FakeTfe;
  /** TFE_ADDRESS, TFE_TOKEN, TFE_ORGANIZATION of the fake. */
  env: Record<string, string>;
  /** A directory with two resources to upload. */
  dir: string;
}

/** A fresh fake TFE (fast steps, no rate limit) and a configuration directory for each test. */
export function useFake(options: StartFakeTfeOptions = {}): FakeContext {
  const ctx = {} as FakeContext;
  beforeEach(async () => {
    ctx.fake = await startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0, ...options });
    ctx.env = {
      TFE_ADDRESS: ctx.fake.url,
      TFE_TOKEN: ctx.fake.token,
      TFE_ORGANIZATION: ctx.fake.organization,
    };
    ctx.dir = mkdtempSync(join(tmpdir(), 'tfe-cli-'));
    writeFileSync(
      join(ctx.dir, 'main.tf'),
      'resource "null_resource" "a" {}\nresource "null_resource" "b" {}\n',
    );
  });
  afterEach(async () => {
    await ctx.fake.close();
    rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

/** The fake's runs, oldest first. */
export function runsOf(fake: FakeTfe) {
  return [...fake.core.store.runs.values()].sort((a, b) => a.seq - b.seq);
}
