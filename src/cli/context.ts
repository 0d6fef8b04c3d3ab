import { NotFoundError, resolveAddress, TfeClient, type Workspace } from '../index.js';
import { UsageError } from './args.js';

type Env = Record<string, string | undefined>;

/** The connection flags as parsed. */
export interface ConnectionFlags {
  token?: string | undefined;
  address?: string | undefined;
}

/** The workspace flags as parsed. */
export interface WorkspaceFlags {
  organization?: string | undefined;
  workspace?: string | undefined;
  'workspace-id'?: string | undefined;
}

/** A workspace named on the command line: by organization and name, or by id. */
export type WorkspaceRef = { organization: string; name: string } | { id: string };

const first = (...values: Array<string | undefined>) =>
  values.find((v) => v !== undefined && v.trim() !== '');

/**
 * `app.terraform.io` → `TF_TOKEN_app_terraform_io`, the variable Terraform itself reads a host's token from
 * (a hyphen may be written as `__`, as shells refuse hyphens in names).
 */
function terraformTokenVariables(address: string): string[] {
  const name = `TF_TOKEN_${new URL(address).hostname.replace(/\./g, '_')}`;
  return name.includes('-') ? [name.replace(/-/g, '__'), name] : [name];
}

/**
 * A client from the flags and the environment. The address is decided first (variables that disagree are refused),
 * so that a host-specific token variable is only read for the host the configuration names.
 */
export function connect(flags: ConnectionFlags, command: string, env: Env = process.env): TfeClient {
  let address: string;
  try {
    ({ address } = resolveAddress({ address: flags.address, addressName: '--address', env }));
  } catch (err) {
    throw new UsageError((err as Error).message, command);
  }
  const tokenVariables = terraformTokenVariables(address);
  const tokenVariable = tokenVariables[0];
  const token = first(flags.token, env.TFE_TOKEN, env.TF_API_TOKEN, ...tokenVariables.map((v) => env[v]));
  if (!token) {
    throw new UsageError(
      `no API token: set TFE_TOKEN (or TF_API_TOKEN${tokenVariable ? `, or ${tokenVariable}` : ''}) in the environment.`,
      command,
    );
  }
  return new TfeClient({ token, address: flags.address, env, userAgent: 'tfe-cli' });
}

/** The workspace the flags or the environment name; a UsageError naming the missing flag otherwise. */
export function workspaceRef(flags: WorkspaceFlags, command: string, env: Env = process.env): WorkspaceRef {
  const id = first(flags['workspace-id']);
  if (id) return { id };
  const name = first(flags.workspace, env.TFE_WORKSPACE, env.TF_WORKSPACE);
  const organization = first(flags.organization, env.TFE_ORGANIZATION, env.TF_CLOUD_ORGANIZATION);
  if (!name) {
    throw new UsageError(
      'no workspace: pass --workspace <name> (or set TFE_WORKSPACE or TF_WORKSPACE), or --workspace-id.',
      command,
    );
  }
  if (!organization) {
    throw new UsageError(
      `no organization for workspace "${name}": pass --organization <name> (or set TFE_ORGANIZATION or TF_CLOUD_ORGANIZATION).`,
      command,
    );
  }
  return { organization, name };
}

/** Reads the workspace the command names. */
export function readWorkspace(tfe: TfeClient, ref: WorkspaceRef, signal?: AbortSignal): Promise<Workspace> {
  const options = signal ? { signal } : undefined;
  return 'id' in ref
    ? tfe.workspaces.readById(ref.id, {}, options)
    : tfe.workspaces.read(ref.organization, ref.name, {}, options);
}

/** A 404 while resolving the workspace the flags name is a configuration error, not a failed run. */
export function workspaceNotFound(err: unknown, ref: WorkspaceRef, command: string): unknown {
  if (!(err instanceof NotFoundError)) return err;
  return new UsageError(
    `workspace ${describeWorkspace(ref)} was not found, or the token cannot read it: check ${
      'id' in ref ? '--workspace-id' : '--organization and --workspace'
    }, and the token's access.`,
    command,
  );
}

/** Reads the workspace the command names; a 404 becomes the UsageError of {@link workspaceNotFound}. */
export async function resolveWorkspace(
  tfe: TfeClient,
  ref: WorkspaceRef,
  command: string,
  signal?: AbortSignal,
): Promise<Workspace> {
  try {
    return await readWorkspace(tfe, ref, signal);
  } catch (err) {
    throw workspaceNotFound(err, ref, command);
  }
}

/** `{id, name, organization}` of the workspace, as the JSON documents give it. */
export function workspaceSummary(ws: Workspace) {
  return { id: ws.id, name: ws.name, organization: ws.relationships.organization?.id ?? null };
}

/** `acme/prod` for messages. */
export function workspaceName(ws: Workspace): string {
  const organization = ws.relationships.organization?.id;
  return organization ? `${organization}/${ws.name}` : ws.name;
}

/** `acme/prod`, or the id when that is all there is. */
export function describeWorkspace(ref: WorkspaceRef): string {
  return 'id' in ref ? ref.id : `${ref.organization}/${ref.name}`;
}

/** A run message naming the CI job that started it, when there is one. */
export function defaultMessage(env: Env = process.env): string {
  if (env.GITHUB_ACTIONS === 'true') {
    const sha = env.GITHUB_SHA?.slice(0, 7);
    return `Triggered by tfe from GitHub Actions: ${env.GITHUB_REPOSITORY ?? ''}${sha ? `@${sha}` : ''} (${env.GITHUB_WORKFLOW ?? 'workflow'} #${env.GITHUB_RUN_NUMBER ?? '?'})`;
  }
  if (env.GITLAB_CI === 'true') {
    const sha = env.CI_COMMIT_SHORT_SHA;
    return `Triggered by tfe from GitLab CI: ${env.CI_PROJECT_PATH ?? ''}${sha ? `@${sha}` : ''} (pipeline ${env.CI_PIPELINE_ID ?? '?'})`;
  }
  return 'Triggered by tfe (tfe-client CLI)';
}
