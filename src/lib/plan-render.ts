import type { OutputChangeSummary, PlanAction, PlanSummary, ResourceChangeSummary } from './plan-summary.js';
import { PLAN_ACTIONS } from './plan-summary.js';
import type { AttributeChange } from './plan-values.js';

/** The longest comment GitHub accepts (characters); the Markdown renderer's default budget. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Where a rendered summary points and how much room it has. */
export interface PlanMarkdownOptions {
  /** The run in the TFE UI, linked from the heading and from the truncation note. */
  runUrl?: string | undefined;
  /** The workspace, `organization/name` or a name, shown in the heading. */
  workspace?: string | undefined;
  /** The run id, shown as the link text. */
  runId?: string | undefined;
  /** Heading text instead of "Terraform plan". */
  title?: string | undefined;
  /** Longest result, characters; past it, changes are left out with a note saying how many. Default 65,536. */
  maxLength?: number | undefined;
}

const LABEL: Record<PlanAction, string> = {
  create: 'Create',
  update: 'Update in place',
  replace: 'Replace',
  delete: 'Destroy',
  read: 'Read (data sources)',
  import: 'Import',
  move: 'Move',
  forget: 'Forget (remove from state, keep the object)',
};

const ICON: Record<PlanAction, string> = {
  create: '🟢',
  update: '🟡',
  replace: '🟠',
  delete: '🔴',
  read: '🔵',
  import: '📥',
  move: '🚚',
  forget: '⚪',
};

const SYMBOL: Record<PlanAction, string> = {
  create: '  +',
  update: '  ~',
  replace: '-/+',
  delete: '  -',
  read: ' <=',
  import: '  ⇣',
  move: '  →',
  forget: '  .',
};

/** Terraform's own sentence: `2 to add, 1 to change, 1 to destroy` (and imports when there are any). */
export function planTotals(s: PlanSummary): string {
  const t = s.totals;
  const imported = t.import ? `${t.import} to import, ` : '';
  return `${imported}${t.add} to add, ${t.change} to change, ${t.destroy} to destroy`;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (text: string) => `\`${text.replace(/`/g, 'ˋ')}\``;

/** What follows an address: the replace order, the move, the import id, the reason. */
function notes(c: ResourceChangeSummary): string[] {
  const n: string[] = [];
  if (c.replaceOrder === 'create_then_delete') n.push('create before destroy');
  if (c.replaceOrder === 'create_then_forget') n.push('create, then forget the old object');
  if (c.previousAddress) n.push(`moved from ${c.previousAddress}`);
  if (c.importing)
    n.push(c.importId === undefined ? 'imported' : `imported, id ${JSON.stringify(c.importId)}`);
  if (c.deposed) n.push(`deposed object ${c.deposed}`);
  if (c.actionReason) n.push(c.actionReason.replace(/_/g, ' '));
  return n;
}

function diffLines(attributes: AttributeChange[]): string[] {
  const lines: string[] = [];
  for (const a of attributes) {
    const forces = a.forcesReplacement ? '   # forces replacement' : '';
    if (a.before !== undefined) lines.push(`- ${a.path} = ${a.before}${a.after === undefined ? forces : ''}`);
    if (a.after !== undefined) lines.push(`+ ${a.path} = ${a.after}${forces}`);
  }
  return lines;
}

/** A fenced block its content cannot close: the fence is longer than any backtick run inside. */
function fenced(lang: string, lines: string[]): string {
  const body = lines.join('\n');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

function markdownEntry(c: ResourceChangeSummary, withDiff: boolean): string {
  const n = notes(c);
  const suffix = n.length ? ` — ${n.join('; ')}` : '';
  if (!withDiff || c.attributes.length === 0) return `- ${code(c.address)}${escapeHtml(suffix)}`;
  const count = `${c.attributes.length} attribute${c.attributes.length === 1 ? '' : 's'}`;
  return [
    `<details><summary><code>${escapeHtml(c.address)}</code>${escapeHtml(suffix)} (${count})</summary>`,
    '',
    fenced('diff', diffLines(c.attributes)),
    '',
    '</details>',
  ].join('\n');
}

function outputLine(o: OutputChangeSummary): string {
  const sign = o.action === 'create' ? '+' : o.action === 'delete' ? '-' : '~';
  const value =
    o.action === 'delete'
      ? (o.before ?? 'null')
      : `${o.before !== undefined && o.action !== 'create' ? `${o.before} → ` : ''}${o.after ?? 'null'}`;
  return `${sign} ${o.name} = ${value}`;
}

/** A piece of the comment: its full form, a shorter form that still names the resource, and what it counts. */
interface Piece {
  full: string;
  short?: string;
  /** Counted in the truncation note when left out: resource changes, drifted resources, outputs. */
  counts?: 'change' | 'drift' | 'output';
}

/**
 * The summary as Markdown for a pull-request or merge-request comment: a heading with the run's link, a counts
 * table, each action's resources (updates and replacements with a collapsible attribute diff), drift and
 * outputs. Past `maxLength` (GitHub's 65,536 characters by default) diffs are dropped first, then whole
 * entries, with a note saying how many were left out and where to see them.
 */
export function renderPlanMarkdown(summary: PlanSummary, options: PlanMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const head: string[] = [];
  const where = options.workspace ? ` for ${code(options.workspace)}` : '';
  head.push(`### ${options.title ?? 'Terraform plan'}${where}: ${planTotals(summary)}`);
  const meta: string[] = [];
  if (options.runUrl) meta.push(`Run [${options.runId ?? 'in HCP Terraform'}](${options.runUrl})`);
  else if (options.runId) meta.push(`Run ${code(options.runId)}`);
  if (summary.terraformVersion) meta.push(`Terraform ${summary.terraformVersion}`);
  if (summary.errored) meta.push('**the plan errored**: what it planned before failing is listed');
  if (meta.length) head.push('', meta.join(' · '));
  head.push('');
  const shown = PLAN_ACTIONS.filter((a) => summary.counts[a] > 0);
  if (shown.length === 0 && summary.outputs.length === 0) {
    head.push('No changes. Your infrastructure matches the configuration.');
  } else if (shown.length) {
    head.push(
      '| Action | Resources |',
      '|---|---:|',
      ...shown.map((a) => `| ${ICON[a]} ${LABEL[a]} | ${summary.counts[a]} |`),
    );
  }
  const pieces: Piece[] = [];
  for (const a of shown) {
    pieces.push({ full: `\n#### ${ICON[a]} ${LABEL[a]} (${summary.counts[a]})\n` });
    for (const c of summary.changes[a]) {
      const withDiff = a === 'update' || a === 'replace';
      pieces.push({ full: markdownEntry(c, withDiff), short: markdownEntry(c, false), counts: 'change' });
    }
  }
  if (summary.drift.length) {
    pieces.push({ full: `\n#### 🌫️ Changed outside of Terraform (${summary.drift.length})\n` });
    for (const c of summary.drift)
      pieces.push({ full: markdownEntry(c, true), short: markdownEntry(c, false), counts: 'drift' });
  }
  if (summary.outputs.length) {
    pieces.push({ full: `\n#### Outputs (${summary.outputs.length})\n` });
    // One fenced block would not survive cutting, so each output is its own line of code.
    for (const o of summary.outputs) pieces.push({ full: `- ${code(outputLine(o))}`, counts: 'output' });
  }
  return assemble(head.join('\n'), pieces, maxLength, options.runUrl);
}

function assemble(head: string, pieces: Piece[], maxLength: number, runUrl: string | undefined): string {
  // Room for the note, so adding it never breaks the limit.
  const NOTE_ROOM = 400 + (runUrl?.length ?? 0);
  let text = head;
  const left = { change: 0, drift: 0, output: 0 };
  let shortened = 0;
  let stop = false;
  const budget = maxLength - NOTE_ROOM;
  for (const p of pieces) {
    if (!stop && text.length + 1 + p.full.length <= budget) {
      text += `\n${p.full}`;
      continue;
    }
    if (!stop && p.short && text.length + 1 + p.short.length <= budget) {
      text += `\n${p.short}`;
      shortened++;
      continue;
    }
    // From here on nothing fits: the rest is counted, so the order of the comment stays the plan's.
    stop = true;
    if (p.counts) left[p.counts]++;
  }
  const omitted = left.change + left.drift + left.output;
  if (omitted || shortened) {
    const what = [
      left.change ? `${left.change} resource change${left.change === 1 ? '' : 's'}` : '',
      left.drift ? `${left.drift} drifted resource${left.drift === 1 ? '' : 's'}` : '',
      left.output ? `${left.output} output change${left.output === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    const parts = [
      omitted ? `${what.join(', ')} not shown` : '',
      shortened ? `${shortened} attribute diff${shortened === 1 ? '' : 's'} left out` : '',
    ].filter(Boolean);
    text += `\n\n> [!NOTE]\n> Truncated to stay under ${maxLength.toLocaleString('en-US')} characters: ${parts.join('; ')}.`;
    text += runUrl ? ` The whole plan is in [the run](${runUrl}).` : '';
  }
  return `${text}\n`;
}

/** The summary as plain text for a terminal, in Terraform's symbols (`+`, `~`, `-/+`, `-`, `<=`). */
export function renderPlanText(summary: PlanSummary): string {
  const lines: string[] = [];
  const shown = PLAN_ACTIONS.filter((a) => summary.counts[a] > 0);
  if (shown.length === 0 && summary.outputs.length === 0)
    lines.push('No changes. Your infrastructure matches the configuration.');
  for (const a of shown) {
    lines.push(`${LABEL[a]} (${summary.counts[a]}):`);
    for (const c of summary.changes[a]) lines.push(...textEntry(c, a));
    lines.push('');
  }
  if (summary.drift.length) {
    lines.push(`Changed outside of Terraform (${summary.drift.length}):`);
    for (const c of summary.drift) lines.push(...textEntry(c, c.action));
    lines.push('');
  }
  if (summary.outputs.length) {
    lines.push(`Outputs (${summary.outputs.length}):`);
    for (const o of summary.outputs) lines.push(`  ${outputLine(o).replace(' → ', ' -> ')}`);
    lines.push('');
  }
  if (summary.errored) lines.push('The plan errored: what it planned before failing is listed.');
  lines.push(`Plan: ${planTotals(summary)}.`);
  return `${lines.join('\n')}\n`;
}

function textEntry(c: ResourceChangeSummary, a: PlanAction): string[] {
  const n = notes(c);
  const symbol = c.replaceOrder === 'create_then_delete' ? '+/-' : SYMBOL[a];
  const out = [`${symbol} ${c.address}${n.length ? ` (${n.join('; ')})` : ''}`];
  for (const attr of c.attributes) {
    const forces = attr.forcesReplacement ? ' # forces replacement' : '';
    const value =
      attr.before === undefined
        ? `+ ${attr.after}`
        : attr.after === undefined
          ? `- ${attr.before}`
          : `${attr.before} -> ${attr.after}`;
    out.push(`      ${attr.path}: ${value}${forces}`);
  }
  return out;
}
