// The GitLab CI template, run as a GitLab runner would run its jobs: each `script:` line through bash, with the
// job's variables and GitLab's predefined CI variables, against the fake TFE and a loopback GitLab API. `npx` is a
// stand-in that runs the built CLI (dist/cli/main.js), so no package is fetched.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { test as base, beforeAll, describe, expect } from 'vitest';
import { parse } from 'yaml';
import { type FakeTfe, startFakeTfe } from '../../src/testing/index.js';
import { startFakeGitlab } from '../cli/fake-code-hosts.js';

const root = resolve(import.meta.dirname, '../..');
const cliBin = join(root, 'dist/cli/main.js');
const template = parse(readFileSync(join(root, 'ci/gitlab/tfe-client.gitlab-ci.yml'), 'utf8'));

beforeAll(() => {
  if (!existsSync(cliBin)) throw new Error(`${cliBin} is missing: run \`npm run build\` before these tests.`);
});

interface Job {
  variables: Record<string, string>;
  script: string[];
  rules?: Array<{ if: string }>;
  artifacts?: { reports?: { dotenv?: string } };
  resource_group?: string;
}

/** A hidden job with its `extends` chain merged in, as GitLab merges it (variables and keys, the job's own last). */
function resolveJob(name: string): Job {
  const job = template[name];
  const parent: Partial<Job> = job.extends ? resolveJob(job.extends) : {};
  return {
    ...parent,
    ...job,
    variables: { ...template.variables, ...parent.variables, ...job.variables },
  };
}

interface Ctx {
  fake: FakeTfe;
  /** CI_PROJECT_DIR: the checked-out repository with a configuration. */
  project: string;
  /** A PATH directory with the `npx` stand-in. */
  bin: string;
}

const test = base.extend<{ ctx: Ctx }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures take their dependencies by destructuring
  ctx: async ({}, use) => {
    const fake = await startFakeTfe({ stepMs: 5, rateLimitPerSecond: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'tfe-gitlab-'));
    const project = join(dir, 'project');
    const bin = join(dir, 'bin');
    mkdirSync(join(project, 'infra'), { recursive: true });
    mkdirSync(bin);
    writeFileSync(join(project, 'infra/main.tf'), 'resource "null_resource" "a" {}\n');
    const npx = join(bin, 'npx');
    writeFileSync(
      npx,
      [
        '#!/bin/sh',
        '# Stands in for `npx --yes tfe-client@<version>`: runs the built CLI with the remaining arguments.',
        '[ "$1" = "--yes" ] && shift',
        'case "$1" in tfe-client@*) shift ;; *) echo "npx stand-in: unexpected package $1" >&2; exit 97 ;; esac',
        `exec "${process.execPath}" "${cliBin}" "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(npx, 0o755);
    try {
      await use({ fake, project, bin });
    } finally {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

/** Runs every script line of the job with bash, stopping at the first that fails, as a GitLab runner does. */
async function runJob(ctx: Ctx, job: Job, ci: Record<string, string>) {
  const env = {
    PATH: `${ctx.bin}${delimiter}${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '',
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: ctx.project,
    CI_DEFAULT_BRANCH: 'main',
    TFE_ADDRESS: ctx.fake.url,
    TFE_TOKEN: ctx.fake.token,
    TFE_ORGANIZATION: ctx.fake.organization,
    TFE_WORKSPACE: 'demo',
    ...job.variables,
    ...ci,
  };
  let output = '';
  for (const line of job.script) {
    const code = await new Promise<number | null>((done) => {
      const child = spawn('bash', ['-c', line], { cwd: ctx.project, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.on('close', done);
    });
    if (code !== 0) return { code, output };
  }
  return { code: 0, output };
}

function dotenvReport(ctx: Ctx, job: Job): Record<string, string> {
  const file = join(ctx.project, job.artifacts?.reports?.dotenv ?? 'missing');
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('the GitLab CI template', () => {
  test('its hidden jobs plan on merge requests and apply on the default branch', () => {
    const plan = resolveJob('.tfe-plan');
    const apply = resolveJob('.tfe-apply');
    expect(plan.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(apply.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitLab variable, expanded by GitLab
    expect(apply.resource_group).toBe('tfe-${TFE_WORKSPACE}');
    for (const job of [plan, apply]) {
      expect(job.artifacts?.reports?.dotenv).toBe('tfe.env');
      expect((template['.tfe-base'] as { image: string }).image).toMatch(/^node:\d+/);
    }
  });
});

describe.concurrent('the GitLab CI template’s jobs, run', () => {
  test('.tfe-plan: a plan-only run, its dotenv report, and one merge request note', async ({ ctx }) => {
    const gitlab = await startFakeGitlab({ token: 'glpat-test', project: '42', iid: 3 });
    try {
      const job = resolveJob('.tfe-plan');
      const r = await runJob(
        ctx,
        { ...job, variables: { ...job.variables, TFE_DIRECTORY: 'infra' } },
        {
          CI_PIPELINE_SOURCE: 'merge_request_event',
          CI_MERGE_REQUEST_IID: '3',
          CI_PROJECT_ID: '42',
          CI_API_V4_URL: `${gitlab.url}/api/v4`,
          GITLAB_TOKEN: 'glpat-test',
        },
      );
      expect(r.code, r.output).toBe(0);
      const run = [...ctx.fake.core.store.runs.values()][0]!;
      expect(run).toMatchObject({ planOnly: true });
      expect([...(ctx.fake.core.uploadedFiles(run.configurationVersionId)?.keys() ?? [])]).toEqual([
        'main.tf',
      ]);
      expect(dotenvReport(ctx, job)).toMatchObject({
        TFE_RUN_ID: run.id,
        TFE_RUN_STATUS: 'planned_and_finished',
        TFE_RUN_OUTCOME: 'planned_with_changes',
        TFE_HAS_CHANGES: 'true',
        TFE_PLAN_ID: run.planId,
      });
      expect(gitlab.comments).toHaveLength(1);
      expect(gitlab.comments[0]!.body).toContain('tfe-client:plan-review workspace=acme/demo');
      expect(gitlab.requests.every((q) => q.headers['private-token'] === 'glpat-test')).toBe(true);
    } finally {
      await gitlab.close();
    }
  }, 60_000);

  test('.tfe-apply: applies on the default branch, with extra flags from TFE_RUN_ARGS', async ({ ctx }) => {
    const job = resolveJob('.tfe-apply');
    const r = await runJob(
      ctx,
      {
        ...job,
        variables: { ...job.variables, TFE_DIRECTORY: 'infra', TFE_RUN_ARGS: '--message deploy-42' },
      },
      { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' },
    );
    expect(r.code, r.output).toBe(0);
    const run = [...ctx.fake.core.store.runs.values()][0]!;
    expect(run).toMatchObject({ autoApply: true, message: 'deploy-42', status: 'applied' });
    expect(dotenvReport(ctx, job)).toMatchObject({ TFE_RUN_ID: run.id, TFE_RUN_OUTCOME: 'applied' });
  }, 60_000);

  test('a failed run fails the job (exit 1), and the dotenv report still says why', async ({ ctx }) => {
    ctx.fake.core.nextRun({ errorDuring: 'plan' });
    const job = resolveJob('.tfe-apply');
    const r = await runJob(
      ctx,
      { ...job, variables: { ...job.variables, TFE_DIRECTORY: 'infra' } },
      { CI_COMMIT_BRANCH: 'main' },
    );
    expect(r.code).toBe(1);
    expect(r.output).toContain('errored: read the plan log');
    expect(dotenvReport(ctx, job)).toMatchObject({ TFE_RUN_OUTCOME: 'errored' });
  }, 60_000);
});
