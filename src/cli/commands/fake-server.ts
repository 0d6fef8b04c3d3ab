import { spawn } from 'node:child_process';
import { EXIT, parse, UsageError } from '../args.js';
import { helpFor } from '../help.js';

const command = 'fake-server';

/**
 * `tfe fake-server`: the testing kit's fake TFE in the foreground (one JSON line, then serve until a signal), or
 * with `--env` in the background, printing `export` lines a shell can `eval`.
 */
export async function fakeServerCommand(argv: string[]): Promise<number> {
  const { runFakeServer, FAKE_SERVER_FLAGS } = await import('../../testing/index.js');
  // The same parser as every other command: an unknown flag gets a did-you-mean and points at this help.
  const { values } = parse(command, argv, {
    ...FAKE_SERVER_FLAGS,
    env: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const serverArgs = argv.filter((a) => a !== '--env');
  if (values.env) return detach(serverArgs, values.workspace?.[0]?.split(',')[0]);
  try {
    await runFakeServer(serverArgs);
  } catch (err) {
    // Its values are checked by the testing kit; a bad one is a usage error like any other command's.
    throw new UsageError((err as Error).message, command);
  }
  return EXIT.ok;
}

/** Starts the fake as a detached process, waits for its JSON line, and prints it as shell `export` lines. */
async function detach(serverArgs: string[], workspace: string | undefined): Promise<number> {
  const entry = process.argv[1];
  if (!entry)
    throw new UsageError('cannot find the tfe entry point to start the fake in the background.', command);
  const child = spawn(process.execPath, [entry, command, ...serverArgs], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = await new Promise<{ line?: string; stderr: string }>((resolve) => {
    let out = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf('\n');
      if (nl !== -1) resolve({ line: out.slice(0, nl), stderr });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', () => resolve({ stderr }));
  });
  if (started.line === undefined) {
    throw new UsageError(
      started.stderr
        .replace(/^Error: /, '')
        .replace(/\nSee tfe fake-server --help\.\n?$/, '')
        .trim() || 'the fake TFE did not start.',
      command,
    );
  }
  // The fake serves on; this process only reported where.
  child.stdout.destroy();
  child.stderr.destroy();
  child.unref();
  const info = JSON.parse(started.line) as { url: string; token: string; organization: string };
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  process.stdout.write(
    [
      `export TFE_ADDRESS=${quote(info.url)}`,
      `export TFE_TOKEN=${quote(info.token)}`,
      `export TFE_ORGANIZATION=${quote(info.organization)}`,
      `export TFE_WORKSPACE=${quote(workspace ?? 'demo')}`,
      `export TFE_FAKE_SERVER_PID=${child.pid}`,
      `# stop it with: kill $TFE_FAKE_SERVER_PID`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
