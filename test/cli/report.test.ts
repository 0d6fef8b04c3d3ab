import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dotenv,
  exitCodeFor,
  markdownSummary,
  type RunReport,
  writeGithubOutputs,
} from '../../src/cli/report.js';
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
  planId: 'plan-1',
  plan: { status: 'errored', additions: 0, changes: 0, destructions: 0, imports: 0 },
  apply: null,
  costEstimate: null,
  exitCode: 1,
};

/** The report with a finished cost estimate changing the monthly cost by `delta`. */
const withCost = (delta: string): RunReport => ({
  ...report,
  costEstimate: {
    id: 'ce-1',
    status: 'finished',
    proposedMonthlyCost: '12.50',
    priorMonthlyCost: '10.00',
    deltaMonthlyCost: delta,
  },
});

describe('CI reports', () => {
  it('the step summary shows a finished cost estimate with the signed monthly change', () => {
    const md = markdownSummary(withCost('2.50'));
    expect(md).toContain('| Cost | 12.50 a month (+2.50) |');
    expect(markdownSummary(report)).not.toContain('| Cost |');
  });

  it('the dotenv report carries the plan id and the cost estimate', () => {
    const text = dotenv(withCost('-1.00'));
    expect(text).toContain('TFE_PLAN_ID=plan-1\n');
    expect(text).toContain('TFE_COST_ESTIMATE_ID=ce-1\nTFE_COST_ESTIMATE_STATUS=finished\n');
    expect(text).toContain('TFE_PROPOSED_MONTHLY_COST=12.50\nTFE_DELTA_MONTHLY_COST=-1.00\n');
  });

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
