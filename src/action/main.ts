// The GitHub Action's entry (bundled into action/dist/index.cjs): the inputs become `tfe run` flags and the CLI's
// own command runs them, so the action does exactly what `tfe run` does in a `run:` step — progress, groups,
// outputs, step summary, exit code, and canceling the run when the job is canceled (SIGINT, then SIGTERM).
import { EXIT, UsageError } from '../cli/args.js';
import { runWorkflow } from '../cli/commands/run.js';
import { workflowCommand } from '../cli/github.js';
import { runArguments, runEnvironment, tokensOf } from './inputs.js';

/** Runs the action; resolves with the exit code. */
export async function runAction(env: Record<string, string | undefined> = process.env): Promise<number> {
  // Before anything can print it: the runner replaces the token with *** in the log from here on.
  for (const token of tokensOf(env)) process.stdout.write(workflowCommand('add-mask', token));
  // The CLI's command reads process.env: the job's, plus what the inputs add to it.
  Object.assign(process.env, runEnvironment(env));
  try {
    return await runWorkflow(runArguments(env));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // Flags and inputs share their names: "--workspace" reads as the `workspace` input here.
    const hint = err.message.startsWith('no API token')
      ? // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, shown to the user as is
        ' Or pass the token input: token: ${{ secrets.TFE_TOKEN }}.'
      : " (The action's inputs are named like the flags of tfe run.)";
    const message = `${err.message}${hint}`;
    process.stderr.write(`Error: ${message}\n`);
    process.stderr.write(workflowCommand('error', message, { title: 'tfe-client action: check the inputs' }));
    return EXIT.usage;
  }
}

runAction()
  .catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(workflowCommand('error', message, { title: 'tfe-client action failed' }));
    return EXIT.failed;
  })
  .then(async (code) => {
    process.exitCode = code;
    // Let stdout drain, then leave even if a keep-alive socket or a timer of a stopped wait lingers.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    setTimeout(() => process.exit(code), 200).unref();
  });
