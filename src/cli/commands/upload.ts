import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AbortError } from '../../index.js';
import { CONNECTION_FLAGS, EXIT, parse, parseDuration, UsageError, WORKSPACE_FLAGS } from '../args.js';
import { connect, resolveWorkspace, workspaceRef } from '../context.js';
import { reportFailure, reportInterrupted } from '../failure.js';
import { helpFor } from '../help.js';
import { Interrupt } from '../interrupt.js';
import { Output } from '../output.js';
import { checkOutputFiles } from '../output-files.js';
import { listPack, symlinkMode } from '../pack-list.js';
import { writeGithubOutputs } from '../report.js';
import { checkDirectory, checkTarball } from '../source-checks.js';

/** `tfe upload`: creates a configuration version, uploads a directory or a .tar.gz, waits, prints its id. */
export async function upload(argv: string[]): Promise<number> {
  const command = 'upload';
  const { values } = parse(command, argv, {
    ...CONNECTION_FLAGS,
    ...WORKSPACE_FLAGS,
    dir: { type: 'string' },
    tarball: { type: 'string' },
    speculative: { type: 'boolean' },
    provisional: { type: 'boolean' },
    'auto-queue-runs': { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    symlinks: { type: 'string' },
    list: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(helpFor(command));
    return EXIT.ok;
  }
  const out = new Output(values.json ?? false);
  if (values.dir !== undefined && values.tarball !== undefined) {
    throw new UsageError('--dir and --tarball both name what to upload: pass one.', command);
  }
  const symlinks = symlinkMode(values.symlinks, command);
  const given = values.tarball ?? values.dir ?? '.';
  const source = resolve(given);
  let isFile: boolean;
  try {
    isFile = statSync(source).isFile();
  } catch {
    throw new UsageError(
      `${values.tarball !== undefined ? '--tarball' : '--dir'} ${given}: not found.`,
      command,
    );
  }
  if (values.list || values['dry-run']) {
    if (values.tarball !== undefined) {
      throw new UsageError(
        '--list shows what a directory would be packed into: it takes --dir, not --tarball.',
        command,
      );
    }
    return listPack(out, source, { symlinks });
  }
  const timeoutMs = values.timeout ? parseDuration('timeout', values.timeout) : undefined;
  checkOutputFiles(command, [['GITHUB_OUTPUT', process.env.GITHUB_OUTPUT]]);
  const ref = workspaceRef(values, command);
  if (values.tarball !== undefined && isFile) checkTarball(source, given, command);
  if (values.tarball === undefined && !isFile)
    await checkDirectory(source, given, command, out, { symlinks });
  const tfe = connect(values, command);
  const interrupt = new Interrupt((signal) => out.note(`\nReceived ${signal}: stopping the upload…`));
  try {
    const workspaceId =
      'id' in ref ? ref.id : (await resolveWorkspace(tfe, ref, command, interrupt.signal)).id;
    out.step(`Uploading ${source} to workspace ${workspaceId}`);
    out.status('uploading');
    const cv = await tfe.configurationVersions.createAndUpload(workspaceId, source, {
      speculative: values.speculative || undefined,
      provisional: values.provisional || undefined,
      autoQueueRuns: values['auto-queue-runs'] || undefined,
      timeoutMs,
      signal: interrupt.signal,
      pack: { symlinks },
    });
    out.close();
    out.step(`Configuration version ${cv.id} ${cv.status}`);
    if (process.env.GITHUB_OUTPUT) {
      writeGithubOutputs(process.env.GITHUB_OUTPUT, [
        ['configuration-version-id', cv.id],
        ['workspace-id', workspaceId],
      ]);
    }
    out.document({
      configurationVersionId: cv.id,
      status: cv.status,
      speculative: cv.speculative ?? false,
      provisional: cv.provisional ?? false,
      workspaceId,
      exitCode: EXIT.ok,
    });
    out.result(cv.id);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof AbortError && interrupt.received) return reportInterrupted(out, interrupt);
    return reportFailure(out, err, command);
  } finally {
    interrupt.dispose();
    tfe.close();
  }
}
