import { parseArgs } from 'node:util';
import { startFakeTfe } from './server.js';

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a non-negative number, not "${value}"`);
  return n;
}

/**
 * `tfe fake-server`: starts the fake TFE, prints `{url, apiUrl, uploadUrl, token, organization, workspaces}`
 * as one JSON line on stdout, and runs until SIGINT or SIGTERM.
 */
export async function runFakeServer(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      organization: { type: 'string' },
      workspace: { type: 'string', multiple: true },
      'step-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'run-list-rate-limit': { type: 'string' },
      'run-list-window-ms': { type: 'string' },
      'archivist-re-put': { type: 'string' },
    },
    strict: true,
  });
  const rePut = values['archivist-re-put'];
  if (rePut !== undefined && rePut !== 'accept-identical' && rePut !== 'conflict')
    throw new Error(`--archivist-re-put must be accept-identical or conflict, not "${rePut}"`);
  const workspaces = values.workspace?.flatMap((w) => w.split(',')).filter(Boolean);
  const fake = await startFakeTfe({
    port: numberFlag('port', values.port),
    host: values.host,
    token: values.token,
    organization: values.organization,
    workspaces,
    stepMs: numberFlag('step-ms', values['step-ms']),
    rateLimitPerSecond: numberFlag('rate-limit', values['rate-limit']),
    runListRateLimit: numberFlag('run-list-rate-limit', values['run-list-rate-limit']),
    runListWindowMs: numberFlag('run-list-window-ms', values['run-list-window-ms']),
    archivistRePut: rePut,
  });
  process.stdout.write(
    `${JSON.stringify({
      url: fake.url,
      apiUrl: fake.apiUrl,
      uploadUrl: fake.uploadUrl,
      token: fake.token,
      organization: fake.organization,
      workspaces: workspaces ?? ['demo'],
    })}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void fake.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
