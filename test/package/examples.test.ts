// Runs every example in examples/ as a user would (`node examples/x.mjs`), through the built package (they
// import `tfe-client` by name), against the fake TFE each starts when TFE_TOKEN is unset.
// examples/fake-tfe.test.mjs, a vitest suite, runs in `npm run test:package` from an installed tarball.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printed } from '../helpers/child-output.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user without TFE credentials, so each example picks the fake. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const key of Object.keys(env)) {
    if (/^(TFE_|TF_API_TOKEN|TF_CLOUD_HOSTNAME|GITHUB_)/.test(key) && !(key in extra)) delete env[key];
  }
  return env;
}

function start(example: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [join('examples', example)], {
    cwd: root,
    env: cleanEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess, input?: string): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const runExample = (example: string, options: { env?: Record<string, string>; input?: string } = {}) =>
  finished(start(example, options.env), options.input);

let work: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'tfe-client-examples-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Independent processes, each with its own fake: run side by side. Each polls at the SDK's default pace
// (about 1 s, growing), so a loaded machine needs more than the suite's default timeout.
describe.concurrent('examples', { timeout: 60_000 }, () => {
  it('run-from-directory uploads the configuration, creates a run and waits until it needs confirmation', async () => {
    const { code, stdout, stderr } = await runExample('run-from-directory.mjs');
    expect(stderr).toMatch(/^\(TFE_TOKEN is not set: using the fake TFE at http:\/\/127\.0\.0\.1:\d+\)\n$/);
    expect(stdout).toMatch(/configuration version cv-\S+: uploaded/);
    expect(stdout).toMatch(
      /run run-\S+ created: http:\/\/127\.0\.0\.1:\d+\/app\/acme\/workspaces\/demo\/runs\/run-/,
    );
    expect(stdout).toMatch(/→ policy_checked\n/);
    expect(stdout).toContain('outcome: needs_confirmation (status policy_checked)');
    expect(code).toBe(0);
  });

  it('pull-request-plan writes a Markdown summary with the counts and each planned change', async () => {
    const summaryFile = join(work, 'step-summary.md');
    const { code, stdout } = await runExample('pull-request-plan.mjs', {
      env: { GITHUB_STEP_SUMMARY: summaryFile },
    });
    expect(stdout.startsWith('### ✅ Terraform plan')).toBe(true); // only Markdown on stdout: it can be piped
    expect(stdout).toContain('### ✅ Terraform plan for `acme/demo`');
    expect(stdout).toContain('**2** to add, **0** to change, **0** to destroy');
    expect(stdout).toContain('| ➕ create | `terraform_data.greeting` |');
    expect(stdout).toMatch(
      /Outcome `planned_with_changes` · \[run run-\S+\]\(http:\/\/127\.0\.0\.1:\d+\/app\//,
    );
    expect(readFileSync(summaryFile, 'utf8')).toBe(stdout);
    expect(code).toBe(0);
  });

  it('apply-after-confirmation applies when the answer is yes', async () => {
    const { code, stdout } = await runExample('apply-after-confirmation.mjs', { input: 'yes\n' });
    expect(stdout).toContain('plan: 2 to add, 0 to change, 0 to destroy');
    expect(stdout).toContain('Apply these changes?');
    expect(stdout).toContain('outcome: applied');
    expect(code).toBe(0);
  });

  it('apply-after-confirmation discards the run on any other answer', async () => {
    const { code, stdout } = await runExample('apply-after-confirmation.mjs', { input: 'y\n' });
    expect(stdout).toContain('not confirmed: run discarded');
    expect(stdout).not.toContain('outcome: applied');
    expect(code).toBe(1);
  });

  it('discard-stale-runs discards the pending runs queued behind another', async () => {
    const { code, stdout } = await runExample('discard-stale-runs.mjs');
    expect(stdout.match(/^run-\S+: pending for 0 min, discarded \(queued (behind it|too)\)$/gm)).toHaveLength(
      2,
    );
    expect(stdout).toContain('2 stale pending run(s)\n');
    expect(stdout).not.toContain('holds the workspace');
    expect(code).toBe(0);
  });

  it('discard-stale-runs only lists them with DRY_RUN', async () => {
    const { code, stdout } = await runExample('discard-stale-runs.mjs', { env: { DRY_RUN: '1' } });
    expect(stdout.match(/would discard/g)).toHaveLength(2);
    expect(stdout).not.toMatch(/, discarded/);
    expect(stdout).toContain('2 stale pending run(s) (dry run: none discarded)');
    expect(code).toBe(0);
  });

  it('cancel-on-ctrl-c cancels the planning run on SIGINT and exits 130', async () => {
    const child = start('cancel-on-ctrl-c.mjs');
    const done = finished(child);
    await printed(child, /^ {2}planning$/m);
    child.kill('SIGINT');
    const { code, stdout } = await done;
    expect(stdout).toContain('Ctrl-C: stopping the run…');
    expect(stdout).toMatch(/^run run-\S+ canceled$/m);
    expect(code).toBe(130);
  });
});
