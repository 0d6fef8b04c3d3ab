import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, type WorkflowEvent } from '../../src/index.js';
import { FakeTfeCore, type FakeTfeCoreOptions } from '../../src/testing/index.js';
import { createFakeTfeHandlers } from '../../src/testing/msw.js';
import { BASE, TOKEN, testClient, useMsw } from '../helpers/api.js';

const server = useMsw();
let core: FakeTfeCore | undefined;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfe-workflow-'));
  writeFileSync(join(dir, 'main.tf'), 'resource "terraform_data" "a" {}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  core?.close();
  core = undefined;
});

/** A client talking to a fresh fake TFE through msw. */
function fakeTfe(options: FakeTfeCoreOptions) {
  core = new FakeTfeCore({ token: TOKEN, ...options });
  server.use(...createFakeTfeHandlers(core, { baseUrl: BASE }));
  return testClient();
}

const workspace = { organization: 'acme', name: 'demo' };
const pollIntervalMs = { initialMs: 5, maxMs: 10 };

describe('workflows.run deadline', () => {
  it('a deadline past setTimeout’s range (30 days) does not end the workflow at once', async () => {
    const tfe = fakeTfe({ stepMs: 5 });
    const result = await tfe.workflows.run({
      workspace,
      source: dir,
      pollIntervalMs,
      timeoutMs: 30 * 86_400_000,
    });
    expect(result.outcome).toBe('needs_confirmation');
  });

  it('the deadline ends the workflow with its own AbortError and stops the run it created', async () => {
    // The run stays in its first state for a minute: only the deadline can end the wait. 2 s leaves a loaded
    // machine room to create the run first (what this test is about).
    const tfe = fakeTfe({ stepMs: 60_000, uploadProcessingMs: 1 });
    const events: WorkflowEvent[] = [];
    const err = await tfe.workflows
      .run({ workspace, source: dir, pollIntervalMs, timeoutMs: 2000, onEvent: (e) => events.push(e) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).message).toBe('The workflow ran past its 2000 ms deadline and was stopped.');
    expect(events.find((e) => e.type === 'run_stopped')).toMatchObject({
      action: expect.stringMatching(/^(cancel|discard)$/),
    });
  });

  it('the caller’s abort ends the workflow with the caller’s AbortError, not the deadline’s', async () => {
    const tfe = fakeTfe({ stepMs: 60_000, uploadProcessingMs: 1 });
    const controller = new AbortController();
    const err = await tfe.workflows
      .run({
        workspace,
        source: dir,
        pollIntervalMs,
        timeoutMs: 60_000,
        signal: controller.signal,
        onEvent: (e) => e.type === 'run_created' && controller.abort(),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).message).not.toContain('deadline');
  });
});

describe('workflows.run with savePlan', () => {
  it('uploads to a provisional configuration version, as the Runs API docs advise, and ends saved', async () => {
    const tfe = fakeTfe({ stepMs: 5 });
    const before = core!.workspace('demo').currentConfigurationVersionId;
    const result = await tfe.workflows.run({ workspace, source: dir, pollIntervalMs, savePlan: true });
    expect(result.outcome).toBe('saved');
    expect(result.run.status).toBe('planned_and_saved');
    expect(result.configurationVersion.provisional).toBe(true);
    expect(core!.store.configurationVersions.get(result.configurationVersion.id)?.provisional).toBe(true);
    // Not applied: the workspace keeps the configuration version it had.
    expect(core!.workspace('demo').currentConfigurationVersionId).toBe(before);
  });

  it('a run without savePlan uploads to an ordinary configuration version', async () => {
    const tfe = fakeTfe({ stepMs: 5 });
    const result = await tfe.workflows.run({ workspace, source: dir, pollIntervalMs, planOnly: true });
    expect(core!.store.configurationVersions.get(result.configurationVersion.id)?.provisional).toBe(false);
  });
});

describe('workflows.run pack options', () => {
  it('refuses a bad pack option before anything is created, naming it', async () => {
    const tfe = fakeTfe({ stepMs: 5 });
    const err = await tfe.workflows
      .run({ workspace, source: dir, pack: { symlinks: 'follow' as 'refuse' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PackError', code: 'INVALID_OPTION', path: 'symlinks' });
    expect(core?.requests).toEqual([]);
  });

  it("passes them to the upload: symlinks 'refuse' stops a tree with an outside link", async () => {
    const tree = mkdtempSync(join(tmpdir(), 'tfe-workflow-link-'));
    try {
      writeFileSync(join(tree, 'main.tf'), 'resource "terraform_data" "a" {}\n');
      symlinkSync(join(dir, 'main.tf'), join(tree, 'shared.tf'));
      const tfe = fakeTfe({ stepMs: 5 });
      const err = await tfe.workflows
        .run({ workspace, source: tree, pollIntervalMs, pack: { symlinks: 'refuse' } })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'PackError', code: 'SYMLINK_OUTSIDE_ROOT', path: 'shared.tf' });
      expect(core?.store.runs.size).toBe(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
