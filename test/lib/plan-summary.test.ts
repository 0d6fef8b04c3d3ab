import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizePlan, type TerraformPlanJson, TerraformPlanJsonSchema } from '../../src/index.js';

const fixture = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(new URL(`../fixtures/plan-json/${name}`, import.meta.url), 'utf8'));

const addresses = (list: { address: string }[]) => list.map((c) => c.address);

describe('summarizePlan: every action kind', () => {
  const s = summarizePlan(fixture('every-action.json'));

  it('groups each resource change under one action, leaving plain no-ops out', () => {
    expect(addresses(s.changes.create)).toEqual(['aws_instance.web']);
    expect(addresses(s.changes.update)).toEqual(['aws_s3_bucket.logs']);
    expect(addresses(s.changes.replace)).toEqual(['aws_db_instance.main', 'aws_lb.front']);
    expect(addresses(s.changes.delete)).toEqual(['null_resource.old']);
    expect(addresses(s.changes.read)).toEqual(['data.aws_ami.ubuntu']);
    expect(addresses(s.changes.import)).toEqual(['aws_iam_role.imported']);
    expect(addresses(s.changes.move)).toEqual(['module.net.aws_vpc.this']);
    expect(addresses(s.changes.forget)).toEqual(['aws_sqs_queue.legacy']);
    expect(
      Object.values(s.changes)
        .flat()
        .map((c) => c.address),
    ).not.toContain('aws_route53_zone.same');
  });

  it('tells the two replacement orders apart', () => {
    expect(s.changes.replace.map((c) => c.replaceOrder)).toEqual([
      'delete_then_create',
      'create_then_delete',
    ]);
  });

  it("counts like Terraform's plan sentence: a replacement is one add and one destroy", () => {
    expect(s.counts).toEqual({
      create: 1,
      update: 1,
      replace: 2,
      delete: 1,
      read: 1,
      import: 1,
      move: 1,
      forget: 1,
    });
    expect(s.totals).toEqual({ add: 3, change: 1, destroy: 3, import: 1 });
    expect(s.hasChanges).toBe(true);
  });

  it('keeps the import id, the previous address and the reason', () => {
    expect(s.changes.import[0]).toMatchObject({ importing: true, importId: 'deployer' });
    expect(s.changes.move[0]?.previousAddress).toBe('aws_vpc.main');
    expect(s.changes.delete[0]?.actionReason).toBe('delete_because_no_resource_config');
  });

  it('diffs the attributes of an update down to the changed leaves', () => {
    expect(s.changes.update[0]?.attributes).toEqual([
      { path: 'tags.env', before: '"stg"', after: '"prod"' },
      { path: 'versioning[0].enabled', before: 'false', after: 'true' },
    ]);
  });

  it('marks the attributes that force a replacement, masks the sensitive ones, and shows unknowns', () => {
    expect(s.changes.replace[0]?.attributes).toEqual([
      { path: 'id', before: '"db-1"', after: '(known after apply)' },
      { path: 'engine_version', before: '"15.4"', after: '"16.1"', forcesReplacement: true },
      { path: 'password', before: '(sensitive value)', after: '(sensitive value)' },
    ]);
  });

  it('reports drift with its attributes', () => {
    expect(s.drift).toHaveLength(1);
    expect(s.drift[0]?.attributes).toEqual([
      { path: 'ingress[0].cidr_blocks[0]', before: '"10.0.0.0/8"', after: '"0.0.0.0/0"' },
    ]);
  });

  it('lists output changes (no-op left out), sensitive ones masked, unknown ones as known after apply', () => {
    expect(s.outputs).toEqual([
      { name: 'url', action: 'create', after: '(known after apply)', sensitive: false },
      {
        name: 'db_password',
        action: 'update',
        before: '(sensitive value)',
        after: '(sensitive value)',
        sensitive: true,
      },
      { name: 'old_name', action: 'delete', before: '"gone"', sensitive: false },
    ]);
  });

  it('copies no sensitive value anywhere into the summary', () => {
    const text = JSON.stringify(s);
    for (const secret of [
      'old-db-pass',
      'new-db-pass',
      'old-output-secret',
      'new-output-secret',
      's3cr3t-variable',
    ])
      expect(text).not.toContain(secret);
  });
});

describe('summarizePlan: nested sensitive and unknown values', () => {
  const s = summarizePlan(fixture('sensitive-nested.json'));
  const [secret, pw, block] = s.changes.update;

  it('masks a whole sensitive map, and a sensitive leaf inside a plain object', () => {
    expect(secret?.attributes).toEqual([
      { path: 'metadata[0].labels["app.kubernetes.io/name"]', before: '"app"', after: '"app-v2"' },
      { path: 'metadata[0].uid', after: '(known after apply)' },
      { path: 'data', before: '(sensitive value)', after: '(sensitive value)' },
      { path: 'connection.host', before: '"db.internal"', after: '"db2.internal"' },
      { path: 'connection.password', before: '(sensitive value)', after: '(sensitive value)' },
    ]);
  });

  it('masks every attribute of a resource whose whole value is sensitive', () => {
    expect(
      s.changes.replace[0]?.attributes.every(
        (a) => a.before === '(sensitive value)' || a.before === undefined,
      ),
    ).toBe(true);
    expect(s.changes.replace[0]?.attributes.map((a) => a.after)).toEqual(['(sensitive value)']);
  });

  it('shows an unknown sensitive attribute as known after apply', () => {
    expect(pw?.attributes).toEqual([
      { path: 'length', before: '16', after: '24' },
      { path: 'keepers.rotation', before: '"1"', after: '"2"' },
      { path: 'result', after: '(known after apply)' },
    ]);
  });

  it('masks a sensitive leaf of a block added whole', () => {
    expect(block?.attributes).toEqual([
      { path: 'user_data_block', after: '{"script":"(sensitive value)","public":"yes"}' },
    ]);
  });

  it('leaks none of the secrets', () => {
    const text = JSON.stringify(s);
    for (let i = 1; i <= 7; i++) expect(text).not.toMatch(new RegExp(`-${i}"`));
  });
});

describe('the JSON plan schema', () => {
  it('reads a newer minor format, keeps unknown keys, and never renames an attribute', () => {
    const raw = fixture('newer-format.json');
    const parsed = TerraformPlanJsonSchema.parse(raw);
    expect(parsed).toMatchObject({ a_future_top_level_key: { kept: true } });
    expect(parsed.resource_changes?.[0]).toMatchObject({ a_future_entry_key: 1 });
    const s = summarizePlan(parsed);
    expect(s.changes.replace[0]).toMatchObject({
      address: 'example_thing.a',
      replaceOrder: 'create_then_forget',
    });
    expect(s.changes.replace[0]?.attributes).toEqual([
      { path: '["Name-With.Dots"]', before: '"x"', after: '"y"' },
    ]);
    expect(s.changes.update[0]?.attributes.map((a) => a.path)).toEqual(['CamelCaseAttr', 'snake_case_attr']);
    expect(s.changes.update[0]).toMatchObject({ importing: true, importId: 'b-123' });
    expect(s.totals).toEqual({ add: 1, change: 1, destroy: 0, import: 1 });
  });

  it('refuses another major format version, as Terraform asks readers to', () => {
    const result = TerraformPlanJsonSchema.safeParse({ format_version: '2.0' });
    expect(result.success).toBe(false);
  });

  it('a plan with nothing to do has no changes', () => {
    const s = summarizePlan({ format_version: '1.2', resource_changes: [] });
    expect(s.hasChanges).toBe(false);
    expect(s.totals).toEqual({ add: 0, change: 0, destroy: 0, import: 0 });
  });
});
