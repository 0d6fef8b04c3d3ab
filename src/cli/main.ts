// `tfe`: the CLI entry. Loads only help and argument code up front; each command (and the SDK, the packer, the
// testing kit) is imported when that command runs, so `tfe --help` and `tfe --version` start fast.
import { EXIT, jsonRequested, nearest, RUN_SUBCOMMANDS, type RunSubcommand, UsageError } from './args.js';
import { helpFor, MAIN_HELP } from './help.js';

const COMMANDS = [
  'run',
  'upload',
  'plan',
  'workspace',
  'variable',
  'outputs',
  'fake-server',
  'help',
  'version',
];
/** `tfe run` subcommands outside the run lifecycle's module: a policy override and a comment. */
const RUN_REVIEW_SUBCOMMANDS = ['override-policy', 'comment'];

/** Runs one `tfe` invocation and resolves with its exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(MAIN_HELP);
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h') return print(MAIN_HELP);
  if (command === 'help') return print(helpFor(rest.join(' ')));
  if (command === '--version' || command === '-v' || command === 'version') {
    const { VERSION } = await import('../version.js');
    return print(`${VERSION}\n`);
  }
  switch (command) {
    case 'run': {
      const sub = rest[0];
      if (sub !== undefined && (RUN_SUBCOMMANDS as readonly string[]).includes(sub)) {
        const { runSubcommand } = await import('./commands/runs.js');
        return runSubcommand(sub as RunSubcommand, rest.slice(1));
      }
      if (sub === 'override-policy') {
        const { overridePolicy } = await import('./commands/override-policy.js');
        return overridePolicy(rest.slice(1));
      }
      if (sub === 'comment') {
        const { commentCommand } = await import('./commands/comment.js');
        return commentCommand(rest.slice(1));
      }
      if (sub !== undefined && !sub.startsWith('-')) {
        const near = nearest(sub, [...RUN_SUBCOMMANDS, ...RUN_REVIEW_SUBCOMMANDS]);
        throw new UsageError(
          `unknown run command "${sub}"${near ? `; did you mean tfe run ${near}?` : '.'} tfe run alone takes flags only.`,
          'run',
        );
      }
      const { runWorkflow } = await import('./commands/run.js');
      return runWorkflow(rest);
    }
    case 'upload': {
      const { upload } = await import('./commands/upload.js');
      return upload(rest);
    }
    case 'plan': {
      const { planCommand } = await import('./commands/plan.js');
      return planCommand(rest);
    }
    case 'workspace': {
      const { workspaceCommand } = await import('./commands/workspace.js');
      return workspaceCommand(rest);
    }
    case 'variable': {
      const { variableCommand } = await import('./commands/variables.js');
      return variableCommand(rest);
    }
    case 'outputs': {
      const { outputsCommand } = await import('./commands/outputs.js');
      return outputsCommand(rest);
    }
    case 'fake-server': {
      if (rest.includes('--help') || rest.includes('-h')) return print(helpFor('fake-server'));
      const { runFakeServer } = await import('../testing/index.js');
      try {
        await runFakeServer(rest);
      } catch (err) {
        // Its flags are parsed by the testing kit; a bad one is a usage error like any other command's.
        throw new UsageError((err as Error).message, 'fake-server');
      }
      return EXIT.ok;
    }
  }
  const near = nearest(command.replace(/^-+/, ''), COMMANDS);
  throw new UsageError(`unknown command "${command}"${near ? `; did you mean tfe ${near}?` : '.'}`);
}

function print(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

/** A usage error found before a command could set up its output: stderr, and a JSON document when asked for. */
function usageFailure(err: UsageError, argv: string[]): number {
  const help = err.command ? `tfe ${err.command} --help` : 'tfe --help';
  const message = `${err.message}\nSee ${help}.`;
  process.stderr.write(`Error: ${message}\n`);
  if (jsonRequested(argv)) {
    process.stdout.write(
      `${JSON.stringify({ error: { type: err.name, message }, exitCode: EXIT.usage }, null, 2)}\n`,
    );
  }
  return EXIT.usage;
}

async function exitWith(code: number): Promise<void> {
  process.exitCode = code;
  // Let stdout drain, then leave even if a keep-alive socket or a timer of a stopped wait lingers.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  setTimeout(() => process.exit(code), 200).unref();
}

const argv = process.argv.slice(2);
main(argv)
  .catch((err: unknown) => {
    if (err instanceof UsageError) return usageFailure(err, argv);
    // Errors of the SDK are reported by the commands; this is the last resort for anything else.
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.TFE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT.failed;
  })
  .then(exitWith);
