import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, markdownSummary, type RunReport, writeGithubOutputs } from '../../src/cli/report.js';
import type { RunOutcome } from '../../src/index.js';

describe('exitCodeFor', () => {
  it.each<[RunOutcome, boolean, boolean, number]>([
    ['applied', true, false, 0],
    ['applied', true, true, 2],
    ['planned_no_changes', false, true, 0],
    ['planned_with_changes', true, false, 0],
    ['planned_with_changes', true, true, 2],
    ['needs_confirmation', true, true, 2],
    ['saved', false, false, 0],
    ['errored', true, true, 1],
    ['canceled', false, false, 1],
    ['discarded', true, false, 1],
    ['policy_soft_failed', true, true, 1],
    ['needs_policy_override', true, false, 1],
    ['awaiting_decision', true, false, 1],
    ['unknown', false, false, 1],
  ])('%s (has changes: %s, --detailed-exitcode: %s) exits %i', (outcome, changes, detailed, code) => {
    expect(exitCodeFor(outcome, changes, detailed)).toBe(code);
  });
});

const report: RunReport = {
  runId: 'run-1',
  status: 'errored',
  outcome: 'errored',
  hasChanges: false,
  runUrl: 'https://tfe.test/app/acme/workspaces/prod/runs/run-1',
  message: 'fix | pipe\nand a second line',
  workspace: { id: 'ws-1', name: 'prod', organization: 'acme' },
  configurationVersionId: 'cv-1',
  plan: { status: 'errored', additions: 0, changes: 0, destructions: 0, imports: 0 },
  apply: null,
  exitCode: 1,
};

describe('CI reports', () => {
  it('the step summary marks a failure and keeps the message on one table row', () => {
    const md = markdownSummary(report);
    expect(md).toContain('### ❌ Terraform run errored');
    expect(md).toContain('| Message | fix \\| pipe and a second line |');
    expect(md).toContain('| Workspace | `acme/prod` |');
  });

  it('a GitHub output with a line break uses the heredoc form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfe-out-'));
    try {
      const file = join(dir, 'output');
      writeGithubOutputs(file, [
        ['one', 'line'],
        ['two', 'a\nb'],
      ]);
      expect(readFileSync(file, 'utf8')).toMatch(/^one=line\ntwo<<(EOF_\w+)\na\nb\n\1\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
