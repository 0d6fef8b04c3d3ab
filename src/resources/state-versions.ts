import { z } from 'zod';
import type { JsonApiResource } from '../core/jsonapi.js';
import { PagePromise } from '../core/pagination.js';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { validateInput } from '../core/validate.js';
import { type ReadCurrentOutputsParams, readCurrentOutputs } from '../lib/state-outputs.js';
import { type StateVersion, StateVersionModel } from '../models/state-version.js';
import { type StateVersionOutput, StateVersionOutputModel } from '../models/state-version-output.js';

const OutputListSchema = z.strictObject({
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  includeSensitive: z.boolean().optional(),
});

/**
 * Paging for a state version's outputs; `includeSensitive: true` keeps sensitive values the API sent.
 * @interface
 */
export type StateVersionOutputListParams = z.input<typeof OutputListSchema>;

const OutputReadSchema = z.strictObject({ includeSensitive: z.boolean().optional() });

/**
 * `includeSensitive: true` returns a sensitive output's value; by default it is masked.
 * @interface
 */
export type StateVersionOutputReadParams = z.input<typeof OutputReadSchema>;

/** State versions and their outputs: what a workspace's applies left behind. */
export class StateVersions extends APIResource {
  /** `GET /state-versions/:id`. */
  async read(stateVersionId: string, options?: RequestOptions): Promise<StateVersion> {
    return this.api.resource<StateVersion>(
      'GET',
      path`/state-versions/${['stateVersionId', stateVersionId]}`,
      StateVersionModel,
      { options },
    );
  }

  /** `GET /workspaces/:id/current-state-version`. A 404 also means the workspace has no state yet. */
  async readCurrent(workspaceId: string, options?: RequestOptions): Promise<StateVersion> {
    return this.api.resource<StateVersion>(
      'GET',
      path`/workspaces/${['workspaceId', workspaceId]}/current-state-version`,
      StateVersionModel,
      { options },
    );
  }

  /**
   * `GET /state-versions/:id/outputs`. Sensitive values are masked (`value: undefined`) unless
   * `includeSensitive` is true; even then the API may send them as null (see `readOutput`).
   */
  listOutputs(
    stateVersionId: string,
    params: StateVersionOutputListParams = {},
    options?: RequestOptions,
  ): PagePromise<StateVersionOutput> {
    let p: z.output<typeof OutputListSchema> | undefined;
    // Wraps the plain list so every page, however it is reached, is masked before the caller sees it.
    return new PagePromise<StateVersionOutput>(
      async (pageNumber) => {
        p ??= validateInput(OutputListSchema, params, 'stateVersions.listOutputs');
        const { pageSize, includeSensitive } = p;
        const page = await this.api.list<StateVersionOutput>(StateVersionOutputModel, options, () => ({
          path: path`/state-versions/${['stateVersionId', stateVersionId]}/outputs`,
          query: { 'page[size]': pageSize },
          paging: { pageNumber: pageNumber ?? p?.pageNumber },
        }));
        return includeSensitive ? page : { ...page, items: page.items.map(maskSensitiveOutput) };
      },
      undefined,
      options?.signal,
    );
  }

  /** `GET /state-version-outputs/:id`: the one endpoint that reveals a sensitive value, when asked to. */
  async readOutput(
    outputId: string,
    params: StateVersionOutputReadParams = {},
    options?: RequestOptions,
  ): Promise<StateVersionOutput> {
    const p = validateInput(OutputReadSchema, params, 'stateVersions.readOutput');
    const output = await this.api.resource<StateVersionOutput>(
      'GET',
      path`/state-version-outputs/${['outputId', outputId]}`,
      StateVersionOutputModel,
      { options },
    );
    return p.includeSensitive ? output : maskSensitiveOutput(output);
  }

  /**
   * The outputs of the workspace's current state, once the API has finished extracting them: waits (60 s by
   * default) while `resources-processed` is false, since until then outputs may be missing without being so.
   */
  readCurrentOutputs(
    workspaceId: string,
    params?: ReadCurrentOutputsParams,
    options?: RequestOptions,
  ): Promise<StateVersionOutput[]> {
    return readCurrentOutputs(this, workspaceId, params, options);
  }
}

/** A copy of a sensitive output without its value, in the model and in its raw resource alike. */
function maskSensitiveOutput(output: StateVersionOutput): StateVersionOutput {
  if (!output.sensitive) return output;
  const { value: _value, ...attributes } = output.raw.attributes ?? {};
  const masked = { ...output, value: undefined } as StateVersionOutput;
  const raw: JsonApiResource = { ...output.raw, attributes };
  Object.defineProperty(masked, 'raw', { value: raw, enumerable: false });
  return masked;
}
