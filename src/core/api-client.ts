import { MODELS } from '../models/index.js';
import { decodeResource, decodeResources, genericModel, type ModelDefinition } from '../models/model.js';
import { linkSignals } from './abort.js';
import { ResponseValidationError } from './errors.js';
import { decodePagination, type JsonApiDocument } from './jsonapi.js';
import { type Page, PagePromise, type PagingSettings } from './pagination.js';
import type { QueryValue } from './path.js';
import type { ApiRequest, ApiResponse, HttpMethod, RequestOptions, Transport } from './transport.js';

type Query = Record<string, QueryValue>;

/** What a list call asks for: its path, filters, paging choices, and the endpoint's class of rate limit. */
export interface ListRequest<T = unknown> {
  path: string;
  query: Query;
  paging?: ({ pageNumber?: number | undefined } & PagingSettings<T>) | undefined;
  /** Set by endpoints with a rate limit of their own (run lists); see `ApiRequest.rateLimitClass`. */
  rateLimitClass?: string | undefined;
}

/**
 * What resources call: one method per kind of endpoint, each a request through the transport and a decode
 * through the JSON:API layer. Internal: users reach endpoints through the resources.
 */
export class ApiClient {
  constructor(readonly transport: Transport) {}

  /** A request whose answer is one resource. */
  async resource<T>(
    method: HttpMethod,
    path: string,
    model: ModelDefinition,
    init: { query?: Query; body?: unknown; options?: RequestOptions | undefined } = {},
  ): Promise<T> {
    const res = await this.transport.request<JsonApiDocument>({ method, path, ...init });
    const doc = this.expectDocument(res.data, res.status, init.options);
    return decodeResource<T>(doc.data, model, MODELS, doc.included, res.status);
  }

  /**
   * A list endpoint: awaitable for a page, async-iterable for every item. `describe` runs lazily, inside the
   * first request, so a bad argument rejects the promise instead of throwing at the call.
   */
  list<T>(
    model: ModelDefinition,
    options: RequestOptions | undefined,
    describe: () => ListRequest<T>,
  ): PagePromise<T> {
    let described: ListRequest<T> | undefined;
    const fetchPage = async (pageNumber: number | undefined, stop?: AbortSignal): Promise<Page<T>> => {
      described ??= describe();
      const signal = stop && linkSignals(options?.signal, stop);
      let res: ApiResponse<JsonApiDocument>;
      try {
        res = await this.transport.request<JsonApiDocument>({
          method: 'GET',
          path: described.path,
          query: { 'page[number]': pageNumber ?? described.paging?.pageNumber, ...described.query },
          options: signal ? { ...options, signal: signal.signal } : options,
          rateLimitClass: described.rateLimitClass,
        });
      } finally {
        signal?.unlink();
      }
      const doc = this.expectDocument(res.data, res.status, options);
      return {
        items: decodeResources<T>(doc.data, model, MODELS, doc.included, res.status),
        pagination: decodePagination(doc.meta),
      };
    };
    return new PagePromise<T>(fetchPage, () => described?.paging, options?.signal);
  }

  /** An action endpoint: 202/204 with no body. */
  async action(
    path: string,
    body: unknown,
    options: RequestOptions | undefined,
    method: HttpMethod = 'POST',
  ) {
    await this.transport.request({ method, path, body, responseType: 'none', options });
  }

  /** Any request, for endpoints with their own shape (uploads, logs, downloads). */
  request<T>(req: ApiRequest) {
    return this.transport.request<T>(req);
  }

  /** Decodes a type the SDK has no schema for. */
  generic(type: string): ModelDefinition {
    return MODELS.get(type) ?? genericModel(type);
  }

  private expectDocument(
    data: unknown,
    status: number,
    options: RequestOptions | undefined,
  ): JsonApiDocument {
    if (!data || typeof data !== 'object' || !('data' in data)) {
      // The body is kept for diagnosis, so it is redacted like every other body: servers echo tokens.
      const body = data === undefined ? '' : this.transport.redact(JSON.stringify(data), options?.secrets);
      throw new ResponseValidationError(
        'The response is not a JSON:API document: it has no `data` member.',
        'data',
        body.slice(0, 2048),
        status,
      );
    }
    return data as JsonApiDocument;
  }
}
