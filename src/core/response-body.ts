import type { Readable } from 'node:stream';
import type { AxiosResponse } from 'axios';
import type { ErrorView } from './attempt-failure.js';
import { inflatable, inflateBody } from './content-encoding.js';
import { ResponseValidationError } from './errors.js';
import type { ApiRequest, ApiResponse } from './transport-types.js';

/** A success answer as the caller asked for it: the stream, nothing, or the parsed JSON document. */
export async function successResponse<T>(
  view: ErrorView,
  req: ApiRequest,
  url: string,
  res: AxiosResponse,
  headers: Record<string, string>,
): Promise<ApiResponse<T>> {
  const base = { status: res.status, headers, url };
  if (req.responseType === 'stream') return { ...base, data: res.data as T };
  if (req.responseType === 'none' || (res.data as Buffer).length === 0)
    return { ...base, data: undefined as T };
  const text = (await bufferedBody(view, req, url, res, headers)).toString('utf8');
  try {
    return { ...base, data: JSON.parse(text) as T };
  } catch {
    throw new ResponseValidationError(
      `${req.method} ${view.display(url, req.options?.secrets)} answered ${res.status} with a body that is not JSON` +
        ` (content-type ${headers['content-type'] ?? 'none'}).`,
      '',
      view.redact(text, req.options?.secrets).slice(0, 2048),
      res.status,
    );
  }
}

/**
 * A buffered body as the server meant it: inflated when `Content-Encoding` says so (the header then goes, as
 * axios drops it), or a ResponseValidationError for one that does not inflate.
 */
async function bufferedBody(
  view: ErrorView,
  req: ApiRequest,
  url: string,
  res: AxiosResponse,
  headers: Record<string, string>,
): Promise<Buffer> {
  const buf = res.data as Buffer;
  const encoding = headers['content-encoding'];
  if (!inflatable(encoding)) return buf;
  try {
    const inflated = await inflateBody(buf, encoding);
    delete headers['content-encoding'];
    return inflated;
  } catch (err) {
    throw new ResponseValidationError(
      `${req.method} ${view.display(url, req.options?.secrets)} answered ${res.status} with a ${encoding}-encoded ` +
        `body that does not inflate (${(err as Error).message}).`,
      '',
      '',
      res.status,
    );
  }
}

/** An error answer's body as text ('' when it cannot be read: the status still tells what happened). */
export async function errorText(
  view: ErrorView,
  req: ApiRequest,
  url: string,
  res: AxiosResponse,
  headers: Record<string, string>,
): Promise<string> {
  const data = res.data as Buffer | Readable | undefined;
  if (!data) return '';
  try {
    if (Buffer.isBuffer(data)) return (await bufferedBody(view, req, url, res, headers)).toString('utf8');
    return (await readAll(data)).toString('utf8');
  } catch {
    return '';
  }
}

/** Response headers with lower-case names and one string each. */
export function normaliseHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** Reads a streamed body to its end so the socket is reused; nobody waits on it, so a failure is nobody's error. */
export function drain(res: AxiosResponse): void {
  const data = res.data as Readable | Buffer | undefined;
  if (data && !Buffer.isBuffer(data)) data.on('error', () => {}).resume();
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
