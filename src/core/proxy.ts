import { getProxyForUrl } from 'proxy-from-env';

/**
 * Whether requests to an origin go through a proxy, decided once per origin: axios otherwise reads six
 * environment variables and parses the URL on every request. The rules are axios's own, through the same
 * library it calls (`proxy-from-env`: `HTTP(S)_PROXY`, `ALL_PROXY`, `NO_PROXY` with host, domain and port forms,
 * lower-case first); a proxy it names is left to axios to apply as before.
 */
export class ProxyDecisions {
  private readonly byOrigin = new Map<string, false | undefined>();

  constructor(private readonly lookup: (url: URL) => string = getProxyForUrl) {}

  /** `false` (go direct, axios skips its lookup) or `undefined` (axios applies the environment's proxy). */
  for(url: URL): false | undefined {
    const key = url.origin;
    if (this.byOrigin.has(key)) return this.byOrigin.get(key);
    // Judged on the origin alone: the rules read nothing else of the URL.
    const decision = this.lookup(url) ? undefined : false;
    this.byOrigin.set(key, decision);
    return decision;
  }
}
