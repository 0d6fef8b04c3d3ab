/** The environment a CI adapter reads. */
export type Env = Record<string, string | undefined>;

/** A pull request's (or merge request's) comments, as the adapter needs them. */
export interface CommentTarget {
  /** `GitHub` or `GitLab`, for messages. */
  readonly host: string;
  /** Longest comment the host accepts. */
  readonly maxLength: number;
  /** `owner/repo#12`, for messages. */
  readonly where: string;
  /** The id of the comment holding `marker`, looking through every page. */
  find(marker: string): Promise<string | undefined>;
  create(body: string): Promise<string | undefined>;
  update(id: string, body: string): Promise<string | undefined>;
}

/** What a host adapter found: a target, a reason to do nothing (not a PR), or a reason it cannot. */
export type Found = { target: CommentTarget } | { skip: string } | { fail: string };
