// Situations a newcomer meets (issue #19), each through the built CLI on a fake TFE over loopback: a closed
// stdout, report files and uploads checked before anything is created, a watched run left alone on Ctrl-C, and
// errored and queued runs that say why.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { printed } from '../helpers/child-output.js';
import {
  type CliResult,
  cli,
  type FakeContext,
  fakeTest,
  json,
  POLL,
  root,
  runArgs as run,
  runsOf,
  sdk,
  settledRun,
  startCli,
  useBuiltCli,
} from './helpers.js';

useBuiltCli();
const test = fakeTest();

const bin = () => resolve(root, process.env.TFE_CLI ?? 'dist/cli/main.js');

/** `tfe args…` with its stdout's reader gone before it writes anything: every write meets a closed pipe. */
function withClosedStdout(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [bin(), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout: '', stderr })),
  );
}

/** What the fake was asked to create: configuration versions and runs. */
function created(ctx: FakeContext) {
  return ctx.fake.core.requests.filter((r) => r.method === 'POST').map((r) => r.path);
}

/** A run on the demo workspace created in this process, its id returned at once (not waited for). */
async function startedRun(ctx: FakeContext): Promise<string> {
  const tfe = sdk(ctx.fake);
  try {
    const workspaceId = ctx.fake.core.workspace('demo').id;
    const cv = await tfe.configurationVersions.createAndUpload(workspaceId, ctx.dir, { pollIntervalMs: 10 });
    return (await tfe.runs.create({ workspaceId, configurationVersionId: cv.id })).id;
  } finally {
    tfe.close();
  }
}

const noStackTrace = (r: CliResult) => {
  expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
};

describe.concurrent('a closed stdout ends the command quietly', () => {
  test('tfe --help | true exits 0 under set -o pipefail, without a stack trace', async () => {
    const r = await new Promise<CliResult>((done) => {
      const child = spawn('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin()}" --help | true`], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '' },
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (code, signal) => done({ code, signal, stdout: '', stderr }));
    });
    expect(r.code).toBe(0);
    noStackTrace(r);
  });

  test('tfe run list whose reader is gone exits 0 without a stack trace', async ({ ctx }) => {
    await settledRun(ctx, { apply: 'auto' });
    const r = await withClosedStdout(['run', 'list', '--workspace', 'demo'], ctx.env);
    expect(r.code).toBe(0);
    noStackTrace(r);
  });

  test('tfe run logs --follow whose reader is gone exits 0 and leaves the run going', async ({ ctx }) => {
    const runId = await startedRun(ctx);
    const r = await withClosedStdout(['run', 'logs', runId, '--follow', ...POLL], ctx.env);
    expect(r.code).toBe(0);
    noStackTrace(r);
    const record = ctx.fake.core.run(runId);
    expect(record?.cancelRequested).toBe(false);
    expect(ctx.fake.core.requests.filter((q) => q.path.includes('/actions/'))).toEqual([]);
  });
});

describe.concurrent('report files are checked before anything is created', () => {
  test('--dotenv in a directory that does not exist: exit 3 naming it, nothing created', async ({ ctx }) => {
    const r = await cli(run(ctx, '--apply', 'auto', '--dotenv', '/nonexistent/x.env'), { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--dotenv /nonexistent/x.env: its directory /nonexistent does not exist');
    expect(r.stderr).toContain('See tfe run --help.');
    expect(created(ctx)).toEqual([]);
    expect(runsOf(ctx.fake)).toEqual([]);
  });

  test('a GITHUB_OUTPUT that cannot be written: exit 3 naming the variable, nothing created', async ({
    ctx,
  }) => {
    const env = { ...ctx.env, GITHUB_OUTPUT: '/nonexistent/dir/output' };
    const r = await cli(run(ctx, '--apply', 'auto', '--json'), { env });
    expect(r.code).toBe(3);
    expect(json(r).error.message).toContain('GITHUB_OUTPUT /nonexistent/dir/output');
    expect(created(ctx)).toEqual([]);
  });

  test('a GITHUB_STEP_SUMMARY that is a directory: exit 3, tfe run create creates no run', async ({
    ctx,
  }) => {
    const env = { ...ctx.env, GITHUB_STEP_SUMMARY: ctx.dir };
    const r = await cli(['run', 'create', '--workspace', 'demo', '--wait', ...POLL], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`GITHUB_STEP_SUMMARY ${ctx.dir}: is a directory`);
    expect(created(ctx)).toEqual([]);
  });

  test('tfe run wait with a bad --dotenv reads nothing and exits 3', async ({ ctx }) => {
    const r = await cli(['run', 'wait', 'run-abc', '--dotenv', join(ctx.dir, 'no', 'such.env')], {
      env: ctx.env,
    });
    expect(r.code).toBe(3);
    expect(ctx.fake.core.requests).toEqual([]);
  });
});

describe.concurrent('what would be uploaded is checked before a configuration version exists', () => {
  test('a --tarball that is not gzip: exit 3, nothing created', async ({ ctx }) => {
    const tarball = join(ctx.dir, 'config.tar.gz');
    writeFileSync(tarball, 'main.tf\0not a gzip stream');
    const r = await cli(['run', '--workspace', 'demo', '--tarball', tarball], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`--tarball ${tarball} is not gzip-compressed`);
    expect(created(ctx)).toEqual([]);
  });

  test('a directory without Terraform files: exit 3 saying Terraform would refuse it', async ({ ctx }) => {
    const dir = join(ctx.dir, 'docs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'README.md'), '# not a configuration\n');
    const r = await cli(['run', '--workspace', 'demo', '--dir', dir], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('has no Terraform configuration files');
    expect(r.stderr).toContain('No configuration files');
    expect(created(ctx)).toEqual([]);
  });

  test('tfe upload refuses the same directory before creating anything', async ({ ctx }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tfe-empty-'));
    try {
      const r = await cli(['upload', '--workspace', 'demo', '--dir', dir], { env: ctx.env });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('has no Terraform configuration files');
      expect(created(ctx)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('node_modules in the upload: a warning naming it and .terraformignore, and the run goes on', async ({
    ctx,
  }) => {
    mkdirSync(join(ctx.dir, 'node_modules', 'left-pad'), { recursive: true });
    writeFileSync(join(ctx.dir, 'node_modules', 'left-pad', 'index.js'), 'x'.repeat(300_000));
    const r = await cli(run(ctx, '--plan-only'), { env: ctx.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning: --dir \S+ would upload 2 files, [\d.]+ kB, including node_modules\//);
    expect(r.stderr).toContain(join(ctx.dir, '.terraformignore'));
  });
});

// The run stays queued (plan_queued) long enough for the test to interrupt the command that waits on it.
const slowQueue = fakeTest({ stepMsByStatus: { plan_queued: 120_000 } });

describe.concurrent('tfe run wait only watches', () => {
  slowQueue('SIGINT leaves the run it waits for as it is (exit 130)', async ({ ctx }) => {
    const runId = await startedRun(ctx);
    const { child, done } = startCli(['run', 'wait', runId, ...POLL], { env: ctx.env });
    await printed(child, /\] Run plan_queued\n/, 'stderr');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`run ${runId} was left as it is`);
    expect(ctx.fake.core.run(runId)).toMatchObject({ status: 'plan_queued', cancelRequested: false });
    expect(ctx.fake.core.requests.filter((q) => q.path.includes('/actions/'))).toEqual([]);
  });

  slowQueue('--on-interrupt cancel stops it', async ({ ctx }) => {
    const runId = await startedRun(ctx);
    const { child, done } = startCli(['run', 'wait', runId, '--on-interrupt', 'cancel', ...POLL], {
      env: ctx.env,
    });
    await printed(child, /\] Run plan_queued\n/, 'stderr');
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(new RegExp(`run ${runId} was (canceled|discarded)`));
  });
});

describe.concurrent('an errored run says why', () => {
  test('tfe run quotes the plan error with its file and line, and the command for the whole log', async ({
    ctx,
  }) => {
    ctx.fake.core.nextRun({ errorDuring: 'plan' });
    const summary = join(ctx.dir, 'summary.md');
    const r = await cli(run(ctx, '--json'), { env: { ...ctx.env, GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(doc).toMatchObject({ status: 'errored', outcome: 'errored' });
    expect(doc.failure).toEqual({
      phase: 'plan',
      errors: [
        {
          summary: 'Unsupported argument',
          detail: 'An argument named "triggerz" is not expected here. Did you mean "triggers"?',
          filename: 'main.tf',
          line: 2,
          address: null,
        },
      ],
      logTail: [],
      logCommand: `tfe run logs ${doc.runId} --phase plan`,
    });
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('Error: Unsupported argument (main.tf line 2)');
    expect(md).toContain(`tfe run logs ${doc.runId} --phase plan`);
  });

  test('in the terminal, an apply error names the resource', async ({ ctx }) => {
    ctx.fake.core.nextRun({ errorDuring: 'apply' });
    const r = await cli(run(ctx, '--apply', 'auto'), { env: ctx.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: errored\n/);
    expect(r.stdout).toContain('Error: local-exec provisioner error (main.tf line 2) [null_resource.a]');
    expect(r.stdout).toMatch(/Whole apply log: tfe run logs run-\w+ --phase apply/);
  });
});

const textLogs = fakeTest({ logFormat: 'text' });

textLogs('an errored run with plain-text logs quotes the framed Error block', async ({ ctx }) => {
  ctx.fake.core.nextRun({ errorDuring: 'plan' });
  const r = await cli(run(ctx, '--json'), { env: ctx.env });
  expect(r.code).toBe(1);
  expect(json(r).failure.errors).toEqual([
    {
      summary: 'Unsupported argument',
      detail: 'An argument named "triggerz" is not expected here. Did you mean "triggers"?',
      filename: 'main.tf',
      line: 2,
      address: null,
    },
  ]);
});

describe.concurrent('a queued run says what it waits for', () => {
  test('in CI, tfe run behind a run awaiting confirmation names it, says how to move on, exits 1', async ({
    ctx,
  }) => {
    const ahead = await settledRun(ctx);
    const env = { ...ctx.env, CI: 'true' };
    const r = await cli(run(ctx, '--json', '--queue-timeout', '2s'), { env });
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(r.stderr).toContain(`behind run ${ahead} (`);
    expect(r.stderr).toContain(`tfe run discard ${ahead}`);
    expect(r.stderr).toContain(`tfe run force-execute ${doc.runId}`);
    expect(doc.error.message).toContain('waited in the queue');
    expect(doc.queue).toMatchObject({
      aheadRunId: ahead,
      aheadRunUrl: `${ctx.fake.url}/app/acme/workspaces/demo/runs/${ahead}`,
    });
    // tfe run started it, so it takes it out of the queue; the run ahead is untouched.
    expect(ctx.fake.core.run(doc.runId)?.status).toMatch(/^(canceled|discarded)$/);
    expect(ctx.fake.core.run(ahead)?.paused).toBe(true);
  });

  test('tfe run wait on a pending run gives up in CI and leaves it queued', async ({ ctx }) => {
    await settledRun(ctx);
    const runId = await startedRun(ctx);
    const env = { ...ctx.env, CI: 'true' };
    const r = await cli(['run', 'wait', runId, '--queue-timeout', '1s', ...POLL], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('waited in the queue');
    expect(r.stderr).toContain(`run ${runId} was left as it is`);
    expect(ctx.fake.core.run(runId)?.status).toBe('pending');
  });
});

test("the fake's state outputs hold values, not the expressions' source text", async ({ ctx }) => {
  writeFileSync(
    join(ctx.dir, 'outputs.tf'),
    [
      'variable "name" {\n  default = "nobody"\n}',
      'variable "size" {\n  default = 2\n}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an HCL template, written as Terraform reads it
      'output "greeting" { value = "hello ${var.name}" }',
      'output "size" { value = var.size }',
      'output "id" { value = null_resource.a.id }',
      '',
    ].join('\n'),
  );
  const applied = await cli(run(ctx, '--apply', 'auto', '--var', 'name=world'), { env: ctx.env });
  expect(applied.code).toBe(0);
  const r = await cli(['outputs', '--workspace', 'demo', '--json'], { env: ctx.env });
  expect(r.code).toBe(0);
  const { outputs } = json(r);
  expect(outputs.greeting.value).toBe('hello world');
  expect(outputs.size).toMatchObject({ value: 2, type: 'number' });
  expect(outputs.id.value).toMatch(/^\d{10}$/);
});
