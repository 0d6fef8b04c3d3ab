import { HostClient } from './http.js';
import type { CommentTarget, Env, Found } from './target.js';

/** Where GitLab CI says this pipeline's merge request is; why not, otherwise. */
export function gitlabTarget(env: Env): Found {
  const iid = env.CI_MERGE_REQUEST_IID;
  if (!iid) return { skip: 'this pipeline is not a merge request pipeline (no CI_MERGE_REQUEST_IID)' };
  const api = env.CI_API_V4_URL?.replace(/\/+$/, '');
  const project = env.CI_PROJECT_ID;
  if (!api || !project) return { fail: 'CI_API_V4_URL or CI_PROJECT_ID is not set' };
  // CI_JOB_TOKEN cannot write notes: a project or personal access token with the api scope is needed.
  const token = env.GITLAB_TOKEN;
  if (!token) {
    return {
      fail: 'GITLAB_TOKEN is not set: add a project access token with the api scope as a masked CI/CD variable',
    };
  }
  return { target: new GitlabMergeRequest(api, project, iid, token) };
}

interface Note {
  id: number;
  body?: string | null;
  system?: boolean;
}

/** One merge request's notes (docs.gitlab.com/ee/api/notes.html). */
class GitlabMergeRequest implements CommentTarget {
  readonly host = 'GitLab';
  /** GitLab takes notes of up to 1,000,000 characters. */
  readonly maxLength = 1_000_000;
  private readonly client: HostClient;
  private readonly notes: string;

  constructor(
    api: string,
    private readonly project: string,
    private readonly iid: string,
    token: string,
  ) {
    this.client = new HostClient('GitLab', { 'PRIVATE-TOKEN': token }, token);
    this.notes = `${api}/projects/${encodeURIComponent(project)}/merge_requests/${encodeURIComponent(iid)}/notes`;
  }

  get where(): string {
    return `merge request !${this.iid} of project ${this.project}`;
  }

  async find(marker: string): Promise<string | undefined> {
    for (let page = '1'; page; ) {
      const res = await this.client.request(
        'GET',
        `${this.notes}?per_page=100&page=${page}&sort=asc&order_by=created_at`,
      );
      const found = (res.data as Note[]).find((n) => !n.system && n.body?.includes(marker));
      if (found) return String(found.id);
      page = res.headers['x-next-page'] ?? '';
    }
    return undefined;
  }

  async create(body: string): Promise<string | undefined> {
    await this.client.request('POST', this.notes, { body });
    return undefined;
  }

  async update(id: string, body: string): Promise<string | undefined> {
    await this.client.request('PUT', `${this.notes}/${encodeURIComponent(id)}`, { body });
    return undefined;
  }
}
