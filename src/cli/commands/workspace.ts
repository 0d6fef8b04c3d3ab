import type { TfeClient, Workspace } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, parse, UsageError, WORKSPACE_FLAGS } from '../args.js';
import { connect, resolveWorkspace, workspaceRef } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Output } from '../output.js';

const SUBCOMMANDS = ['show', 'lock', 'unlock'] as const;

/** `tfe workspace show|lock|unlock`. */
export async function workspaceCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined) {
    // A missing subcommand is a usage error: the help goes where errors go, as for `tfe` alone.
    process.stderr.write(helpFor('workspace'));
    return EXIT.usage;
  }
  if (sub === '--help' || sub === '-h') {
    process.stdout.write(helpFor('workspace'));
    return EXIT.ok;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`unknown workspace command "${sub}": use show, lock or unlock.`, 'workspace');
  }
  const command = `workspace ${sub}`;
  const { values } = parse(command, rest, {
    ...CONNECTION_FLAGS,
    ...WORKSPACE_FLAGS,
    json: { type: 'boolean' },
    ...(sub === 'lock' ? { reason: { type: 'string' } } : {}),
    ...(sub === 'unlock' ? { force: { type: 'boolean' } } : {}),
  } as typeof CONNECTION_FLAGS &
    typeof WORKSPACE_FLAGS & {
      json: { type: 'boolean' };
      reason: { type: 'string' };
      force: { type: 'boolean' };
    });
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const out = new Output(values.json ?? false);
  const ref = workspaceRef(values, command);
  const tfe = connect(values, command);
  try {
    let workspace = await resolveWorkspace(tfe, ref, command);
    if (sub === 'lock') {
      workspace = await tfe.workspaces.lock(
        workspace.id,
        values.reason === undefined ? {} : { reason: values.reason },
      );
      out.step(`Workspace ${workspace.name} locked`);
    } else if (sub === 'unlock') {
      workspace = values.force
        ? await tfe.workspaces.forceUnlock(workspace.id)
        : await tfe.workspaces.unlock(workspace.id);
      out.step(`Workspace ${workspace.name} unlocked${values.force ? ' (forced)' : ''}`);
    }
    const doc = describe(tfe, workspace);
    out.document({ ...doc, exitCode: EXIT.ok });
    if (sub === 'show') out.result(render(doc));
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command);
  } finally {
    tfe.close();
  }
}

function describe(tfe: TfeClient, ws: Workspace) {
  const organization = ws.relationships.organization?.id ?? null;
  const currentRun = ws.relationships.currentRun?.id ?? null;
  return {
    workspaceId: ws.id,
    name: ws.name,
    organization,
    locked: ws.locked ?? false,
    lockedBy: ws.relationships.lockedBy
      ? { type: ws.relationships.lockedBy.type, id: ws.relationships.lockedBy.id }
      : null,
    lockedReason: ws.lockedReason || null,
    currentRunId: currentRun,
    terraformVersion: ws.terraformVersion ?? null,
    executionMode: ws.executionMode ?? null,
    autoApply: ws.autoApply ?? null,
    workingDirectory: ws.workingDirectory || null,
    resourceCount: ws.resourceCount ?? null,
    url: organization
      ? `${tfe.address}/app/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(ws.name)}`
      : null,
  };
}

function render(d: ReturnType<typeof describe>): string {
  const rows: Array<[string, string]> = [
    ['Id', d.workspaceId],
    [
      'Locked',
      d.locked
        ? `yes${d.lockedBy ? ` by ${d.lockedBy.type.replace(/s$/, '')} ${d.lockedBy.id}` : ''}${d.lockedReason ? ` (${d.lockedReason})` : ''}`
        : 'no',
    ],
    ['Current run', d.currentRunId ?? 'none'],
    ['Terraform', d.terraformVersion ?? '?'],
    ['Execution', d.executionMode ?? '?'],
    ['Auto-apply', d.autoApply === null ? '?' : d.autoApply ? 'yes' : 'no'],
  ];
  if (d.workingDirectory) rows.push(['Directory', d.workingDirectory]);
  if (d.resourceCount !== null) rows.push(['Resources', String(d.resourceCount)]);
  if (d.url) rows.push(['URL', d.url]);
  return [
    `Workspace ${d.organization ? `${d.organization}/` : ''}${d.name}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(12)} ${v}`),
  ].join('\n');
}
