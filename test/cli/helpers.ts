// Runs the BUILT `tfe` (dist/cli/main.js, which imports the SDK by the package's own name) as a child process
// against a fake TFE in this process. `npm test` builds first; alone, run `npm run build` before these tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, beforeAll } from 'vitest';
import { TfeClient } from '../../src/index.js';
import { type FakeTfe, type StartFakeTfeOptions, startFakeTfe } from '../../src/testing/index.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Fast polling for every waiting command: the fake moves a state every few ms. */
export const POLL = ['--poll-interval', '20ms'];

/** `tfe run` on the fake's `demo` workspace and the test's directory, polling fast, then `args`. */
export const runArgs = (ctx: FakeContext, ...args: string[]) => [
  'run',
  '--workspace',
  'demo',
  '--dir',
  ctx.dir,
  ...POLL,
  ...args,
];

let bin: string;

/** Points the tests at the built CLI (or at `TFE_CLI` when set). */
export function useBuiltCli(): void {
  beforeAll(() => {
    bin = resolve(root, process.env.TFE_CLI ?? 'dist/cli/main.js');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` before the CLI tests.`);
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

/**
 * `test` with a `ctx` fixture: a fresh fake TFE (fast steps, no rate limit) and a configuration directory for
 * each test, so tests can run concurrently (each CLI process spends most of its time starting node).
 */
export function fakeTest(options: StartFakeTfeOptions = {}) {
  return base.extend<{ ctx: FakeContext }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring
    ctx: async ({}, use) => {
      const fake = await startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0, ...options });
      const dir = mkdtempSync(join(tmpdir(), 'tfe-cli-'));
      writeFileSync(
        join(dir, 'main.tf'),
        'resource "null_resource" "a" {}\nresource "null_resource" "b" {}\n',
      );
      const env = { TFE_ADDRESS: fake.url, TFE_TOKEN: fake.token, TFE_ORGANIZATION: fake.organization };
      try {
        await use({ fake, env, dir });
      } finally {
        await fake.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
}

/** An SDK client on the fake, to set up state in this process instead of spawning the CLI for it. */
export function sdk(fake: FakeTfe): TfeClient {
  return new TfeClient({ token: fake.token, address: fake.url, env: {} });
}

/**
 * A run on `workspace` created in this process and waited until it settles (waiting for confirmation unless
 * `apply` is `auto`); returns its id.
 */
export async function settledRun(
  ctx: FakeContext,
  options: { workspace?: string; apply?: 'auto' | 'never'; planOnly?: boolean } = {},
): Promise<string> {
  const tfe = sdk(ctx.fake);
  try {
    const result = await tfe.workflows.run({
      workspace: { organization: ctx.fake.organization, name: options.workspace ?? 'demo' },
      source: ctx.dir,
      apply: options.apply ?? 'never',
      planOnly: options.planOnly,
      message: 'Triggered by tfe (tfe-client CLI)',
      pollIntervalMs: 10,
    });
    return result.run.id;
  } finally {
    tfe.close();
  }
}

/** The fake's runs, oldest first. */
export function runsOf(fake: FakeTfe) {
  return [...fake.core.store.runs.values()].sort((a, b) => a.seq - b.seq);
}
