import { z } from 'zod';
import { sleep } from '../core/abort.js';
import { TimeoutError } from '../core/errors.js';
import type { RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import type { StateVersion } from '../models/state-version.js';
import type { StateVersionOutput } from '../models/state-version-output.js';
import type { StateVersions } from '../resources/state-versions.js';
import { withDeadline } from './deadline.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_MS = 1000;

const ParamsSchema = z.strictObject({
  includeSensitive: z.boolean().optional(),
  waitForProcessing: z
    .union([
      z.literal(false),
      z.strictObject({
        timeoutMs: z.number().positive().optional(),
        pollIntervalMs: z.number().positive().optional(),
      }),
    ])
    .optional(),
});

/**
 * `includeSensitive: true` returns sensitive values (fetching each one the list left null); by default they are
 * masked. `waitForProcessing` bounds the wait for the state to be processed (default `{ timeoutMs: 60000 }`);
 * `false` reads whatever the API has now, which may be incomplete.
 * @interface
 */
export type ReadCurrentOutputsParams = z.input<typeof ParamsSchema>;

/** The current state was still being processed when the wait's deadline passed. */
export class StateVersionProcessingTimeoutError extends TimeoutError {
  override readonly name: string = 'StateVersionProcessingTimeoutError';
  constructor(
    timeoutMs: number,
    /** The last current state version seen. */
    readonly stateVersion: StateVersion | undefined,
    /** Names the workspace when the deadline came before any poll answered. */
    workspaceId?: string,
  ) {
    super(
      stateVersion
        ? `State version ${stateVersion.id} was still being processed after ${timeoutMs} ms: its outputs are ` +
            'not known yet.'
        : `The current state version of workspace ${workspaceId ?? '(unknown)'} was not read within ` +
            `${timeoutMs} ms: its outputs are not known yet.`,
      timeoutMs,
    );
  }
}

/** Reads the current state's outputs after waiting for its processing. Built on the public methods only. */
export async function readCurrentOutputs(
  stateVersions: StateVersions,
  workspaceId: string,
  params: ReadCurrentOutputsParams = {},
  options?: RequestOptions,
): Promise<StateVersionOutput[]> {
  const p = validateInput(ParamsSchema, params, 'stateVersions.readCurrentOutputs');
  const current =
    p.waitForProcessing === false
      ? await stateVersions.readCurrent(workspaceId, options)
      : await waitForProcessed(stateVersions, workspaceId, p.waitForProcessing ?? {}, options);

  const outputs: StateVersionOutput[] = [];
  const list = stateVersions.listOutputs(current.id, { includeSensitive: p.includeSensitive }, options);
  for await (const output of list) outputs.push(output);
  if (!p.includeSensitive) return outputs;
  // The list may send sensitive values as null (it will from November 2026); each output's own endpoint reveals it.
  for (const [i, output] of outputs.entries()) {
    if (output.sensitive && (output.value === null || output.value === undefined)) {
      outputs[i] = await stateVersions.readOutput(output.id, { includeSensitive: true }, options);
    }
  }
  return outputs;
}

/** Polls the workspace's current state version until it is processed, following a newer one if it appears. */
async function waitForProcessed(
  stateVersions: StateVersions,
  workspaceId: string,
  wait: { timeoutMs?: number | undefined; pollIntervalMs?: number | undefined },
  options: RequestOptions | undefined,
): Promise<StateVersion> {
  const timeoutMs = wait.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let last: StateVersion | undefined;
  // The deadline must fire even in the middle of a request or a sleep.
  return withDeadline(
    options?.signal,
    timeoutMs,
    async ({ signal }) => {
      for (;;) {
        last = await stateVersions.readCurrent(workspaceId, { ...options, signal });
        // Servers that do not report processing extract nothing later: absent means done.
        if (last.resourcesProcessed !== false) return last;
        await sleep(wait.pollIntervalMs ?? DEFAULT_POLL_MS, signal);
      }
    },
    () => new StateVersionProcessingTimeoutError(timeoutMs, last, workspaceId),
  );
}
