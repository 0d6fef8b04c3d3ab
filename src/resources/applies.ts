import { path } from '../core/path.js';
import { APIResource } from '../core/resource.js';
import type { RequestOptions } from '../core/transport.js';
import { type LogReadOptions, LogStream } from '../lib/logs.js';
import { type Apply, ApplyModel } from '../models/apply.js';
import { phaseLogSource } from './phase-logs.js';

/** Applies: a run's apply phase. A run's apply id is its `apply` relationship. */
export class Applies extends APIResource {
  /** `GET /applies/:id`: status, resource counts, and the signed `logReadUrl`. */
  async read(applyId: string, options?: RequestOptions): Promise<Apply> {
    return this.api.resource<Apply>('GET', path`/applies/${['applyId', applyId]}`, ApplyModel, { options });
  }

  /**
   * The apply's log from its `logReadUrl` (read without the API token), as text chunks; `follow` keeps
   * reading until the apply finishes. Lazy: nothing is requested until iterated.
   *
   * The iteration rejects with a `TimeoutError` when a log response stays silent (no byte of the body, or no
   * headers even after the retries) for the client's `timeoutMs`; the wait between reads while following does
   * not count. It rejects with an `AbortError` when `options.signal` fires, and with a `ConnectionError` when
   * the connection is lost mid-log. Reading the apply itself (its status, a fresh log URL) fails as
   * `applies.read` does.
   */
  logs(applyId: string, options?: LogReadOptions): LogStream {
    return new LogStream(
      phaseLogSource(this.api, (o) => this.read(applyId, o)),
      options,
      'applies.logs',
    );
  }
}
