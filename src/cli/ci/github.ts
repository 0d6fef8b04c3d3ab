import { readFileSync } from 'node:fs';
import { HostClient } from './http.js';
import type { CommentTarget, Env, Found } from './target.js';

/** Events whose job belongs to a pull request (the PR number is in the event payload). */
const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** Where GitHub Actions says this job's pull request is; why not, otherwise. */
export function githubTarget(env: Env): Found {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!PR_EVENTS.has(event))
    return { skip: `this job runs for a ${event || 'non-pull-request'} event, not a pull request` };
  let payload: { pull_request?: { number?: unknown }; number?: unknown };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8'));
  } catch (err) {
    return { fail: `cannot read the event payload at GITHUB_EVENT_PATH: ${(err as Error).message}` };
  }
  const number = payload.pull_request?.number ?? payload.number;
  if (typeof number !== 'number') return { fail: 'the event payload names no pull request number' };
  const repo = env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/]+\/[^/]+$/.test(repo)) return { fail: 'GITHUB_REPOSITORY is not set to owner/name' };
  const token = env.GITHUB_TOKEN;
  if (!token) {
    const expression = ['$', '{{ secrets.GITHUB_TOKEN }}'].join('');
    return {
      fail: `GITHUB_TOKEN is not set: pass it to the step (env: GITHUB_TOKEN: ${expression}) and grant the job pull-requests: write`,
    };
  }
  // GitHub Enterprise Server sets GITHUB_API_URL to its own API.
  const api = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  return { target: new GithubPullRequest(api, repo, number, token) };
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

/** One pull request's issue comments (docs.github.com/rest/issues/comments). */
class GithubPullRequest implements CommentTarget {
  readonly host = 'GitHub';
  readonly maxLength = 65_536;
  private readonly client: HostClient;
  private readonly issue: string;

  constructor(
    private readonly api: string,
    private readonly repo: string,
    readonly number: number,
    token: string,
  ) {
    this.client = new HostClient(
      'GitHub',
      {
        Authorization: `Bearer ${token}`,
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
      },
      token,
    );
    this.issue = `${api}/repos/${repo}/issues/${number}`;
  }

  get where(): string {
    return `${this.repo}#${this.number}`;
  }

  async find(marker: string): Promise<string | undefined> {
    let url: string | undefined = `${this.issue}/comments?per_page=100`;
    while (url) {
      const res = await this.client.request('GET', url);
      const found = (res.data as IssueComment[]).find((c) => c.body?.includes(marker));
      if (found) return String(found.id);
      url = nextLink(res.headers.link, this.api);
    }
    return undefined;
  }

  async create(body: string): Promise<string | undefined> {
    const res = await this.client.request('POST', `${this.issue}/comments`, { body });
    return (res.data as IssueComment).html_url;
  }

  async update(id: string, body: string): Promise<string | undefined> {
    const res = await this.client.request('PATCH', `${this.api}/repos/${this.repo}/issues/comments/${id}`, {
      body,
    });
    return (res.data as IssueComment).html_url;
  }
}

/** The `rel="next"` URL of a Link header, only on the API's own origin (the token goes nowhere else). */
function nextLink(link: string | undefined, api: string): string | undefined {
  const next = link?.split(',').find((part) => /rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return undefined;
  return new URL(url).origin === new URL(api).origin ? url : undefined;
}
