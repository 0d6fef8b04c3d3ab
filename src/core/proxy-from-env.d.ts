// proxy-from-env 2.x ships no types; this is the one function the transport calls.
declare module 'proxy-from-env' {
  /** The proxy URL the environment names for `url` (`HTTP(S)_PROXY`, `ALL_PROXY`, `NO_PROXY`), or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
