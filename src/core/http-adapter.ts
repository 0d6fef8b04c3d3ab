import axios, {
  type AxiosAdapter,
  AxiosHeaders,
  type AxiosResponse,
  type CreateAxiosDefaults,
  type InternalAxiosRequestConfig,
  type Method,
} from 'axios';

/** What one request sets on top of the client's axios defaults. */
export interface AdapterRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  data?: unknown;
  signal: AbortSignal;
  responseType: 'arraybuffer' | 'stream';
  decompress: boolean;
  proxy?: false | undefined;
}

/**
 * axios's own `http` adapter, called with a config made as `Axios#request` and `dispatchRequest` make it, minus
 * what the SDK never uses (interceptors, config validation per call, request and response transforms, header
 * buckets). `Axios#request` costs as much as the adapter's own work per call (BENCHMARKS.md §1); this calls only
 * public axios API (`mergeConfig`, `getAdapter`, `AxiosHeaders`), and test/core/http-adapter-contract.test.ts sends
 * the same requests both ways and fails if an axios upgrade makes them differ.
 */
export class HttpAdapter {
  private readonly adapter: AxiosAdapter;
  /** The client's defaults merged over axios's, once: what `axios.create` keeps and merges again per request. */
  private readonly defaults: Record<string, unknown>;

  constructor(instanceConfig: CreateAxiosDefaults) {
    type Config = Parameters<typeof axios.mergeConfig>[0];
    const merged = axios.mergeConfig(axios.defaults as Config, instanceConfig as Config);
    // Header buckets (`common`, per method) are folded by Axios#request; every request here sets its own headers.
    const { headers: _buckets, ...rest } = merged as Record<string, unknown>;
    this.defaults = { ...rest, allowAbsoluteUrls: true };
    this.adapter = axios.getAdapter('http');
  }

  /** One request through the adapter; rejects as axios does (an AxiosError, or a CanceledError on abort). */
  request(req: AdapterRequest): Promise<AxiosResponse> {
    // Object.assign, not a spread: a tenth of the cost for this object (measured, BENCHMARKS.md §1).
    const config = Object.assign({}, this.defaults) as unknown as InternalAxiosRequestConfig;
    config.url = req.url;
    config.method = req.method.toLowerCase() as Method;
    config.headers = new AxiosHeaders(req.headers);
    config.data = req.data;
    config.signal = req.signal;
    config.responseType = req.responseType;
    config.decompress = req.decompress;
    // No proxy for this origin: axios skips its environment lookup. Left unset, axios applies the proxy.
    if (req.proxy === false) config.proxy = false;
    return this.adapter(config);
  }
}
