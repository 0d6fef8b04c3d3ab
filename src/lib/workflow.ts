import { z } from 'zod';
import type { TfeClient } from '../client.js';
import { AbortError, InputValidationError } from '../core/errors.js';
import { signalSchema, validateInput } from '../core/validate.js';
import type { ConfigurationVersion } from '../models/configuration-version.js';
import type { Run } from '../models/run.js';
import type { Workspace } from '../models/workspace.js';
import type { ConfigurationVersions } from '../resources/configuration-versions.js';
import { RUN_ATTRIBUTE_OPTIONS, type RunCreateParams, refineRunModes } from '../resources/runs.js';
import { withDeadline } from './deadline.js';
import type { RunDecision } from './decision.js';
import type { RunOutcome } from './outcome.js';
import { checkPackOptions } from './pack/index.js';
import { summarise, type WorkflowSummary } from './run-summary.js';
import type { UploadPackOptions } from './upload.js';
import type { PollInterval } from './wait.js';

/** What to upload: a directory, a .tar.gz path, bytes, or a stream of tar.gz bytes. */
export type WorkflowSource = Parameters<ConfigurationVersions['upload']>[1];

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'expected a function');
const ms = z.number().positive();
// Checked before anything is created: a misspelled option must not leave a configuration version behind.
const { autoApply: _autoApply, ...RUN_OPTIONS } = RUN_ATTRIBUTE_OPTIONS;
const WorkflowRunSchema = refineRunModes(
  z.strictObject({
    workspace: z.union([
      z.strictObject({ organization: z.string().min(1), name: z.string().min(1) }),
      z.strictObject({ id: z.string().min(1) }),
    ]),
    source: z.custom<WorkflowSource>(
      (v) =>
        typeof v === 'string' ||
        v instanceof Uint8Array ||
        (typeof v === 'object' && v !== null && typeof (v as { pipe?: unknown }).pipe === 'function'),
      'expected a directory, a .tar.gz path, a Buffer or a Readable',
    ),
    // The run's own attributes, as runs.create takes them; `apply` decides auto-apply.
    ...RUN_OPTIONS,
    // Its values are checked below, with a message of their own.
    apply: z.string().optional(),
    comment: z.string().optional(),
    signal: signalSchema.optional(),
    onAbort: z.enum(['cancel', 'leave']).optional(),
    timeoutMs: ms.optional(),
    pollIntervalMs: z
      .union([ms, z.strictObject({ initialMs: ms.optional(), maxMs: ms.optional() })])
      .optional(),
    onEvent: fn.optional(),
    // Its fields are checked by checkPackOptions, with messages naming them.
    pack: z
      .custom<UploadPackOptions>((v) => typeof v === 'object' && v !== null, 'expected pack options')
      .optional(),
  }),
);

/** The run attributes `workflows.run` passes to `runs.create` (all but `autoApply`, which `apply` decides). */
export type WorkflowRunAttributes = Omit<
  RunCreateParams,
  'workspaceId' | 'configurationVersionId' | 'autoApply'
>;

/**
 * After the plan: `auto` lets TFE apply without asking (the run's auto-apply), `confirm` has the SDK apply once
 * the run is confirmable, `never` stops at the plan (outcome `needs_confirmation` when there are changes).
 */
export type ApplyMode = 'auto' | 'confirm' | 'never';

/**
 * What `workflows.run` takes: the workspace, the configuration to upload, the run's options, and when to
 * apply.
 */
export interface WorkflowRunOptions extends WorkflowRunAttributes {
  workspace: { organization: string; name: string } | { id: string };
  source: WorkflowSource;
  /** Default `never`: a pipeline applies only when it says so. */
  apply?: ApplyMode;
  comment?: string;
  signal?: AbortSignal;
  /** After an abort, `cancel` (default) cancels or discards the run; `leave` leaves it as it is. */
  onAbort?: 'cancel' | 'leave';
  /** Deadline for the whole workflow, ms. */
  timeoutMs?: number;
  pollIntervalMs?: number | PollInterval;
  /** Called at each step, in order (see {@link WorkflowEvent}). */
  onEvent?: (event: WorkflowEvent) => void;
  /** How a directory source is packed (symlinks, extra ignore rules, gzip level); ignored for other sources. */
  pack?: UploadPackOptions;
}

/** What `workflows.run` returns: the run, its outcome, the counts, and where to see it. */
export interface WorkflowResult {
  run: Run;
  outcome: RunOutcome;
  /** For a run waiting for a decision: what it waits on and whether this token may override (see `waitFor`). */
  decision?: RunDecision;
  summary: WorkflowSummary;
  workspace: Workspace;
  configurationVersion: ConfigurationVersion;
  /** The run in the TFE UI. */
  runUrl: string;
}

/** What `onEvent` receives, in order; `elapsedMs` counts from the start of the workflow. */
export type WorkflowEvent = { elapsedMs: number } & (
  | { type: 'workspace_resolved'; workspace: Workspace }
  | { type: 'configuration_version_created'; configurationVersion: ConfigurationVersion }
  | { type: 'upload_started'; configurationVersion: ConfigurationVersion }
  | { type: 'upload_finished'; configurationVersion: ConfigurationVersion }
  | { type: 'configuration_version_ready'; configurationVersion: ConfigurationVersion }
  | { type: 'run_created'; run: Run; runUrl: string }
  | { type: 'run_status'; run: Run; previousStatus: string | undefined }
  | { type: 'apply_requested'; run: Run }
  | { type: 'run_stopped'; run: Run; action: 'cancel' | 'discard' | 'none' }
  | { type: 'finished'; run: Run; outcome: RunOutcome; summary: WorkflowSummary }
);

type EventInit = WorkflowEvent extends infer E
  ? E extends WorkflowEvent
    ? Omit<E, 'elapsedMs'>
    : never
  : never;

/** The API-driven run workflow in one call, built only on the public resources. */
export class Workflows {
  constructor(private readonly tfe: TfeClient) {}

  /**
   * Resolves the workspace, creates a configuration version, uploads the source, waits for it, creates the run,
   * waits, applies when asked and allowed, waits again, and returns the run with its outcome and counts.
   */
  async run(options: WorkflowRunOptions): Promise<WorkflowResult> {
    validateInput(WorkflowRunSchema, options, 'workflows.run');
    // A bad pack option found at the upload would leave a configuration version behind.
    checkPackOptions(options.pack);
    const started = Date.now();
    const emit = (event: EventInit) =>
      options.onEvent?.({ ...event, elapsedMs: Date.now() - started } as WorkflowEvent);
    const apply = options.apply ?? 'never';
    if (!['auto', 'confirm', 'never'].includes(apply)) {
      throw new InputValidationError(
        `workflows.run: apply must be 'auto', 'confirm' or 'never', got ${apply}.`,
        'apply',
      );
    }
    if (apply !== 'never' && options.planOnly) {
      throw new InputValidationError(
        'workflows.run: a planOnly run cannot be applied; use apply: "never".',
        'apply',
      );
    }
    // One signal for every step: the caller's abort and the workflow's deadline.
    return withDeadline(
      options.signal,
      options.timeoutMs,
      ({ signal }) => this.steps(options, apply, signal, emit),
      () => new AbortError(`The workflow ran past its ${options.timeoutMs} ms deadline and was stopped.`),
    );
  }

  private async steps(
    options: WorkflowRunOptions,
    apply: ApplyMode,
    signal: AbortSignal,
    emit: (event: EventInit) => void,
  ): Promise<WorkflowResult> {
    const { tfe } = this;
    let run: Run | undefined;
    try {
      const workspace =
        'id' in options.workspace
          ? await tfe.workspaces.readById(options.workspace.id, {}, { signal })
          : await tfe.workspaces.read(options.workspace.organization, options.workspace.name, {}, { signal });
      emit({ type: 'workspace_resolved', workspace });

      const created = await tfe.configurationVersions.create(
        workspace.id,
        {
          autoQueueRuns: false,
          speculative: options.planOnly ?? false,
          // The Runs API docs: a saved plan's configuration version should be provisional, so it becomes the
          // workspace's current one only if the plan is applied.
          ...(options.savePlan && { provisional: true }),
        },
        { signal },
      );
      emit({ type: 'configuration_version_created', configurationVersion: created });
      emit({ type: 'upload_started', configurationVersion: created });
      await tfe.configurationVersions.upload(created, options.source, {
        signal,
        ...(options.pack && { pack: options.pack }),
      });
      emit({ type: 'upload_finished', configurationVersion: created });
      const configurationVersion = await tfe.configurationVersions.waitForUpload(created.id, { signal });
      emit({ type: 'configuration_version_ready', configurationVersion });

      run = await tfe.runs.create(
        {
          workspaceId: workspace.id,
          configurationVersionId: configurationVersion.id,
          ...runAttributes(options),
          ...(apply === 'auto' && { autoApply: true }),
        },
        { signal },
      );
      const organization = workspace.relationships.organization?.id ?? '';
      const runUrl = tfe.runUrl(organization, workspace.name, run.id);
      emit({ type: 'run_created', run, runUrl });

      // Carried across the waits before and after the apply, so each change is reported once.
      let lastStatus: string | undefined;
      const onChange = (r: Run) => {
        run = r;
        if (r.status === lastStatus) return;
        emit({ type: 'run_status', run: r, previousStatus: lastStatus });
        lastStatus = r.status;
      };
      const wait = () =>
        tfe.runs.waitFor(run!.id, { signal, onChange, pollIntervalMs: options.pollIntervalMs });
      let result = await wait();
      if (
        apply === 'confirm' &&
        result.outcome === 'needs_confirmation' &&
        result.run.actions.isConfirmable
      ) {
        await tfe.runs.apply(result.run.id, options.comment ? { comment: options.comment } : {}, { signal });
        emit({ type: 'apply_requested', run: result.run });
        result = await wait();
      }
      const summary = await summarise(tfe, result.run.id, signal);
      emit({ type: 'finished', run: result.run, outcome: result.outcome, summary });
      return {
        run: result.run,
        outcome: result.outcome,
        ...(result.decision && { decision: result.decision }),
        summary,
        workspace,
        configurationVersion,
        runUrl,
      };
    } catch (err) {
      if (signal.aborted && run && options.onAbort !== 'leave') await stopRun(tfe, run, emit);
      throw err;
    }
  }
}

/** Cancels a running run or discards a waiting one, so an aborted pipeline leaves nothing queued behind it. */
async function stopRun(tfe: TfeClient, seen: Run, emit: (e: EventInit) => void): Promise<void> {
  const comment = 'Stopped by tfe-client: the workflow was aborted.';
  try {
    const run = await tfe.runs.read(seen.id);
    if (run.actions.isCancelable) {
      await tfe.runs.cancel(run.id, { comment });
      emit({ type: 'run_stopped', run, action: 'cancel' });
    } else if (run.actions.isDiscardable) {
      await tfe.runs.discard(run.id, { comment });
      emit({ type: 'run_stopped', run, action: 'discard' });
    } else {
      emit({ type: 'run_stopped', run, action: 'none' });
    }
  } catch {
    // The abort's own error is what the caller needs; a failed clean-up must not replace it.
  }
}

/** The run attributes among the workflow's options, as given. */
function runAttributes(options: WorkflowRunOptions): WorkflowRunAttributes {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(RUN_OPTIONS)) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as WorkflowRunAttributes;
}
