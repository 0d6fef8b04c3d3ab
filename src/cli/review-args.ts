import type { TfeClient } from '../index.js';
import { CONNECTION_FLAGS, parse, UsageError } from './args.js';
import { connect } from './context.js';
import { helpFor } from './help.js';
import { Output } from './output.js';

/** What an override command starts from once its flags are read: the run, the comment, output and client. */
export interface ReviewStart {
  runId: string;
  comment: string | undefined;
  out: Output;
  tfe: TfeClient;
}

/**
 * Reads `tfe run <command> <run-id> [--comment <text>] [--json]`; undefined after printing `--help`. Shared by
 * the override commands, whose flags are the same.
 */
export function startReview(command: string, argv: string[]): ReviewStart | undefined {
  const { values, positionals } = parse(
    command,
    argv,
    { ...CONNECTION_FLAGS, comment: { type: 'string' }, json: { type: 'boolean' } },
    1,
  );
  if (values.help) {
    process.stdout.write(helpFor(command));
    return undefined;
  }
  const out = new Output(values.json ?? false);
  const runId = positionals[0];
  if (!runId) throw new UsageError(`which run? Pass its id: tfe ${command} run-…`, command);
  return { runId, comment: values.comment, out, tfe: connect(values, command) };
}
