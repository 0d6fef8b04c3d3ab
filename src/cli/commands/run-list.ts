import type { Run, RunListParams, TfeClient } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, parse, UsageError, WORKSPACE_FLAGS } from '../args.js';
import { connect, resolveWorkspace, workspaceRef } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Output } from '../output.js';

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...WORKSPACE_FLAGS,
  status: { type: 'string', multiple: true },
  operation: { type: 'string', multiple: true },
  'workspace-names': { type: 'string', multiple: true },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Env = Record<string, string | undefined>;

/** `a,b` given once or `--x a --x b`: one list, empty items dropped. */
const commaList = (values: string[] | undefined) =>
  values
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Whose runs `tfe run list` lists: one workspace when the flags, `TFE_WORKSPACE` or `TF_WORKSPACE` name one, else the
 * organization's (`GET /organizations/:name/runs`), narrowed by `--workspace-names`.
 */
function scope(
  values: {
    organization?: string | undefined;
    workspace?: string | undefined;
    'workspace-id'?: string | undefined;
  },
  workspaceNames: string[] | undefined,
  command: string,
  env: Env,
): { organization: string } | { workspace: ReturnType<typeof workspaceRef> } {
  const namedByFlag = Boolean(values.workspace || values['workspace-id']);
  if (workspaceNames?.length && namedByFlag) {
    throw new UsageError(
      '--workspace-names lists runs across an organization; --workspace and --workspace-id name one workspace: pass one kind.',
      command,
    );
  }
  if (namedByFlag || (!workspaceNames?.length && (env.TFE_WORKSPACE?.trim() || env.TF_WORKSPACE?.trim()))) {
    return { workspace: workspaceRef(values, command, env) };
  }
  const organization = [values.organization, env.TFE_ORGANIZATION, env.TF_CLOUD_ORGANIZATION].find(
    (v) => v !== undefined && v.trim() !== '',
  );
  if (!organization) {
    throw new UsageError(
      'whose runs? Pass --workspace <name> with --organization <name> for one workspace, or --organization alone for the whole organization.',
      command,
    );
  }
  return { organization };
}

/** `tfe run list`: one workspace's runs, or an organization's. */
export async function list(argv: string[], env: Env = process.env): Promise<number> {
  const command = 'run list';
  const { values } = parse(command, argv, FLAGS);
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const out = new Output(values.json ?? false);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new UsageError(`--limit must be a whole number above 0, got "${values.limit}".`, command);
  }
  const status = commaList(values.status);
  const operation = commaList(values.operation);
  const workspaceNames = commaList(values['workspace-names']);
  const where = scope(values, workspaceNames, command, env);
  const tfe = connect(values, command, env);
  try {
    const params: RunListParams = {
      pageSize: Math.min(limit, 100),
      ...(status?.length && { status }),
      ...(operation?.length && { operation }),
    };
    if ('workspace' in where) {
      const workspace = await resolveWorkspace(tfe, where.workspace, command);
      const organization = workspace.relationships.organization?.id ?? '';
      const runs = await firstRuns(tfe.runs.list(workspace.id, params), limit);
      const rows = runs.map((run) => row(tfe, run, organization, workspace.name));
      out.document({
        workspace: { id: workspace.id, name: workspace.name, organization },
        runs: rows,
        exitCode: EXIT.ok,
      });
      if (rows.length === 0) {
        out.note(
          `No runs in ${organization}/${workspace.name}${status || operation ? ' with those filters' : ''}.`,
        );
      }
      printTable(out, rows, false);
      return EXIT.ok;
    }
    const { organization } = where;
    // The workspace of each run comes along, for its name and URL.
    const runs = await firstRuns(
      tfe.runs.listForOrganization(organization, {
        ...params,
        ...(workspaceNames?.length && { workspaceNames }),
        include: ['workspace'],
      }),
      limit,
    );
    const rows = runs.map((run) => row(tfe, run, organization, run.workspace?.name ?? null));
    out.document({ organization, runs: rows, exitCode: EXIT.ok });
    if (rows.length === 0) {
      out.note(
        `No runs in organization ${organization}${status || operation || workspaceNames ? ' with those filters' : ''}.`,
      );
    }
    printTable(out, rows, true);
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command);
  } finally {
    tfe.close();
  }
}

async function firstRuns(pages: AsyncIterable<Run>, limit: number): Promise<Run[]> {
  const runs: Run[] = [];
  for await (const run of pages) {
    runs.push(run);
    if (runs.length >= limit) break;
  }
  return runs;
}

type Row = ReturnType<typeof row>;

function row(tfe: TfeClient, run: Run, organization: string, workspaceName: string | null) {
  return {
    runId: run.id,
    status: run.status,
    createdAt: run.createdAt?.toISOString() ?? null,
    message: run.message ?? null,
    hasChanges: run.hasChanges ?? null,
    planOnly: run.planOnly ?? null,
    workspace: workspaceName,
    runUrl: workspaceName ? tfe.runUrl(organization, workspaceName, run.id) : null,
  };
}

function printTable(out: Output, rows: Row[], withWorkspace: boolean): void {
  if (out.json || rows.length === 0) return;
  const width = Math.max(6, ...rows.map((r) => r.runId.length));
  const swidth = Math.max(6, ...rows.map((r) => r.status.length));
  const wwidth = Math.max(9, ...rows.map((r) => (r.workspace ?? '').length));
  const ws = (text: string) => (withWorkspace ? `${text.padEnd(wwidth)}  ` : '');
  out.result(
    `${'RUN'.padEnd(width)}  ${ws('WORKSPACE')}${'STATUS'.padEnd(swidth)}  ${'CREATED'.padEnd(20)}  MESSAGE`,
  );
  for (const r of rows) {
    const created = r.createdAt ? r.createdAt.slice(0, 19).replace('T', ' ') : '';
    const message = (r.message ?? '').replace(/\s+/g, ' ').slice(0, 60);
    out.result(
      `${r.runId.padEnd(width)}  ${ws(r.workspace ?? '')}${r.status.padEnd(swidth)}  ${created.padEnd(20)}  ${message}`,
    );
  }
}
