import { z } from 'zod';
import { ConflictError } from '../core/errors.js';
import { type RequestResource, type ResourceRef, serializeResource } from '../core/jsonapi.js';
import type { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { ReadParamsSchema, validateInput } from '../core/validate.js';
import {
  type EffectiveTagBinding,
  EffectiveTagBindingModel,
  type Tag,
  type TagBinding,
  TagBindingModel,
  TagModel,
  type Workspace,
  type WorkspaceInclude,
  WorkspaceModel,
} from '../models/workspace.js';

const names = z.array(z.string().min(1));

const TagBindingSchema = z.strictObject({ key: z.string().min(1), value: z.string().optional() });

const VcsRepoSchema = z.strictObject({
  identifier: z.string().min(1),
  oauthTokenId: z.string().min(1).optional(),
  githubAppInstallationId: z.string().min(1).optional(),
  branch: z.string().optional(),
  ingressSubmodules: z.boolean().optional(),
  tagsRegex: z.string().nullable().optional(),
});

// The attributes pipelines set, shared by create and update; the serializer kebab-cases them.
const workspaceFields = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,90}$/, 'must be 1 to 90 letters, digits, "-" or "_"')
    .optional(),
  description: z.string().nullable().optional(),
  autoApply: z.boolean().optional(),
  autoApplyRunTrigger: z.boolean().optional(),
  executionMode: z.enum(['remote', 'local', 'agent']).optional(),
  agentPoolId: z.string().min(1).nullable().optional(),
  workingDirectory: z.string().nullable().optional(),
  terraformVersion: z.string().min(1).optional(),
  allowDestroyPlan: z.boolean().optional(),
  queueAllRuns: z.boolean().optional(),
  speculativeEnabled: z.boolean().optional(),
  fileTriggersEnabled: z.boolean().optional(),
  triggerPrefixes: names.optional(),
  triggerPatterns: names.optional(),
  globalRemoteState: z.boolean().optional(),
  assessmentsEnabled: z.boolean().optional(),
  sourceName: z.string().optional(),
  sourceUrl: z.url().optional(),
  settingOverwrites: z
    .strictObject({ executionMode: z.boolean().optional(), agentPool: z.boolean().optional() })
    .optional(),
  vcsRepo: VcsRepoSchema.nullable().optional(),
  /** Relationship: the project the workspace belongs to. */
  projectId: z.string().min(1).optional(),
  /** Relationship: flat string tags, created when they do not exist. */
  tagNames: names.optional(),
  /** Relationship: key/value tags. */
  tagBindings: z.array(TagBindingSchema).optional(),
};

type Fields = { executionMode?: string | undefined; agentPoolId?: string | null | undefined };
const agentPoolNeedsAgentMode = (o: Fields) =>
  !o.agentPoolId || o.executionMode === undefined || o.executionMode === 'agent';
const agentPoolMessage = { message: 'agentPoolId requires executionMode "agent"', path: ['agentPoolId'] };

const WorkspaceCreateSchema = z
  .strictObject({ ...workspaceFields, name: workspaceFields.name.unwrap() })
  .refine(agentPoolNeedsAgentMode, agentPoolMessage);
const WorkspaceUpdateSchema = z
  .strictObject(workspaceFields)
  .refine(agentPoolNeedsAgentMode, agentPoolMessage);

/**
 * What `workspaces.create` takes: `name` and the settings a pipeline needs, in camelCase.
 * @interface
 */
export type WorkspaceCreateParams = z.input<typeof WorkspaceCreateSchema>;
/**
 * What `workspaces.update` takes: any of the create settings, `name` to rename.
 * @interface
 */
export type WorkspaceUpdateParams = z.input<typeof WorkspaceUpdateSchema>;

const WorkspaceListSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  /** Part of a workspace name (`search[name]`). */
  search: z.string().optional(),
  /** Workspaces carrying all these flat tags (`search[tags]`). */
  tags: names.optional(),
  /** Workspaces carrying none of these flat tags (`search[exclude-tags]`). */
  excludeTags: names.optional(),
  /** A name with `*` wildcards (`search[wildcard-name]`). */
  wildcardName: z.string().optional(),
  /** Workspaces of one project (`filter[project][id]`). */
  projectId: z.string().min(1).optional(),
  /** Workspaces whose current run has this status (`filter[current-run][status]`). */
  currentRunStatus: z.string().min(1).optional(),
  /** Workspaces with these key/value tags (`filter[tagged][i][key]`, `[value]`). */
  tagBindings: z.array(TagBindingSchema).optional(),
  /** e.g. `name`, `-current-run.created-at`. */
  sort: z.string().min(1).optional(),
  include: z.array(z.string()).optional(),
  concurrency: z.number().int().min(1).max(30).optional(),
});

/**
 * Filters and paging for listing an organization's workspaces.
 * @interface
 */
export type WorkspaceListParams = Omit<z.input<typeof WorkspaceListSchema>, 'include'> & {
  include?: WorkspaceInclude[];
};

const PagingSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
});

/**
 * Paging for the smaller workspace lists (tags, remote state consumers).
 * @interface
 */
export type WorkspacePagingParams = z.input<typeof PagingSchema>;

/**
 * A flat tag named by `addTags` and `removeTags`: a name (created when the organization lacks it), or an existing
 * tag's id (a {@link Tag} from `listTags` will do).
 */
export type WorkspaceTagRef = string | { id: string };

const TagRefSchema = z.union(
  [z.string().min(1, 'must not be empty'), z.looseObject({ id: z.string().min(1, 'must not be empty') })],
  { error: 'expected a tag name or { id }' },
);
const TagsSchema = z.strictObject({ tags: z.array(TagRefSchema).min(1, 'must name at least one tag') });

const LockSchema = z.strictObject({ reason: z.string().optional() });

/** What `workspaces.lock` takes. */
export interface WorkspaceLockParams {
  /** Shown to others as `lockedReason`. */
  reason?: string;
}

/**
 * A lock action answered 409 because the workspace is locked by someone else (or already locked). Says who
 * holds the lock when the API tells: `lockedBy` is the user, run or team, `lockedByName` its readable name.
 */
export class WorkspaceLockedError extends ConflictError {
  override readonly name: string = 'WorkspaceLockedError';
  readonly workspaceId: string;
  /** The lock holder (`users`, `runs` or `teams`); undefined when the workspace could not be read. */
  readonly lockedBy: ResourceRef | undefined;
  /** A username, team name or run id; undefined when the holder could not be read. */
  readonly lockedByName: string | undefined;
  /** The reason given when the lock was taken, if any. */
  readonly lockedReason: string | undefined;
  /** The workspace as read after the conflict (kept out of `toJSON`). */
  declare readonly workspace: Workspace | undefined;

  constructor(conflict: ConflictError, workspaceId: string, workspace?: Workspace) {
    const lockedBy = workspace?.relationships.lockedBy ?? undefined;
    const lockedByName = lockedBy ? holderName(lockedBy, workspace?.lockedBy) : undefined;
    const reason = workspace?.lockedReason || undefined;
    const holder = lockedBy ? ` by ${lockedBy.type.replace(/s$/, '')} ${lockedByName}` : '';
    const why = reason ? ` (reason: ${JSON.stringify(reason)})` : '';
    super(conflict, `${conflict.message} — workspace ${workspaceId} is locked${holder}${why}`);
    this.workspaceId = workspaceId;
    this.lockedBy = lockedBy;
    this.lockedByName = lockedByName;
    this.lockedReason = reason;
    Object.defineProperty(this, 'workspace', { value: workspace, enumerable: false });
  }
}

/** Workspaces: read, list, create, update, delete, the lock actions, and their tags. */
export class Workspaces extends APIResource {
  /** `GET /organizations/:org/workspaces/:name`. */
  async read(
    organization: string,
    name: string,
    params: { include?: WorkspaceInclude[] } = {},
    options?: RequestOptions,
  ): Promise<Workspace> {
    const { include } = validateInput(ReadParamsSchema, params, 'workspaces.read');
    return this.api.resource<Workspace>('GET', byName(organization, name), WorkspaceModel, {
      query: { include },
      options,
    });
  }

  /** `GET /workspaces/:id`. */
  async readById(
    workspaceId: string,
    params: { include?: WorkspaceInclude[] } = {},
    options?: RequestOptions,
  ): Promise<Workspace> {
    const { include } = validateInput(ReadParamsSchema, params, 'workspaces.readById');
    return this.api.resource<Workspace>(
      'GET',
      path`/workspaces/${['workspaceId', workspaceId]}`,
      WorkspaceModel,
      {
        query: { include },
        options,
      },
    );
  }

  /** `GET /organizations/:org/workspaces`. Await for one page; `for await` for every workspace. */
  list(
    organization: string,
    params: WorkspaceListParams = {},
    options?: RequestOptions,
  ): PagePromise<Workspace> {
    return this.api.list<Workspace>(WorkspaceModel, options, () => {
      const p = validateInput(WorkspaceListSchema, params, 'workspaces.list');
      return {
        path: path`/organizations/${['organization', organization]}/workspaces`,
        query: listQuery(p),
        paging: p,
      };
    });
  }

  /** `POST /organizations/:org/workspaces`. */
  async create(
    organization: string,
    params: WorkspaceCreateParams,
    options?: RequestOptions,
  ): Promise<Workspace> {
    const p = validateInput(WorkspaceCreateSchema, params, 'workspaces.create');
    return this.api.resource<Workspace>(
      'POST',
      path`/organizations/${['organization', organization]}/workspaces`,
      WorkspaceModel,
      { body: workspaceDocument(p), options },
    );
  }

  /** `PATCH /workspaces/:id`: changes only the settings given. */
  async update(
    workspaceId: string,
    params: WorkspaceUpdateParams,
    options?: RequestOptions,
  ): Promise<Workspace> {
    const p = validateInput(WorkspaceUpdateSchema, params, 'workspaces.update');
    return this.api.resource<Workspace>(
      'PATCH',
      path`/workspaces/${['workspaceId', workspaceId]}`,
      WorkspaceModel,
      {
        body: workspaceDocument(p),
        options,
      },
    );
  }

  /** `PATCH /organizations/:org/workspaces/:name`: `update` for a workspace known by name. */
  async updateByName(
    organization: string,
    name: string,
    params: WorkspaceUpdateParams,
    options?: RequestOptions,
  ): Promise<Workspace> {
    const p = validateInput(WorkspaceUpdateSchema, params, 'workspaces.updateByName');
    return this.api.resource<Workspace>('PATCH', byName(organization, name), WorkspaceModel, {
      body: workspaceDocument(p),
      options,
    });
  }

  /**
   * `DELETE /workspaces/:id`: deletes the workspace and its state, whatever it manages. A DELETE is retried on a
   * lost answer, so a NotFoundError may follow a first attempt that did delete it.
   */
  async delete(workspaceId: string, options?: RequestOptions): Promise<void> {
    return this.api.action(path`/workspaces/${['workspaceId', workspaceId]}`, undefined, options, 'DELETE');
  }

  /** `POST /workspaces/:id/actions/safe-delete`: deletes only a workspace that manages no resources; 409 else. */
  async safeDelete(workspaceId: string, options?: RequestOptions): Promise<void> {
    return this.api.action(
      path`/workspaces/${['workspaceId', workspaceId]}/actions/safe-delete`,
      undefined,
      options,
    );
  }

  /** `DELETE /organizations/:org/workspaces/:name`: `delete` for a workspace known by name. */
  async deleteByName(organization: string, name: string, options?: RequestOptions): Promise<void> {
    return this.api.action(byName(organization, name), undefined, options, 'DELETE');
  }

  /** `POST /organizations/:org/workspaces/:name/actions/safe-delete`: `safeDelete` for a workspace known by name. */
  async safeDeleteByName(organization: string, name: string, options?: RequestOptions): Promise<void> {
    return this.api.action(`${byName(organization, name)}/actions/safe-delete`, undefined, options);
  }

  /** `POST /workspaces/:id/actions/lock`. A 409 is a {@link WorkspaceLockedError} naming the holder. */
  async lock(
    workspaceId: string,
    params: WorkspaceLockParams = {},
    options?: RequestOptions,
  ): Promise<Workspace> {
    const { reason } = validateInput(LockSchema, params, 'workspaces.lock');
    return this.lockAction(workspaceId, 'lock', reason === undefined ? undefined : { reason }, options);
  }

  /** `POST /workspaces/:id/actions/unlock`: releases your own lock; someone else's is a WorkspaceLockedError. */
  async unlock(workspaceId: string, options?: RequestOptions): Promise<Workspace> {
    return this.lockAction(workspaceId, 'unlock', undefined, options);
  }

  /** `POST /workspaces/:id/actions/force-unlock`: releases anyone's lock; needs admin rights on the workspace. */
  async forceUnlock(workspaceId: string, options?: RequestOptions): Promise<Workspace> {
    return this.lockAction(workspaceId, 'force-unlock', undefined, options);
  }

  /** `PATCH /workspaces/:id/relationships/ssh-key`: the key Terraform uses to fetch private modules. */
  async assignSshKey(workspaceId: string, sshKeyId: string, options?: RequestOptions): Promise<Workspace> {
    return this.sshKey(
      workspaceId,
      validateInput(z.string().min(1), sshKeyId, 'workspaces.assignSshKey'),
      options,
    );
  }

  /** `PATCH /workspaces/:id/relationships/ssh-key` with a null id. */
  async unassignSshKey(workspaceId: string, options?: RequestOptions): Promise<Workspace> {
    return this.sshKey(workspaceId, null, options);
  }

  /** `GET /workspaces/:id/tag-bindings`: the workspace's own key/value tags. */
  listTagBindings(workspaceId: string, options?: RequestOptions): PagePromise<TagBinding> {
    return this.api.list<TagBinding>(TagBindingModel, options, () => ({
      path: path`/workspaces/${['workspaceId', workspaceId]}/tag-bindings`,
      query: {},
    }));
  }

  /** `GET /workspaces/:id/effective-tag-bindings`: its own key/value tags and those inherited from its project. */
  listEffectiveTagBindings(workspaceId: string, options?: RequestOptions): PagePromise<EffectiveTagBinding> {
    return this.api.list<EffectiveTagBinding>(EffectiveTagBindingModel, options, () => ({
      path: path`/workspaces/${['workspaceId', workspaceId]}/effective-tag-bindings`,
      query: {},
    }));
  }

  /** `GET /workspaces/:id/relationships/tags`: the workspace's flat string tags. */
  listTags(
    workspaceId: string,
    params: WorkspacePagingParams = {},
    options?: RequestOptions,
  ): PagePromise<Tag> {
    return this.api.list<Tag>(TagModel, options, () => {
      const p = validateInput(PagingSchema, params, 'workspaces.listTags');
      return {
        path: path`/workspaces/${['workspaceId', workspaceId]}/relationships/tags`,
        query: { 'page[size]': p.pageSize },
        paging: p,
      };
    });
  }

  /** `POST /workspaces/:id/relationships/tags`: adds flat tags, by name or id; those it has already stay. */
  async addTags(
    workspaceId: string,
    tags: readonly WorkspaceTagRef[],
    options?: RequestOptions,
  ): Promise<void> {
    const body = tagsDocument(tags, 'workspaces.addTags');
    return this.api.action(
      path`/workspaces/${['workspaceId', workspaceId]}/relationships/tags`,
      body,
      options,
    );
  }

  /** `DELETE /workspaces/:id/relationships/tags`: takes flat tags off the workspace; the organization keeps them. */
  async removeTags(
    workspaceId: string,
    tags: readonly WorkspaceTagRef[],
    options?: RequestOptions,
  ): Promise<void> {
    const body = tagsDocument(tags, 'workspaces.removeTags');
    return this.api.action(
      path`/workspaces/${['workspaceId', workspaceId]}/relationships/tags`,
      body,
      options,
      'DELETE',
    );
  }

  /** `GET /workspaces/:id/relationships/remote-state-consumers`: the workspaces allowed to read its state. */
  listRemoteStateConsumers(
    workspaceId: string,
    params: WorkspacePagingParams = {},
    options?: RequestOptions,
  ): PagePromise<Workspace> {
    return this.api.list<Workspace>(WorkspaceModel, options, () => {
      const p = validateInput(PagingSchema, params, 'workspaces.listRemoteStateConsumers');
      return {
        path: path`/workspaces/${['workspaceId', workspaceId]}/relationships/remote-state-consumers`,
        query: { 'page[size]': p.pageSize },
        paging: p,
      };
    });
  }

  private async sshKey(workspaceId: string, sshKeyId: string | null, options?: RequestOptions) {
    return this.api.resource<Workspace>(
      'PATCH',
      path`/workspaces/${['workspaceId', workspaceId]}/relationships/ssh-key`,
      WorkspaceModel,
      { body: { data: { type: 'workspaces', attributes: { id: sshKeyId } } }, options },
    );
  }

  private async lockAction(
    workspaceId: string,
    action: string,
    body: unknown,
    options: RequestOptions | undefined,
  ): Promise<Workspace> {
    const at = path`/workspaces/${['workspaceId', workspaceId]}/actions/${action}`;
    try {
      return await this.api.resource<Workspace>('POST', at, WorkspaceModel, { body, options });
    } catch (err) {
      if (!(err instanceof ConflictError) || err instanceof WorkspaceLockedError) throw err;
      throw await this.explainLock(workspaceId, action, err, options);
    }
  }

  /** A 409 rarely says who holds the lock: the workspace's `locked-by` relationship does. */
  private async explainLock(
    workspaceId: string,
    action: string,
    conflict: ConflictError,
    options: RequestOptions | undefined,
  ): Promise<ConflictError> {
    let workspace: Workspace | undefined;
    try {
      workspace = await this.readById(workspaceId, { include: ['locked_by'] }, { signal: options?.signal });
    } catch {
      // The conflict stands on its own when the workspace cannot be read.
    }
    // An unlock refused because nothing is locked is a plain conflict.
    if (workspace ? !workspace.locked : action !== 'lock') return conflict;
    return new WorkspaceLockedError(conflict, workspaceId, workspace);
  }
}

const byName = (organization: string, name: string) =>
  path`/organizations/${['organization', organization]}/workspaces/${['name', name]}`;

/** The tags relationship document: a name goes as attributes, an existing tag as its id. */
function tagsDocument(tags: readonly WorkspaceTagRef[], where: string) {
  const checked = validateInput(TagsSchema, { tags }, where).tags;
  return {
    data: checked.map((t) =>
      typeof t === 'string' ? { type: 'tags', attributes: { name: t } } : { type: 'tags', id: t.id },
    ),
  };
}

function holderName(ref: ResourceRef, included: Workspace['lockedBy']): string {
  const attrs = (included ?? {}) as { username?: unknown; name?: unknown };
  if (typeof attrs.username === 'string') return attrs.username;
  if (typeof attrs.name === 'string') return attrs.name;
  return ref.id;
}

function workspaceDocument(p: z.output<typeof WorkspaceUpdateSchema>) {
  const { projectId, tagNames, tagBindings, ...attributes } = p;
  const resource: RequestResource = {
    type: 'workspaces',
    attributes,
    relationships: { project: projectId === undefined ? undefined : { type: 'projects', id: projectId } },
  };
  const doc = serializeResource(resource);
  // Tags and tag bindings are sent as resources with attributes, not references: added after serializing.
  const extra: Record<string, unknown> = {};
  if (tagNames) extra.tags = { data: tagNames.map((name) => ({ type: 'tags', attributes: { name } })) };
  if (tagBindings) {
    extra['tag-bindings'] = { data: tagBindings.map((attributes) => ({ type: 'tag-bindings', attributes })) };
  }
  if (Object.keys(extra).length) {
    doc.data.relationships = { ...(doc.data.relationships as Record<string, unknown> | undefined), ...extra };
  }
  return doc;
}

function listQuery(p: z.output<typeof WorkspaceListSchema>) {
  const query: Record<string, string | number | readonly string[] | undefined> = {
    'page[size]': p.pageSize,
    'search[name]': p.search,
    'search[tags]': p.tags,
    'search[exclude-tags]': p.excludeTags,
    'search[wildcard-name]': p.wildcardName,
    'filter[project][id]': p.projectId,
    'filter[current-run][status]': p.currentRunStatus,
    sort: p.sort,
    include: p.include,
  };
  p.tagBindings?.forEach((binding, i) => {
    query[`filter[tagged][${i}][key]`] = binding.key;
    query[`filter[tagged][${i}][value]`] = binding.value;
  });
  return query;
}
