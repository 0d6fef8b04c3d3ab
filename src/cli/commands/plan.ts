import { renderPlanMarkdown, renderPlanText, summarizePlan, type TerraformPlanJson } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, nearest, parse, parseDuration, UsageError } from '../args.js';
import { connect } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Output } from '../output.js';
import { buildReport, readRunForReport } from '../report.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

/** `tfe plan <sub>`: only `show` today. */
export async function planCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(helpFor('plan show'));
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  if (sub !== 'show') {
    const near = nearest(sub, ['show']);
    throw new UsageError(
      `unknown plan command "${sub}"${near ? `; did you mean tfe plan ${near}?` : '.'}`,
      'plan show',
    );
  }
  return show(rest);
}

/** `tfe plan show <run-id|plan-id>`: the resource-level summary, the Markdown comment, or the raw JSON plan. */
async function show(argv: string[]): Promise<number> {
  const command = 'plan show';
  const { values, positionals } = parse(command, argv, FLAGS, 1);
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  if (values.json && values.markdown)
    throw new UsageError('--json and --markdown choose the output: pass one.', command);
  const id = positionals[0];
  if (!id) throw new UsageError(`which plan? Pass a run id (or a plan id): tfe ${command} run-…`, command);
  const waitTimeoutMs = values.timeout ? parseDuration('timeout', values.timeout) : undefined;
  const out = new Output(values.json ?? false);
  const tfe = connect(values, command);
  try {
    const byPlan = id.startsWith('plan-');
    const options = waitTimeoutMs === undefined ? {} : { waitTimeoutMs };
    const plan: TerraformPlanJson = byPlan
      ? await tfe.plans.jsonOutput(id, options)
      : await tfe.runs.planJsonOutput(id, options);
    // The document as Terraform wrote it, for OPA, conftest and cost tools: values in clear, as `terraform show -json`.
    if (values.json) {
      out.document(plan);
      return EXIT.ok;
    }
    const summary = summarizePlan(plan);
    if (values.markdown) {
      const report = byPlan ? undefined : buildReport(tfe, await readRunForReport(tfe, id), 'in_progress');
      const ws = report?.workspace;
      out.result(
        renderPlanMarkdown(summary, {
          runUrl: report?.runUrl ?? undefined,
          runId: byPlan ? undefined : id,
          workspace: ws?.organization && ws.name ? `${ws.organization}/${ws.name}` : undefined,
        }),
      );
      return EXIT.ok;
    }
    out.result(renderPlanText(summary));
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command, id.startsWith('plan-') ? { planId: id } : { runId: id });
  } finally {
    tfe.close();
  }
}
