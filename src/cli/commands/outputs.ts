import { AbortError, NotFoundError, type StateVersionOutput } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, parse, parseDuration, WORKSPACE_FLAGS } from '../args.js';
import { connect, resolveWorkspace, workspaceName, workspaceRef, workspaceSummary } from '../context.js';
import { reportFailure, reportInterrupted } from '../failure.js';
import { helpFor } from '../help.js';
import { Interrupt } from '../interrupt.js';
import { Output } from '../output.js';

/** `tfe outputs`: the outputs of the workspace's current state, sensitive values masked unless asked for. */
export async function outputsCommand(argv: string[]): Promise<number> {
  const command = 'outputs';
  const { values } = parse(command, argv, {
    ...CONNECTION_FLAGS,
    ...WORKSPACE_FLAGS,
    'show-sensitive': { type: 'boolean' },
    'wait-timeout': { type: 'string' },
    'poll-interval': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const out = new Output(values.json ?? false);
  const wait = {
    ...(values['wait-timeout'] && { timeoutMs: parseDuration('wait-timeout', values['wait-timeout']) }),
    ...(values['poll-interval'] && {
      pollIntervalMs: parseDuration('poll-interval', values['poll-interval']),
    }),
  };
  const showSensitive = values['show-sensitive'] ?? false;
  const ref = workspaceRef(values, command);
  const tfe = connect(values, command);
  const interrupt = new Interrupt((signal) => out.note(`\nReceived ${signal}: stopping…`));
  try {
    const workspace = await resolveWorkspace(tfe, ref, command, interrupt.signal);
    const where = workspaceName(workspace);
    // The workspace says outright when it has no state: nothing to wait for, and no outputs.
    if (workspace.relationships.currentStateVersion === null) {
      out.note(`${where} has no state yet: no outputs.`);
      out.document({ workspace: workspaceSummary(workspace), outputs: {}, exitCode: EXIT.ok });
      return EXIT.ok;
    }
    let outputs: StateVersionOutput[];
    try {
      outputs = await tfe.stateVersions.readCurrentOutputs(
        workspace.id,
        { includeSensitive: showSensitive, waitForProcessing: wait },
        { signal: interrupt.signal },
      );
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      throw new NotFoundError(
        err,
        `${where} has no current state, or the token cannot read its state (404).`,
      );
    }
    const doc: Record<string, { sensitive: boolean; type: string | null; value?: unknown }> = {};
    for (const o of outputs) {
      const masked = o.sensitive && !showSensitive;
      doc[o.name] = {
        sensitive: o.sensitive,
        type: o.valueType ?? null,
        ...(!masked && { value: o.value ?? null }),
      };
    }
    out.document({ workspace: workspaceSummary(workspace), outputs: doc, exitCode: EXIT.ok });
    if (!out.json) {
      if (outputs.length === 0) out.note(`${where}: the current state has no outputs.`);
      for (const [name, o] of Object.entries(doc)) {
        out.result(`${name} = ${'value' in o ? JSON.stringify(o.value, null, 2) : '(sensitive)'}`);
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AbortError && interrupt.received) return reportInterrupted(out, interrupt);
    return reportFailure(out, err, command);
  } finally {
    interrupt.dispose();
    tfe.close();
  }
}
