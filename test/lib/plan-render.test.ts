import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GITHUB_COMMENT_LIMIT,
  renderPlanMarkdown,
  renderPlanText,
  summarizePlan,
  type TerraformPlanJson,
} from '../../src/index.js';

const fixture = (name: string): TerraformPlanJson =>
  JSON.parse(readFileSync(new URL(`../fixtures/plan-json/${name}`, import.meta.url), 'utf8'));

/** A plan of `n` updates, each changing `attrs` long attributes. */
function bigPlan(n: number, attrs: number): TerraformPlanJson {
  const obj = (v: string) =>
    Object.fromEntries(Array.from({ length: attrs }, (_, i) => [`attr_${i}`, `${v}-${'x'.repeat(60)}`]));
  return {
    format_version: '1.2',
    resource_changes: Array.from({ length: n }, (_, i) => ({
      address: `aws_instance.node[${i}]`,
      change: {
        actions: ['update'],
        before: obj('old'),
        after: obj('new'),
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    })),
  };
}

describe('renderPlanMarkdown', () => {
  const summary = summarizePlan(fixture('every-action.json'));
  const md = renderPlanMarkdown(summary, {
    runUrl: 'https://app.terraform.io/app/acme/workspaces/prod/runs/run-abc',
    runId: 'run-abc',
    workspace: 'acme/prod',
  });

  it('heads with the totals and links the run', () => {
    expect(md.split('\n')[0]).toBe(
      '### Terraform plan for `acme/prod`: 1 to import, 3 to add, 1 to change, 3 to destroy',
    );
    expect(md).toContain(
      'Run [run-abc](https://app.terraform.io/app/acme/workspaces/prod/runs/run-abc) · Terraform 1.9.5',
    );
  });

  it('has a counts table with a row per action present', () => {
    expect(md).toContain('| 🟠 Replace | 2 |');
    expect(md).toContain('| ⚪ Forget (remove from state, keep the object) | 1 |');
  });

  it('puts update and replace attribute diffs in collapsible blocks, and lists the rest', () => {
    expect(md).toContain('<details><summary><code>aws_s3_bucket.logs</code> (2 attributes)</summary>');
    expect(md).toContain('+ engine_version = "16.1"   # forces replacement');
    expect(md).toContain('- `null_resource.old` — delete because no resource config');
    expect(md).toContain('- `module.net.aws_vpc.this` — moved from aws_vpc.main');
  });

  it('never prints a sensitive value', () => {
    for (const secret of ['old-db-pass', 'new-db-pass', 'old-output-secret', 'new-output-secret'])
      expect(md).not.toContain(secret);
  });

  it('says so when there is nothing to change', () => {
    const none = renderPlanMarkdown(summarizePlan({ format_version: '1.2', resource_changes: [] }));
    expect(none).toContain('No changes. Your infrastructure matches the configuration.');
  });

  it('a value holding backticks cannot close the diff fence', () => {
    const s = summarizePlan({
      format_version: '1.2',
      resource_changes: [
        { address: 'x.y', change: { actions: ['update'], before: { a: '```' }, after: { a: '````x' } } },
      ],
    });
    expect(renderPlanMarkdown(s)).toContain('`````diff\n- a = "```"\n+ a = "````x"\n`````');
  });
});

describe('renderPlanMarkdown truncation', () => {
  it("stays under GitHub's 65,536 characters and says how much was left out", () => {
    const s = summarizePlan(bigPlan(200, 20));
    const md = renderPlanMarkdown(s, { runUrl: 'https://tfe.example/run-1' });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const shown = (md.match(/aws_instance\.node\[/g) ?? []).length;
    expect(shown).toBeLessThan(200);
    const note = md.match(
      /Truncated to stay under 65,536 characters: (\d+) resource changes not shown; (\d+) attribute diffs? left out\./,
    );
    expect(note).not.toBeNull();
    // Every resource is either shown or counted.
    expect(shown + Number(note?.[1])).toBe(200);
    expect(md).toContain('The whole plan is in [the run](https://tfe.example/run-1).');
  });

  it('drops attribute diffs before whole entries', () => {
    const s = summarizePlan(bigPlan(30, 20));
    const md = renderPlanMarkdown(s, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect((md.match(/aws_instance\.node\[/g) ?? []).length).toBe(30);
    expect(md).toMatch(/attribute diffs left out/);
    expect(md).not.toMatch(/resource changes? not shown/);
  });

  it('adds no note when everything fits', () => {
    const md = renderPlanMarkdown(summarizePlan(bigPlan(3, 2)));
    expect(md).not.toContain('Truncated');
  });
});

describe('renderPlanText', () => {
  it("uses Terraform's symbols and ends with its sentence", () => {
    const text = renderPlanText(summarizePlan(fixture('every-action.json')));
    expect(text).toContain('-/+ aws_db_instance.main (replace because cannot update)');
    expect(text).toContain('+/- aws_lb.front (create before destroy; replace by request)');
    expect(text).toContain(' <= data.aws_ami.ubuntu');
    expect(text).toContain('      engine_version: "15.4" -> "16.1" # forces replacement');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 1 to import, 3 to add, 1 to change, 3 to destroy.');
    expect(text).not.toContain('new-db-pass');
  });
});
