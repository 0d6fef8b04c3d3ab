import { githubTarget } from './github.js';
import { gitlabTarget } from './gitlab.js';
import type { Env, Found } from './target.js';

/** What `--pr-comment` did. */
export interface PrCommentResult {
  status: 'created' | 'updated' | 'skipped' | 'failed';
  /** `owner/repo#12` or `merge request !3 of project 42`. */
  where?: string;
  /** The comment on GitHub. */
  url?: string;
  message: string;
}

/**
 * The hidden line that finds the comment again on a later run: it names the workspace, so two workspaces
 * planned for one pull request keep two comments. An HTML comment cannot hold `--`.
 */
export function commentMarker(workspace: string): string {
  return `<!-- tfe-client:plan-review workspace=${workspace.replace(/--/g, '-%2D').replace(/>/g, '%3E')} -->`;
}

function detect(env: Env): Found {
  if (env.GITHUB_ACTIONS === 'true') return githubTarget(env);
  if (env.GITLAB_CI === 'true') return gitlabTarget(env);
  return { skip: 'not running in GitHub Actions or GitLab CI' };
}

/**
 * Creates the pull request's (or merge request's) plan comment of this workspace, or updates it when an
 * earlier run made one: one comment per workspace, never a second. `render` gets the room left after the
 * marker. Never throws: a failure is reported for a warning, and the run's result stands.
 */
export async function upsertPrComment(
  workspace: string,
  render: (maxLength: number) => string,
  env: Env,
): Promise<PrCommentResult> {
  const found = detect(env);
  if ('skip' in found) return { status: 'skipped', message: `${found.skip}; no comment written.` };
  if ('fail' in found) return { status: 'failed', message: found.fail };
  const target = found.target;
  const marker = commentMarker(workspace);
  const body = `${marker}\n${render(target.maxLength - marker.length - 1)}`;
  try {
    const id = await target.find(marker);
    const url = id === undefined ? await target.create(body) : await target.update(id, body);
    const status = id === undefined ? 'created' : 'updated';
    return {
      status,
      where: target.where,
      ...(url ? { url } : {}),
      message: `${status} the plan comment on ${target.where}${url ? `: ${url}` : ''}.`,
    };
  } catch (err) {
    return { status: 'failed', where: target.where, message: `${target.host}: ${(err as Error).message}` };
  }
}
