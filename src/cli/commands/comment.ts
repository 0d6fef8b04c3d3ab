import { CONNECTION_FLAGS, EXIT, parse, UsageError } from '../args.js';
import { connect } from '../context.js';
import { reportFailure } from '../failure.js';
import { helpFor } from '../help.js';
import { Output } from '../output.js';

/** `tfe run comment <run-id> --body <text>` (or the body as the second argument): prints the comment's id. */
export async function commentCommand(argv: string[]): Promise<number> {
  const command = 'run comment';
  const { values, positionals } = parse(
    command,
    argv,
    { ...CONNECTION_FLAGS, body: { type: 'string' }, json: { type: 'boolean' } },
    2,
  );
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const out = new Output(values.json ?? false);
  const [runId, positionalBody] = positionals;
  if (!runId) throw new UsageError(`which run? Pass its id: tfe ${command} run-… --body <text>`, command);
  if (positionalBody !== undefined && values.body !== undefined) {
    throw new UsageError(
      'the body is given twice: pass it with --body or as an argument, not both.',
      command,
    );
  }
  const body = values.body ?? positionalBody;
  if (body === undefined || body.trim() === '') {
    throw new UsageError('what to say? Pass the comment with --body <text>.', command);
  }
  const tfe = connect(values, command);
  try {
    const comment = await tfe.comments.create(runId, body);
    out.step(`Comment ${comment.id} added to run ${runId}`);
    out.document({ runId, commentId: comment.id, exitCode: EXIT.ok });
    out.result(comment.id);
    return EXIT.ok;
  } catch (err) {
    return reportFailure(out, err, command, { runId });
  } finally {
    tfe.close();
  }
}
