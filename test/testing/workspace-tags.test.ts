import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, TfeClient } from '../../src/index.js';
import type { FakeTfe } from '../../src/testing/index.js';
import { fastFake, workspaceId } from './helpers.js';

let fake: FakeTfe;
afterEach(() => fake?.close());

const client = (f: FakeTfe) => new TfeClient({ token: f.token, address: f.url, env: {}, rateLimit: 1000 });
const names = async (tfe: TfeClient, id: string) =>
  (await tfe.workspaces.listTags(id)).items.map((t) => t.name);

describe('flat workspace tags through the SDK', () => {
  it('addTags by name; listTags gives each tag an id, its organization and how many workspaces carry it', async () => {
    fake = await fastFake();
    const tfe = client(fake);
    const id = workspaceId(fake);
    await tfe.workspaces.addTags(id, ['prod', 'team-a']);
    await tfe.workspaces.addTags(id, ['prod']);
    const { items } = await tfe.workspaces.listTags(id);
    expect(items.map((t) => [t.id, t.name, t.instanceCount])).toEqual([
      ['tag-prod', 'prod', 1],
      ['tag-team-a', 'team-a', 1],
    ]);
    expect(items[0]!.relationships.organization).toEqual({ id: fake.organization, type: 'organizations' });
    expect((await tfe.workspaces.readById(id)).tagNames).toEqual(['prod', 'team-a']);
  });

  it('removeTags by a listed tag and by name', async () => {
    fake = await fastFake();
    const tfe = client(fake);
    const id = workspaceId(fake);
    await tfe.workspaces.addTags(id, ['a', 'b', 'c']);
    const { items } = await tfe.workspaces.listTags(id);
    await tfe.workspaces.removeTags(id, [items[0]!, 'c']);
    expect(await names(tfe, id)).toEqual(['b']);
  });

  it('addTags by the id of a tag another workspace of the organization carries', async () => {
    fake = await fastFake();
    const tfe = client(fake);
    const other = await tfe.workspaces.create(fake.organization, { name: 'other' });
    await tfe.workspaces.addTags(other.id, ['shared']);
    const [shared] = (await tfe.workspaces.listTags(other.id)).items;
    await tfe.workspaces.addTags(workspaceId(fake), [{ id: shared!.id }]);
    expect(await names(tfe, workspaceId(fake))).toEqual(['shared']);
    expect((await tfe.workspaces.listTags(other.id)).items[0]!.instanceCount).toBe(2);
  });

  it('an id no tag of the organization has is a NotFoundError', async () => {
    fake = await fastFake();
    await expect(
      client(fake).workspaces.addTags(workspaceId(fake), [{ id: 'tag-nope' }]),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('listTags pages: one page awaited, every tag iterated', async () => {
    fake = await fastFake();
    const tfe = client(fake);
    const id = workspaceId(fake);
    await tfe.workspaces.addTags(id, ['a', 'b', 'c']);
    const first = await tfe.workspaces.listTags(id, { pageSize: 2 });
    expect(first.items.map((t) => t.name)).toEqual(['a', 'b']);
    expect(first.pagination).toMatchObject({ totalCount: 3, totalPages: 2 });
    const all: string[] = [];
    for await (const tag of tfe.workspaces.listTags(id, { pageSize: 2 })) all.push(tag.name);
    expect(all).toEqual(['a', 'b', 'c']);
  });
});
