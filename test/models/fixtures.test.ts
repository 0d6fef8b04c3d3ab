import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonApiDocument } from '../../src/core/jsonapi.js';
import { MODELS } from '../../src/models/index.js';
import { decodeResource, decodeResources, genericModel } from '../../src/models/model.js';
import { fixture } from '../helpers/api.js';

// Every response sample of the official docs for the areas this SDK covers must decode.
const dirs = [
  'runs',
  'plans',
  'applies',
  'configuration-versions',
  'workspaces',
  'variables',
  'state-versions',
  'state-version-outputs',
  'policy-checks',
  'comments',
  'task-stages',
  'policy-evaluations',
];
const files = dirs.flatMap((dir) =>
  readdirSync(fileURLToPath(new URL(`../fixtures/${dir}`, import.meta.url)))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${dir}/${f}`),
);

describe('documented response samples', () => {
  it('covers the fixture directories', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files)('%s decodes with its model', (file) => {
    const doc = fixture<JsonApiDocument>(file);
    const resources = Array.isArray(doc.data) ? doc.data : doc.data ? [doc.data] : [];
    for (const resource of resources) {
      const model = MODELS.get(resource.type) ?? genericModel(resource.type);
      const decoded = decodeResource<{ id: string; type: string }>(resource, model, MODELS, doc.included);
      expect(decoded.id).toBe(resource.id);
      expect(decoded.type).toBe(resource.type);
    }
    if (Array.isArray(doc.data) && doc.data[0]) {
      const model = MODELS.get(doc.data[0].type) ?? genericModel(doc.data[0].type);
      expect(decodeResources(doc.data, model, MODELS, doc.included)).toHaveLength(doc.data.length);
    }
  });

  it('resolves the included resources of the inclusion sample', () => {
    const doc = fixture<JsonApiDocument>('common/inclusion-of-related-resources.json');
    const data = (Array.isArray(doc.data) ? doc.data : [doc.data])[0]!;
    const decoded = decodeResource<Record<string, unknown>>(
      data,
      MODELS.get(data.type) ?? genericModel(data.type),
      MODELS,
      doc.included,
    );
    const relationships = decoded.relationships as Record<string, unknown>;
    const resolved = Object.keys(relationships).filter((name) => decoded[name] !== undefined);
    expect(resolved.length).toBeGreaterThan(0);
  });
});
