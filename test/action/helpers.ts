// Runs the COMMITTED action bundle (action/dist/index.cjs) as the runner does: `node` in a child process with
// INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the repository as its working directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base } from 'vitest';
import { type FakeTfe, type StartFakeTfeOptions, startFakeTfe } from '../../src/testing/index.js';

export const root = resolve(import.meta.dirname, '../..');
export const bundle = join(root, 'action/dist/index.cjs');

/** One job on the fake TFE: the checked-out repository and the runner's files. */
export interface ActionContext {
  fake: FakeTfe;
  /** The step's working directory: a configuration with two resources. */
  repo: string;
  outputFile: string;
  summaryFile: string;
}

/** What a finished step left. */
export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT as name → value (single-line values). */
  outputs: Record<string, string>;
  summary: string;
}

/** `test` with a fresh fake TFE (fast, no rate limit) and a job's directories for each test. */
export function actionTest(options: StartFakeTfeOptions = {}) {
  return base.extend<{ ctx: ActionContext }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring
    ctx: async ({}, use) => {
      const fake = await startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0, ...options });
      const job = mkdtempSync(join(tmpdir(), 'tfe-action-'));
      const repo = join(job, 'repo');
      const runner = join(job, 'runner');
      mkdirSync(repo);
      mkdirSync(runner);
      writeFileSync(
        join(repo, 'main.tf'),
        'resource "null_resource" "a" {}\nresource "null_resource" "b" {}\n',
      );
      const outputFile = join(runner, 'output');
      const summaryFile = join(runner, 'summary.md');
      writeFileSync(outputFile, '');
      writeFileSync(summaryFile, '');
      try {
        await use({ fake, repo, outputFile, summaryFile });
      } finally {
        await fake.close();
        rmSync(job, { recursive: true, force: true });
      }
    },
  });
}

/** `with:` inputs as the runner passes them: INPUT_<NAME>, upper-cased, hyphens kept. */
export function inputsEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
}

/** Starts the action step; `inputs` as in `with:`, `env` added to the job's environment. */
export function startStep(
  ctx: ActionContext,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  entry: string = bundle,
): { child: ChildProcess; done: Promise<StepResult> } {
  const child = spawn(process.execPath, [entry], {
    cwd: ctx.repo,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: ctx.outputFile,
      GITHUB_STEP_SUMMARY: ctx.summaryFile,
      ...inputsEnv({
        address: ctx.fake.url,
        organization: ctx.fake.organization,
        'poll-interval': '20ms',
        ...inputs,
      }),
      ...env,
    },
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
  const done = new Promise<StepResult>((resolvePromise) => {
    child.on('close', (code) => {
      const outputs: Record<string, string> = {};
      for (const line of readFileSync(ctx.outputFile, 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
      }
      resolvePromise({ code, stdout, stderr, outputs, summary: readFileSync(ctx.summaryFile, 'utf8') });
    });
  });
  return { child, done };
}

/** Runs the action step to the end; `entry` is another copy of the bundle to run. */
export function step(
  ctx: ActionContext,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  entry: string = bundle,
): Promise<StepResult> {
  return startStep(ctx, inputs, env, entry).done;
}
