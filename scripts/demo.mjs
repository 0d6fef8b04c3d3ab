// The main job: the API-driven run workflow end to end. Against the built-in fake TFE by default; against a
// real TFE when TFE_TOKEN is set (with TFE_ORGANIZATION and TFE_WORKSPACE, and TFE_ADDRESS for Enterprise).
import { fileURLToPath } from 'node:url';
import { renderPlanText, summarizePlan, TfeClient } from 'tfe-client';

const source = fileURLToPath(new URL('../examples/configuration', import.meta.url));
const real = Boolean(process.env.TFE_TOKEN || process.env.TF_API_TOKEN);
const apply = process.env.TFE_APPLY ?? (real ? 'never' : 'confirm');

let fake;
let tfe;
let workspace;
if (real) {
  const organization = process.env.TFE_ORGANIZATION;
  const name = process.env.TFE_WORKSPACE;
  if (!organization || !name) {
    console.error(
      'With TFE_TOKEN set, also set TFE_ORGANIZATION and TFE_WORKSPACE (and TFE_ADDRESS for Enterprise).',
    );
    process.exit(3);
  }
  tfe = new TfeClient();
  workspace = { organization, name };
} else {
  const { startFakeTfe } = await import('tfe-client/testing');
  fake = await startFakeTfe({ stepMs: 150 });
  tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  workspace = { organization: fake.organization, name: 'demo' };
  console.log(`fake TFE listening on ${fake.url} (organization ${fake.organization})`);
}
console.log(
  `target: ${tfe.address}  workspace: ${workspace.organization}/${workspace.name}  apply: ${apply}\n`,
);

const seconds = (ms) => `${(ms / 1000).toFixed(1).padStart(5)}s`;
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

try {
  const { run, outcome, summary, runUrl } = await tfe.workflows.run({
    workspace,
    source,
    message: 'tfe-client demo',
    apply,
    signal: controller.signal,
    pollIntervalMs: real ? undefined : { initialMs: 50, maxMs: 100 },
    onEvent: (e) => {
      const at = seconds(e.elapsedMs);
      switch (e.type) {
        case 'workspace_resolved':
          return console.log(`${at}  workspace ${e.workspace.name} (${e.workspace.id})`);
        case 'configuration_version_created':
          return console.log(`${at}  configuration version ${e.configurationVersion.id} created`);
        case 'upload_finished':
          return console.log(`${at}  configuration uploaded`);
        case 'configuration_version_ready':
          return console.log(`${at}  configuration version ${e.configurationVersion.status}`);
        case 'run_created':
          return console.log(`${at}  run ${e.run.id} created: ${e.runUrl}`);
        case 'run_status':
          return console.log(`${at}  ${e.previousStatus ?? '(start)'} → ${e.run.status}`);
        case 'apply_requested':
          return console.log(`${at}  plan confirmed: apply requested`);
        case 'run_stopped':
          return console.log(`${at}  run stopped (${e.action})`);
        default:
          return undefined;
      }
    },
  });
  const plan = summary.plan;
  const applied = summary.apply;
  // Plan review: what the plan changes, resource by resource, from Terraform's JSON plan.
  try {
    const review = summarizePlan(await tfe.runs.planJsonOutput(run.id, { signal: controller.signal }));
    console.log(`\nresource changes:\n${renderPlanText(review).trimEnd().replace(/^/gm, '  ')}`);
  } catch (err) {
    console.log(`\nno resource-level summary (${err.name}): ${err.message}`);
  }
  console.log(`outcome: ${outcome}  (run ${run.id}, status ${run.status})`);
  if (plan) console.log(`plan:  +${plan.additions} ~${plan.changes} -${plan.destructions}`);
  if (applied) console.log(`apply: +${applied.additions} ~${applied.changes} -${applied.destructions}`);
  console.log(`url:   ${runUrl}`);
  process.exitCode = ['errored', 'canceled', 'discarded', 'policy_soft_failed'].includes(outcome) ? 1 : 0;
} catch (err) {
  console.error(`\n${err.name}: ${err.message}`);
  process.exitCode = 1;
} finally {
  tfe.close();
  await fake?.close();
}
