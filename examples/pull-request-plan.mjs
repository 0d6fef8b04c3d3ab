// A speculative, plan-only run for a pull request, summarised as Markdown: the counts, each planned change
// from the plan's JSON log, and any diagnostics. Appended to $GITHUB_STEP_SUMMARY when set (GitHub Actions),
// printed otherwise; post it as a PR comment with your CI's tooling.
//   node examples/pull-request-plan.mjs [dir]
// Exit code: 0 when the plan succeeded (with or without changes), 1 otherwise.
// @ts-check
import { appendFileSync } from 'node:fs';
import { FAILED_OUTCOMES } from 'tfe-client';
import { connect } from './connect.mjs';

const SYMBOL = /** @type {Record<string, string>} */ ({
  create: '➕',
  update: '🔄',
  replace: '♻️',
  delete: '🗑️',
  read: '📖',
  import: '📥',
  move: '↪️',
});

const target = await connect();
const { tfe } = target;
try {
  const { run, outcome, summary, runUrl } = await tfe.workflows.run({
    workspace: { organization: target.organization, name: target.workspace },
    source: process.argv[2] ?? target.configuration,
    message: `Speculative plan for ${process.env.GITHUB_HEAD_REF || 'a pull request'}`,
    planOnly: true,
    onEvent: (e) => {
      if (e.type === 'run_status') console.error(`  ${e.previousStatus ?? '(start)'} → ${e.run.status}`);
    },
  });

  /** @type {string[]} */
  const changes = [];
  /** @type {string[]} */
  const diagnostics = [];
  const planId = run.relationships.plan?.id;
  if (planId) {
    for await (const event of tfe.plans.logs(planId).events()) {
      if (event.type === 'planned_change' && event.change.action !== 'noop') {
        const { action, resource } = event.change;
        changes.push(`| ${SYMBOL[action] ?? ''} ${action} | \`${resource.addr}\` |`);
      } else if (event.type === 'diagnostic') {
        diagnostics.push(`- **${event.diagnostic.severity}**: ${event.diagnostic.summary}`);
      }
    }
  }

  const plan = summary.plan;
  const ok = !FAILED_OUTCOMES.has(outcome);
  const lines = [
    `### ${ok ? '✅' : '❌'} Terraform plan for \`${target.organization}/${target.workspace}\``,
    '',
    plan
      ? `**${plan.additions}** to add, **${plan.changes}** to change, **${plan.destructions}** to destroy` +
        (plan.imports ? `, **${plan.imports}** to import` : '')
      : `The plan did not finish (run status \`${run.status}\`).`,
    '',
  ];
  if (changes.length > 0) lines.push('| Action | Resource |', '| --- | --- |', ...changes, '');
  if (diagnostics.length > 0) lines.push(...diagnostics, '');
  lines.push(`Outcome \`${outcome}\` · [run ${run.id}](${runUrl})`);
  const markdown = `${lines.join('\n')}\n`;

  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  process.stdout.write(markdown);
  process.exitCode = ok ? 0 : 1;
} finally {
  await target.close();
}
