// A user's TypeScript module, type-checked (never run) against the installed tarball's declarations with
// moduleResolution nodenext and bundler: real types on every entry, not `any`.
import { setupServer } from 'msw/node';
import {
  ApiError,
  type Page,
  type Run,
  type RunOutcome,
  RunStatus,
  TfeClient,
  type TfeClientOptions,
  type WorkflowEvent,
} from 'tfe-client';
import { type FakeTfe, type RunScenario, startFakeTfe } from 'tfe-client/testing';
import { createFakeTfeHandlers } from 'tfe-client/testing/msw';

export async function planFromDirectory(dir: string): Promise<{ run: Run; outcome: RunOutcome }> {
  const fake: FakeTfe = await startFakeTfe({ stepMs: 5 });
  const options: TfeClientOptions = { token: fake.token, address: fake.url };
  const tfe = new TfeClient(options);
  try {
    const workspace = await tfe.workspaces.read(fake.organization, 'demo');
    const cv = await tfe.configurationVersions.createAndUpload(workspace.id, dir, { speculative: true });
    const created: Run = await tfe.runs.create({
      workspaceId: workspace.id,
      configurationVersionId: cv.id,
      planOnly: true,
    });
    const result = await tfe.runs.waitFor(created.id, {
      until: [RunStatus.PlannedAndFinished, 'errored'],
      onChange: (run, previous) => console.log(previous?.status, '→', run.status),
      timeoutMs: 60_000,
    });
    const withPlan = await tfe.runs.read(result.run.id, { include: ['plan'] });
    const additions: number | undefined = withPlan.plan?.resourceAdditions ?? undefined;
    console.log(additions, withPlan.createdAt?.toISOString());
    return result;
  } catch (err) {
    if (err instanceof ApiError) console.error(err.status, err.errors);
    throw err;
  } finally {
    tfe.close();
    await fake.close();
  }
}

export async function everyRun(tfe: TfeClient, workspaceId: string): Promise<string[]> {
  const first: Page<Run> = await tfe.runs.list(workspaceId, { pageSize: 20 });
  const ids = first.items.map((r) => r.id);
  for await (const run of tfe.runs.list(workspaceId, { statusGroup: 'non_final' })) ids.push(run.id);
  return ids;
}

export function workflowLog(event: WorkflowEvent): string {
  return event.type === 'run_status' ? `${event.previousStatus} → ${event.run.status}` : event.type;
}

export function mswServer(fake: FakeTfe) {
  const scenario: RunScenario = { errorDuring: 'apply' };
  fake.core.nextRun(scenario);
  return setupServer(...createFakeTfeHandlers(fake.core, { baseUrl: 'https://app.terraform.io' }));
}

export function typesAreNotAny(tfe: TfeClient): void {
  // @ts-expect-error planOnly is a boolean
  void tfe.runs.create({ workspaceId: 'ws-1', planOnly: 'yes' });
  // @ts-expect-error a run's status is a string, not a number
  void tfe.runs.read('run-1').then((run): number => run.status);
  // @ts-expect-error startFakeTfe's stepMs is a number
  void startFakeTfe({ stepMs: 'fast' });
}
