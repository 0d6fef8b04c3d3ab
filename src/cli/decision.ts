import type { FailedPolicy, FailedTask, RunDecision } from '../index.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** `post-plan run task stage` / `Sentinel policy check`: what the run waits on, in words. */
export function waitsOn(d: RunDecision): string {
  return d.kind === 'task_stage'
    ? `its ${String(d.stage).replaceAll('_', '-')} task stage (${d.taskStageId})`
    : `its soft-failed Sentinel policy check${d.policyCheckIds.length === 1 ? '' : 's'}`;
}

/** One line per failed task: name, enforcement, status, link. */
export function taskLine(t: FailedTask): string {
  const link = t.url ? ` — ${t.url}` : '';
  const msg = t.message ? `: ${t.message.split('\n')[0]}` : '';
  return `run task ${t.name ?? t.taskResultId} (${t.enforcementLevel ?? 'unknown enforcement'}) ${t.status}${msg}${link}`;
}

/** One line per failed policy: set/name, kind, enforcement, status. */
export function policyLine(p: FailedPolicy): string {
  const name = [p.policySetName, p.policyName].filter(Boolean).join('/') || p.sourceId;
  const kind = p.kind ? `${p.kind.toUpperCase()} ` : '';
  const extra = p.description ? `: ${p.description}` : '';
  return `${kind}policy ${name} (${p.enforcementLevel ?? 'unknown enforcement'}) ${p.status}${extra}`;
}

/** What the log says about a run waiting for a decision: what failed, and how to let it go on. */
export function decisionLines(d: RunDecision, runId: string): string[] {
  const lines = [`The run waits for a decision on ${waitsOn(d)}.`];
  for (const t of d.failedTasks) lines.push(`  ${taskLine(t)}`);
  for (const p of d.failedPolicies) lines.push(`  ${policyLine(p)}`);
  lines.push(
    d.canOverride
      ? `To let it go on: tfe run override ${runId} --comment "why" (or discard it: tfe run discard ${runId}).`
      : `This token may not override it: someone with the permission to override ${d.kind === 'task_stage' ? 'run tasks and policies' : 'policy checks'} must (or discard it: tfe run discard ${runId}).`,
  );
  return lines;
}

/** The step summary's section on what the run waits on. */
export function decisionMarkdown(d: RunDecision, runId: string): string {
  const rows = [
    ...d.failedTasks.map((t) => [
      'Run task',
      t.url ? `[${cell(t.name ?? t.taskResultId)}](${t.url})` : cell(t.name ?? t.taskResultId),
      t.enforcementLevel ?? '',
      t.status,
    ]),
    ...d.failedPolicies.map((p) => [
      `${p.kind ? `${p.kind.toUpperCase()} ` : ''}policy`,
      cell([p.policySetName, p.policyName].filter(Boolean).join('/') || p.sourceId),
      p.enforcementLevel ?? '',
      p.status,
    ]),
  ];
  const how = d.canOverride
    ? `Override with \`tfe run override ${runId} --comment "…"\`.`
    : 'This token may not override it.';
  return [
    `**Waits on ${cell(waitsOn(d))}.** ${how}`,
    '',
    ...(rows.length
      ? [
          '| Kind | Name | Enforcement | Status |',
          '|---|---|---|---|',
          ...rows.map((r) => `| ${r.join(' | ')} |`),
        ]
      : []),
    '',
  ].join('\n');
}
