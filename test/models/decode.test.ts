import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../src/core/errors.js';
import { MODELS } from '../../src/models/index.js';
import { decodeResource, decodeResources } from '../../src/models/model.js';
import { RunModel } from '../../src/models/run.js';

const run = (
  id: string,
  attributes: Record<string, unknown>,
  relationships: Record<string, unknown> = {},
) => ({
  id,
  type: 'runs',
  attributes: { status: 'applied', ...attributes },
  relationships,
});

describe('decoding resources', () => {
  it('turns status timestamps into Dates keyed in camelCase, keeping null', () => {
    const decoded = decodeResource<{ statusTimestamps: Record<string, Date | null> }>(
      run('run-1', {
        'status-timestamps': { 'plan-queued-at': '2021-05-24T07:38:04+00:00', 'applied-at': null },
      }),
      RunModel,
      MODELS,
      undefined,
    );
    expect(decoded.statusTimestamps).toEqual({
      planQueuedAt: new Date('2021-05-24T07:38:04Z'),
      appliedAt: null,
    });
  });

  it('rejects a status timestamp that is not a string or null', () => {
    expect(() =>
      decodeResource(run('run-1', { 'status-timestamps': { 'applied-at': 5 } }), RunModel, MODELS, undefined),
    ).toThrow(ResponseValidationError);
  });

  it('keeps id, type, relationships and links over attributes of the same name', () => {
    const decoded = decodeResource<Record<string, unknown>>(
      { ...run('run-1', { id: 'x', links: 'y' }), links: { self: '/runs/run-1' } },
      RunModel,
      MODELS,
      undefined,
    );
    expect(decoded).toMatchObject({ id: 'run-1', type: 'runs', links: { self: '/runs/run-1' } });
  });

  it('decodes an included resource once when several resources point at it', () => {
    const user = { id: 'user-1', type: 'users', attributes: { username: 'ada' } };
    const createdBy = { 'created-by': { data: { id: 'user-1', type: 'users' } } };
    const runs = decodeResources<{ createdBy: unknown }>(
      [run('run-1', {}, createdBy), run('run-2', {}, createdBy)],
      RunModel,
      MODELS,
      [user],
    );
    expect(runs[0]?.createdBy).toMatchObject({ id: 'user-1', username: 'ada' });
    expect(runs[1]?.createdBy).toBe(runs[0]?.createdBy);
  });
});
