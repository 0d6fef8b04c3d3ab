// `--pr-comment` and the plan review output through the BUILT CLI: a fake TFE, and loopback fake GitHub and
// GitLab APIs that check one comment per workspace is created, then updated — never duplicated.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { startFakeGithub, startFakeGitlab } from './fake-code-hosts.js';
import { cli, type FakeContext, fakeTest, json, runArgs, settledRun, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest({ workspaces: ['demo', 'staging'] });

const MARKER = /<!-- tfe-client:plan-review workspace=acme\/(\w+) -->/;
// One directory per environment: the tests run concurrently.
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function githubEnv(ctx: FakeContext, api: string, event = 'pull_request') {
  const tmp = mkdtempSync(join(tmpdir(), 'tfe-pr-'));
  dirs.push(tmp);
  const eventPath = join(tmp, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7 } }));
  return {
    ...ctx.env,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_API_URL: api,
    GITHUB_TOKEN: 'gh-token-123',
    GITHUB_STEP_SUMMARY: join(tmp, 'summary.md'),
  };
}

/** Every header value a code host received, to prove the TFE token never reached it. */
const headerValues = (requests: { headers: Record<string, unknown> }[]) =>
  requests.flatMap((r) => Object.values(r.headers).map(String));

describe.concurrent('--pr-comment on GitHub', () => {
  test('creates one comment, then updates it on the next run, through pages of other comments', {
    timeout: 90_000,
  }, async ({ ctx }) => {
    const gh = await startFakeGithub({ token: 'gh-token-123', repo: 'acme/infra', pr: 7, others: 150 });
    try {
      const env = githubEnv(ctx, gh.url);
      const first = await cli(runArgs(ctx, '--plan-only', '--pr-comment', '--json'), { env });
      expect(first.code).toBe(0);
      const doc = json(first);
      expect(doc.prComment).toMatchObject({ status: 'created', where: 'acme/infra#7' });
      expect(doc.planSummary.totals).toEqual({ add: 2, change: 0, destroy: 0, import: 0 });
      expect(first.stderr).toContain('--pr-comment: created the plan comment on acme/infra#7');

      const second = await cli(runArgs(ctx, '--plan-only', '--pr-comment', '--json'), { env });
      expect(second.code).toBe(0);
      expect(json(second).prComment).toMatchObject({ status: 'updated' });

      const ours = gh.comments.filter((c) => MARKER.test(c.body));
      expect(ours).toHaveLength(1);
      expect(gh.comments).toHaveLength(151);
      expect(ours[0]?.body).toContain(`Run [${json(second).runId}]`);
      expect(ours[0]?.body).toContain('`null_resource.a`');
      expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
      // The second run read both pages (100 + 51) to find the comment the first made.
      expect(
        gh.requests.filter((r) => r.method === 'GET' && r.url.includes('page=2')).length,
      ).toBeGreaterThan(0);
      expect(headerValues(gh.requests).some((v) => v.includes(ctx.fake.token))).toBe(false);
      expect(gh.requests.every((r) => !r.body.includes(ctx.fake.token))).toBe(true);

      const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
      expect(summary).toContain('#### 🟢 Create (2)');
    } finally {
      await gh.close();
    }
  });

  test('two workspaces keep two comments', { timeout: 90_000 }, async ({ ctx }) => {
    const gh = await startFakeGithub({ token: 'gh-token-123', repo: 'acme/infra', pr: 7 });
    try {
      const env = githubEnv(ctx, gh.url);
      for (const ws of ['demo', 'staging', 'demo']) {
        const r = await cli(
          [
            'run',
            '--workspace',
            ws,
            '--dir',
            ctx.dir,
            '--poll-interval',
            '20ms',
            '--plan-only',
            '--pr-comment',
          ],
          {
            env,
          },
        );
        expect(r.code).toBe(0);
      }
      const named = gh.comments.map((c) => c.body.match(MARKER)?.[1]).sort();
      expect(named).toEqual(['demo', 'staging']);
    } finally {
      await gh.close();
    }
  });

  test('outside a pull request it says so and writes nothing; the exit code is the run’s', {
    timeout: 90_000,
  }, async ({ ctx }) => {
    const gh = await startFakeGithub({ token: 'gh-token-123', repo: 'acme/infra', pr: 7 });
    try {
      const r = await cli(runArgs(ctx, '--plan-only', '--pr-comment', '--detailed-exitcode'), {
        env: githubEnv(ctx, gh.url, 'push'),
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        '--pr-comment: this job runs for a push event, not a pull request; no comment written.',
      );
      expect(gh.requests).toHaveLength(0);
    } finally {
      await gh.close();
    }
  });

  test('a refused comment is a warning, not a failed run', { timeout: 90_000 }, async ({ ctx }) => {
    const gh = await startFakeGithub({ token: 'gh-token-123', repo: 'acme/infra', pr: 7 });
    try {
      gh.refuse('POST', 403, 'Resource not accessible by integration');
      const r = await cli(runArgs(ctx, '--plan-only', '--pr-comment', '--json'), {
        env: githubEnv(ctx, gh.url),
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(
        'Warning: --pr-comment: GitHub: GitHub answered 403 to POST /repos/acme/infra/issues/7/comments: Resource not accessible by integration',
      );
      // On the job's summary page too: a warning annotation, as the runner reads workflow commands.
      expect(r.stderr).toContain(
        '::warning title=tfe --pr-comment::--pr-comment: GitHub: GitHub answered 403 to POST /repos/acme/infra/issues/7/comments: Resource not accessible by integration',
      );
      expect(json(r).prComment.status).toBe('failed');
      expect(r.stderr).not.toContain('gh-token-123');
    } finally {
      await gh.close();
    }
  });
});

describe.concurrent('--pr-comment on GitLab', () => {
  test('tfe run show creates one merge request note, then updates it', { timeout: 90_000 }, async ({
    ctx,
  }) => {
    const gl = await startFakeGitlab({ token: 'glpat-xyz', project: 'acme/infra', iid: 3, others: 120 });
    try {
      const runId = await settledRun(ctx, { planOnly: true });
      const env = {
        ...ctx.env,
        GITLAB_CI: 'true',
        CI_API_V4_URL: `${gl.url}/api/v4`,
        CI_PROJECT_ID: 'acme/infra',
        CI_MERGE_REQUEST_IID: '3',
        GITLAB_TOKEN: 'glpat-xyz',
      };
      const first = await cli(['run', 'show', runId, '--pr-comment'], { env });
      expect(first.code).toBe(0);
      expect(first.stderr).toContain(
        '--pr-comment: created the plan comment on merge request !3 of project acme/infra',
      );
      const second = await cli(['run', 'show', runId, '--pr-comment', '--json'], { env });
      expect(json(second).prComment.status).toBe('updated');
      const ours = gl.comments.filter((c) => MARKER.test(c.body));
      expect(ours).toHaveLength(1);
      expect(ours[0]?.body).toContain('#### 🟢 Create (2)');
      expect(gl.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(gl.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
      expect(
        gl.requests.every((r) => r.url.startsWith('/api/v4/projects/acme%2Finfra/merge_requests/3/notes')),
      ).toBe(true);
      expect(headerValues(gl.requests).some((v) => v.includes(ctx.fake.token))).toBe(false);
    } finally {
      await gl.close();
    }
  });

  test('not a merge request pipeline: says so and does nothing', { timeout: 90_000 }, async ({ ctx }) => {
    const runId = await settledRun(ctx, { planOnly: true });
    const r = await cli(['run', 'show', runId, '--pr-comment'], { env: { ...ctx.env, GITLAB_CI: 'true' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not a merge request pipeline');
  });
});

describe.concurrent('tfe plan show', () => {
  test('prints the resource changes, the Markdown, or the raw JSON plan', { timeout: 90_000 }, async ({
    ctx,
  }) => {
    const runId = await settledRun(ctx, { planOnly: true });
    const text = await cli(['plan', 'show', runId], { env: ctx.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Create (2):\n  + null_resource.a\n  + null_resource.b\n');
    expect(text.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
    const md = await cli(['plan', 'show', runId, '--markdown'], { env: ctx.env });
    expect(md.stdout).toMatch(/^### Terraform plan for `acme\/demo`: 2 to add, 0 to change, 0 to destroy\n/);
    expect(md.stdout).toContain(`Run [${runId}](${ctx.fake.url}/app/acme/workspaces/demo/runs/${runId})`);
    const raw = await cli(['plan', 'show', runId, '--json'], { env: ctx.env });
    const plan = json(raw);
    expect(plan.format_version).toBe('1.2');
    expect(plan.resource_changes.map((c: { address: string }) => c.address)).toEqual([
      'null_resource.a',
      'null_resource.b',
    ]);
  });

  test('--json and --markdown together are a usage error', { timeout: 90_000 }, async ({ ctx }) => {
    const r = await cli(['plan', 'show', 'run-x', '--json', '--markdown'], { env: ctx.env });
    expect(r.code).toBe(3);
  });
});
