// Where the examples run. With TFE_TOKEN (or TF_API_TOKEN) set: the real TFE at TFE_ADDRESS (default
// app.terraform.io), in the workspace TFE_ORGANIZATION/TFE_WORKSPACE. Without: the fake TFE from
// tfe-client/testing on loopback, so every example runs as it is, offline.
// @ts-check
import { fileURLToPath } from 'node:url';
import { TfeClient } from 'tfe-client';

/**
 * @typedef {object} Target
 * @property {TfeClient} tfe
 * @property {string} organization
 * @property {string} workspace
 * @property {import('tfe-client/testing').FakeTfe | undefined} fake  present when running against the fake
 * @property {string} configuration  the Terraform configuration directory the examples upload
 * @property {() => Promise<void>} close
 */

/**
 * @param {import('tfe-client/testing').StartFakeTfeOptions} [fakeOptions] how the fake behaves when it is used
 * @returns {Promise<Target>}
 */
export async function connect(fakeOptions = {}) {
  const configuration =
    process.env.TFE_CONFIGURATION_DIR ?? fileURLToPath(new URL('./configuration', import.meta.url));
  if (process.env.TFE_TOKEN || process.env.TF_API_TOKEN) {
    const organization = process.env.TFE_ORGANIZATION;
    const workspace = process.env.TFE_WORKSPACE;
    if (!organization || !workspace) {
      console.error(
        'With TFE_TOKEN set, also set TFE_ORGANIZATION and TFE_WORKSPACE (and TFE_ADDRESS for TFE).',
      );
      process.exit(2);
    }
    const tfe = new TfeClient();
    return { tfe, organization, workspace, fake: undefined, configuration, close: async () => tfe.close() };
  }
  const { startFakeTfe } = await import('tfe-client/testing');
  const fake = await startFakeTfe({ stepMs: 40, ...fakeOptions });
  const tfe = new TfeClient({ token: fake.token, address: fake.url, env: {} });
  console.error(`(TFE_TOKEN is not set: using the fake TFE at ${fake.url})`);
  return {
    tfe,
    organization: fake.organization,
    workspace: 'demo',
    fake,
    configuration,
    close: async () => {
      tfe.close();
      await fake.close();
    },
  };
}
