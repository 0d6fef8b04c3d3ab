import type { Readable } from 'node:stream';
import type { ApiClient } from '../core/api-client.js';
import type { RequestOptions } from '../core/transport.js';
import type { LogSource } from '../lib/logs.js';

/**
 * What plans and applies hand their log reader: the phase as `read` returns it, and a GET of its signed log URL
 * as a stream (off the API's base path, so the transport sends no token).
 */
export function phaseLogSource(
  api: ApiClient,
  read: (
    options: RequestOptions | undefined,
  ) => Promise<{ status: string; logReadUrl?: string | null | undefined }>,
): LogSource {
  return {
    readPhase: (signal) => read(signal ? { signal } : undefined),
    fetch: async (url, signal) => {
      const res = await api.request<Readable>({
        method: 'GET',
        url,
        responseType: 'stream',
        options: signal ? { signal } : undefined,
      });
      return res.data;
    },
  };
}
