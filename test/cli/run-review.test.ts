import { describe, expect } from 'vitest';
import { cli, fakeTest, json, settledRun, useBuiltCli } from './helpers.js';

useBuiltCli();
const test = fakeTest();

describe.concurrent('tfe run override-policy', () => {
  test('overrides the soft-failed check, comments why, and the run continues', async ({ ctx }) => {
    ctx.fake.core.nextRun({ policySoftFail: true });
    const id = await settledRun(ctx);
    expect(ctx.fake.core.run(id)?.status).toBe('policy_override');
    const r = await cli(['run', 'override-policy', id, '--comment', 'accepted risk', '--json'], {
      env: ctx.env,
    });
    expect(r.code).toBe(0);
    const policyCheckId = ctx.fake.core.run(id)!.policyCheckId;
    expect(json(r)).toEqual({
      runId: id,
      action: 'override-policy',
      policyChecks: [policyCheckId],
      commentId: expect.any(String),
      exitCode: 0,
    });
    expect(r.stderr).toContain(`Policy check ${policyCheckId} overridden`);
    expect(ctx.fake.core.store.policyChecks.get(policyCheckId)?.status).toBe('overridden');
    expect(ctx.fake.core.run(id)?.comments.map((c) => c.body)).toEqual(['accepted risk']);
    await ctx.fake.core.waitForRunStatus(id, 'policy_checked', 5000);
  });

  test('a run with nothing to override exits 1 saying what its checks are', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const r = await cli(['run', 'override-policy', id, '--json'], { env: ctx.env });
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({
      runId: id,
      error: {
        type: 'NothingToOverride',
        message: `run ${id} has no soft-failed policy check to override: its policy checks are passed.`,
      },
      exitCode: 1,
    });
    expect(ctx.fake.core.requests.some((q) => q.path.includes('/actions/override'))).toBe(false);
  });
});

describe.concurrent('tfe run comment', () => {
  test('adds --body, or the second argument, as a comment and prints its id', async ({ ctx }) => {
    const id = await settledRun(ctx);
    const flag = await cli(['run', 'comment', id, '--body', 'looks good'], { env: ctx.env });
    expect(flag.code).toBe(0);
    const positional = await cli(['run', 'comment', id, 'ship it', '--json'], { env: ctx.env });
    expect(positional.code).toBe(0);
    const comments = [...ctx.fake.core.store.comments.values()].filter((c) => c.runId === id);
    expect(comments.map((c) => c.body)).toEqual(['looks good', 'ship it']);
    expect(flag.stdout).toBe(`${comments[0]!.id}\n`);
    expect(json(positional)).toEqual({ runId: id, commentId: comments[1]!.id, exitCode: 0 });
  });

  test('no body, or two, is a usage error', async ({ ctx }) => {
    const none = await cli(['run', 'comment', 'run-1'], { env: ctx.env });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('what to say? Pass the comment with --body <text>.');
    const both = await cli(['run', 'comment', 'run-1', 'a', '--body', 'b'], { env: ctx.env });
    expect(both.code).toBe(3);
    expect(both.stderr).toContain('the body is given twice');
  });

  test('an unknown run subcommand suggests these too', async ({ ctx }) => {
    const r = await cli(['run', 'coment', 'run-1'], { env: ctx.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('did you mean tfe run comment?');
  });
});
