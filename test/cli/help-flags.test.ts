// Every flag a command's help mentions is listed in its flag table and accepted by that command's parser: a
// help text cannot promise a flag the command refuses, nor mention one it never explains.
import { describe, expect, it, vi } from 'vitest';
import { RUN_SUBCOMMANDS, UsageError } from '../../src/cli/args.js';
import { commentCommand } from '../../src/cli/commands/comment.js';
import { fakeServerCommand } from '../../src/cli/commands/fake-server.js';
import { outputsCommand } from '../../src/cli/commands/outputs.js';
import { overridePolicy } from '../../src/cli/commands/override-policy.js';
import { runWorkflow } from '../../src/cli/commands/run.js';
import { runSubcommand } from '../../src/cli/commands/runs.js';
import { upload } from '../../src/cli/commands/upload.js';
import { variableCommand } from '../../src/cli/commands/variables.js';
import { workspaceCommand } from '../../src/cli/commands/workspace.js';
import { helpFor } from '../../src/cli/help.js';

type Invoke = (args: string[]) => Promise<number>;

/** Each help text, and the commands it covers (a shared help, such as workspace's, covers several). */
const HELPS: Record<string, Invoke[]> = {
  run: [runWorkflow],
  upload: [upload],
  ...Object.fromEntries(
    RUN_SUBCOMMANDS.map((sub) => [`run ${sub}`, [(a: string[]) => runSubcommand(sub, a)]]),
  ),
  'run override-policy': [overridePolicy],
  'run comment': [commentCommand],
  variable: ['list', 'set', 'delete'].map((sub) => (a: string[]) => variableCommand([sub, ...a])),
  'variable list': [(a) => variableCommand(['list', ...a])],
  'variable set': [(a) => variableCommand(['set', ...a])],
  'variable delete': [(a) => variableCommand(['delete', ...a])],
  outputs: [outputsCommand],
  workspace: ['show', 'lock', 'unlock'].map((sub) => (a: string[]) => workspaceCommand([sub, ...a])),
  'fake-server': [fakeServerCommand],
};

/**
 * The flags a help text mentions: in its usage line, its flag table and its prose. A mention after `tfe <other
 * command>` on the same line belongs to that command (`… then: tfe run --dir x`), so it is left out.
 */
function mentioned(help: string): string[] {
  const flags = new Set<string>();
  for (const line of help.split('\n')) {
    const own = line.startsWith('Usage:') ? line : line.replace(/\btfe [a-z].*$/, '');
    for (const m of own.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)) flags.add(m[1]!);
  }
  return [...flags].sort();
}

/** Whether the help's flag table has a line for the flag (`  --flag …`, `  -h, --flag`). */
function listed(help: string, flag: string): boolean {
  return new RegExp(`^\\s+(-\\w, )?--${flag}\\b`, 'm').test(help);
}

/** Whether one of the commands parses the flag (with a value when it takes one), asking only for its help. */
async function accepted(invokes: Invoke[], flag: string): Promise<boolean> {
  for (const invoke of invokes) {
    for (const form of [[`--${flag}`], [`--${flag}=x`]]) {
      try {
        await invoke([...form, '--help']);
        return true;
      } catch (err) {
        if (!(err instanceof UsageError)) throw err;
      }
    }
  }
  return false;
}

describe('help texts', () => {
  for (const [command, invokes] of Object.entries(HELPS)) {
    it(`tfe ${command} --help: every flag it mentions is listed and accepted`, async () => {
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const help = helpFor(command);
      const flags = mentioned(help);
      expect(flags.length).toBeGreaterThan(0);
      expect(flags.filter((f) => !listed(help, f)).map((f) => `--${f} (not listed)`)).toEqual([]);
      const refused: string[] = [];
      for (const flag of flags) if (!(await accepted(invokes, flag))) refused.push(`--${flag} (refused)`);
      expect(refused).toEqual([]);
    });
  }
});
