import type { Readable } from 'node:stream';
import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type LogReadOptions, type LogSource, LogStream } from '../lib/logs.js';
import { type Apply, ApplyModel } from '../models/apply.js';

/** Applies: a run's apply phase. A run's apply id is its `apply` relationship. */
export class Applies extends APIResource {
  /** `GET /applies/:id`: status, resource counts, and the signed `logReadUrl`. */
  async read(applyId: string, options?: RequestOptions): Promise<Apply> {
    return this.api.resource<Apply>('GET', path`/applies/${['applyId', applyId]}`, ApplyModel, { options });
  }

  /**
   * The apply's log from its `logReadUrl` (read without the API token), as text chunks; `follow` keeps reading
   * until the apply finishes. Lazy: nothing is requested until iterated.
   */
  logs(applyId: string, options?: LogReadOptions): LogStream {
    const source: LogSource = {
      readPhase: (signal) => this.read(applyId, signal ? { signal } : undefined),
      fetch: (url, signal) => this.fetchLog(url, signal),
    };
    return new LogStream(source, options, 'applies.logs');
  }

  private async fetchLog(url: string, signal: AbortSignal | undefined): Promise<Readable> {
    const res = await this.api.request<Readable>({
      method: 'GET',
      url,
      responseType: 'stream',
      options: signal ? { signal } : undefined,
    });
    return res.data;
  }
}
