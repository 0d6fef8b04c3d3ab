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

/** The first set value with the name of the flag or variable it came from. */
function firstNamed(...candidates: Array<[string, string | undefined]>): [string, string] | undefined {
  const found = candidates.find(([, v]) => v !== undefined && v.trim() !== '');
  return found ? [found[0], found[1] as string] : undefined;
}

/**
 * Where the connection settings of this invocation came from (`--token`, `TFE_TOKEN`, `TFE_ADDRESS`…), so an
 * error names what the user actually set. One command runs per process.
 */
export const connectionSources: { token?: string; address?: string } = {};

/** Where the workspace flags of this invocation came from (`--organization` or `TFE_ORGANIZATION`, …). */
export const workspaceSources: { organization?: string; workspace?: string } = {};

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
  let addressSource: string;
  try {
    ({ address, source: addressSource } = resolveAddress({
      address: flags.address,
      addressName: '--address',
      env,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message, command);
  }
  const tokenVariables = terraformTokenVariables(address);
  const tokenVariable = tokenVariables[0];
  const tokenFrom = firstNamed(
    ['--token', flags.token],
    ['TFE_TOKEN', env.TFE_TOKEN],
    ['TF_API_TOKEN', env.TF_API_TOKEN],
    ...tokenVariables.map((v): [string, string | undefined] => [v, env[v]]),
  );
  const token = tokenFrom?.[1];
  connectionSources.token = tokenFrom?.[0];
  connectionSources.address = addressSource === 'default' ? undefined : addressSource;
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
  if (id && first(flags.workspace)) {
    throw new UsageError('--workspace-id and --workspace both name the workspace: pass one.', command);
  }
  if (id) return { id };
  const nameFrom = firstNamed(
    ['--workspace', flags.workspace],
    ['TFE_WORKSPACE', env.TFE_WORKSPACE],
    ['TF_WORKSPACE', env.TF_WORKSPACE],
  );
  const organizationFrom = firstNamed(
    ['--organization', flags.organization],
    ['TFE_ORGANIZATION', env.TFE_ORGANIZATION],
    ['TF_CLOUD_ORGANIZATION', env.TF_CLOUD_ORGANIZATION],
  );
  workspaceSources.workspace = nameFrom?.[0];
  workspaceSources.organization = organizationFrom?.[0];
  const name = nameFrom?.[1];
  const organization = organizationFrom?.[1];
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
      'id' in ref
        ? '--workspace-id'
        : `${workspaceSources.organization ?? '--organization'} and ${workspaceSources.workspace ?? '--workspace'}`
    }, and the access of the token (${connectionSources.token ?? 'TFE_TOKEN'}).`,
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
