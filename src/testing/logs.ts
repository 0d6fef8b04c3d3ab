import type { PlanDiff } from './records.js';

/** Log lines like Terraform writes them: the JSON UI stream (`-json`) or plain text. */
export type LogFormat = 'json' | 'text';

interface Line {
  level: 'info' | 'error';
  message: string;
  type: string;
  extra?: Record<string, unknown>;
}

function render(format: LogFormat, lines: Line[]): string[] {
  const now = new Date().toISOString().replace('Z', '000Z');
  return lines.map((l) =>
    format === 'text'
      ? `${l.message}\n`
      : `${JSON.stringify({
          '@level': l.level,
          '@message': l.message,
          '@module': 'terraform.ui',
          '@timestamp': now,
          ...l.extra,
          type: l.type,
        })}\n`,
  );
}

/** Addresses for the counts (forced counts may exceed what the configuration names). */
function names(list: string[], count: number, kind: string): string[] {
  const out = list.slice(0, count);
  for (let i = out.length; i < count; i++) out.push(`null_resource.${kind}_${i}`);
  return out;
}

const resource = (addr: string) => {
  const dot = addr.indexOf('.');
  return { addr, resource_type: addr.slice(0, dot), resource_name: addr.slice(dot + 1), module: '' };
};

export function planStartLines(format: LogFormat, terraformVersion: string): string[] {
  return render(format, [
    {
      level: 'info',
      message: `Terraform ${terraformVersion}`,
      type: 'version',
      extra: { terraform: terraformVersion, ui: '1.2' },
    },
  ]);
}

export function planEndLines(format: LogFormat, diff: PlanDiff): string[] {
  const changes: Line[] = [
    ...names(diff.add, diff.additions, 'add').map((a) => ({ a, action: 'create' })),
    ...names(diff.change, diff.changes, 'change').map((a) => ({ a, action: 'update' })),
    ...names(diff.destroy, diff.destructions, 'destroy').map((a) => ({ a, action: 'delete' })),
  ].map(({ a, action }) => ({
    level: 'info',
    message: `${a}: Plan to ${action}`,
    type: 'planned_change',
    extra: { change: { resource: resource(a), action } },
  }));
  const summary =
    diff.additions + diff.changes + diff.destructions === 0
      ? 'No changes. Your infrastructure matches the configuration.'
      : `Plan: ${diff.additions} to add, ${diff.changes} to change, ${diff.destructions} to destroy.`;
  return render(format, [
    ...changes,
    {
      level: 'info',
      message: summary,
      type: 'change_summary',
      extra: {
        changes: {
          add: diff.additions,
          change: diff.changes,
          import: 0,
          remove: diff.destructions,
          operation: 'plan',
        },
      },
    },
  ]);
}

export function applyLines(format: LogFormat, diff: PlanDiff): string[] {
  const lines: Line[] = [];
  const phases = [
    {
      addrs: names(diff.add, diff.additions, 'add'),
      action: 'create',
      start: 'Creating...',
      done: 'Creation',
    },
    {
      addrs: names(diff.destroy, diff.destructions, 'destroy'),
      action: 'delete',
      start: 'Destroying...',
      done: 'Destruction',
    },
  ];
  for (const { addrs, action, start, done } of phases) {
    for (const a of addrs) {
      const hook = { resource: resource(a), action };
      lines.push({ level: 'info', message: `${a}: ${start}`, type: 'apply_start', extra: { hook } });
      lines.push({
        level: 'info',
        message: `${a}: ${done} complete after 0s`,
        type: 'apply_complete',
        extra: { hook: { ...hook, elapsed_seconds: 0 } },
      });
    }
  }
  lines.push({
    level: 'info',
    message: `Apply complete! Resources: ${diff.additions} added, ${diff.changes} changed, ${diff.destructions} destroyed.`,
    type: 'change_summary',
    extra: {
      changes: {
        add: diff.additions,
        change: diff.changes,
        import: 0,
        remove: diff.destructions,
        operation: 'apply',
      },
    },
  });
  return render(format, lines);
}

/**
 * The diagnostic Terraform writes when a phase fails, as it writes it: a JSON `diagnostic` line with the file,
 * line and source snippet, or the framed text block (`╷ │ Error: … │   on main.tf line 2 … ╵`).
 */
export function errorLines(format: LogFormat, phase: 'plan' | 'apply', filename = 'main.tf'): string[] {
  const d =
    phase === 'plan'
      ? {
          summary: 'Unsupported argument',
          detail: 'An argument named "triggerz" is not expected here. Did you mean "triggers"?',
          address: undefined,
          context: 'resource "null_resource" "a"',
          code: '  triggerz = { always = timestamp() }',
        }
      : {
          summary: 'local-exec provisioner error',
          detail:
            "Error running command 'exit 1': exit status 1. Output: (fake TFE scenario: injected apply failure)",
          address: 'null_resource.a',
          context: 'resource "null_resource" "a"',
          code: '  provisioner "local-exec" {',
        };
  const line = 2;
  if (format === 'text') {
    return [
      '╷\n',
      `│ Error: ${d.summary}\n`,
      '│ \n',
      `│   on ${filename} line ${line}, in ${d.context}:\n`,
      `│    ${line}: ${d.code}\n`,
      ...(d.address ? [`│   with ${d.address},\n`] : []),
      '│ \n',
      `│ ${d.detail}\n`,
      '╵\n',
    ];
  }
  const range = {
    filename,
    start: { line, column: 3, byte: 40 },
    end: { line, column: 3 + d.code.trim().length, byte: 40 + d.code.trim().length },
  };
  return render(format, [
    {
      level: 'error',
      message: `Error: ${d.summary}`,
      type: 'diagnostic',
      extra: {
        diagnostic: {
          severity: 'error',
          summary: d.summary,
          detail: d.detail,
          ...(d.address && { address: d.address }),
          range,
          snippet: {
            context: d.context,
            code: d.code,
            start_line: line,
            highlight_start_offset: 2,
            highlight_end_offset: d.code.length,
            values: [],
          },
        },
      },
    },
  ]);
}
