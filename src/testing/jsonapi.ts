import type { FakeResponse, JsonApiError } from './types.js';

export const JSONAPI = 'application/vnd.api+json';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
export type JsonObject = { [key: string]: Json | undefined };

/** A resource identifier with the `related` link TFE puts beside it. */
export function relationship(type: string, id: string | null, related?: string): JsonObject {
  const out: JsonObject = { data: id === null ? null : { id, type } };
  if (related !== undefined) out.links = { related };
  return out;
}

export function relationshipMany(type: string, ids: string[], related?: string): JsonObject {
  const out: JsonObject = { data: ids.map((id) => ({ id, type })) };
  if (related !== undefined) out.links = { related };
  return out;
}

/** A handler throws this; the core renders it as a JSON:API error document. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly pointer?: string,
  ) {
    super(detail ?? title);
  }

  toJsonApi(): JsonApiError {
    const error: JsonApiError = { status: String(this.status), title: this.title };
    if (this.detail !== undefined) error.detail = this.detail;
    if (this.pointer !== undefined) error.source = { pointer: this.pointer };
    return error;
  }
}

export const notFound = (): HttpError => new HttpError(404, 'not found');

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): FakeResponse {
  return {
    status,
    headers: { 'content-type': JSONAPI, ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, body: Buffer.alloc(0) };
}

export function errorResponse(error: HttpError, plain: boolean): FakeResponse {
  const errors = plain ? [error.detail ?? error.title] : [error.toJsonApi()];
  return jsonResponse(error.status, { errors });
}

/** ISO time the way TFE writes `created-at`: milliseconds and `Z`. */
export const isoMillis = (date: Date): string => date.toISOString();

/** Time the way TFE writes status timestamps: seconds and `+00:00`. */
export const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}+00:00`;
