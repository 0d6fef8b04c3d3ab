import { AbortError, ConnectionError, TimeoutError } from './errors.js';
import { wasNeverSent } from './retry.js';
import type { ApiRequest, RequestOptions } from './transport-types.js';

/** Why the transport aborted an attempt itself: its deadline before the headers, or a silent streamed body. */
export const TIMEOUT = Symbol('timeout');
export const IDLE = Symbol('idle');

/** Node's codes for a certificate it refused: a private CA or a host name the certificate does not cover. */
const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** What the transport lends its error messages: URLs and text without secrets, and what named the address. */
export interface ErrorView {
  display(url: string, secrets?: readonly string[]): string;
  redact(text: string, secrets?: readonly string[]): string;
  /** `check TFE_ADDRESS`, or whichever option or variable named the address. */
  checkAddress(): string;
}

/** `check TFE_ADDRESS`, or whichever option or variable named the address. */
export function checkAddress(source: string | undefined): string {
  if (!source || source === 'default') return 'set TFE_ADDRESS to your TFE address';
  return `check ${source}`;
}

/**
 * The SDK error for an attempt ended early: the caller's abort, a deadline (`TIMEOUT` before the headers,
 * `IDLE` in a streamed body), or the connection; and whether the request surely never reached the server.
 */
export function attemptFailure(
  view: ErrorView,
  req: ApiRequest,
  url: string,
  timeoutMs: number,
  opts: RequestOptions,
  cause: unknown,
  phase: 'response' | 'body' = 'response',
): { error: Error; neverSent: boolean } {
  if (opts.signal?.aborted) return { error: new AbortError(), neverSent: false };
  const where = view.display(url, opts.secrets);
  if (cause === TIMEOUT || cause === IDLE) {
    const waiting = cause === IDLE ? 'without a byte of the response body' : 'waiting for the response';
    return {
      error: new TimeoutError(
        `${req.method} ${where} timed out after ${timeoutMs} ms ${waiting}; ` +
          'raise timeoutMs (Infinity for no limit) to wait longer.',
        timeoutMs,
      ),
      neverSent: false,
    };
  }
  const code = (cause as { code?: string }).code;
  const tls = phase === 'response' ? tlsFailure(url, code, view.checkAddress()) : undefined;
  if (tls)
    return {
      error: new ConnectionError(`${req.method} ${where} ${tls}`, code, req.method, where),
      neverSent: true,
    };
  const detail = view.redact((cause as Error).message ?? String(cause), opts.secrets);
  const neverSent = phase === 'response' && wasNeverSent(code);
  // A reset mid-answer is not "unreachable": the caller of a POST must know it may have been carried out.
  const what =
    phase === 'body'
      ? 'lost the connection while reading the response body'
      : neverSent
        ? 'could not reach the server'
        : 'lost the connection after the request may have reached the server';
  return {
    error: new ConnectionError(
      `${req.method} ${where} ${what}: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}.`,
      code,
      req.method,
      where,
    ),
    neverSent,
  };
}

/**
 * Says what a failed TLS handshake means without OpenSSL's words: nothing was sent, and the usual cause is an
 * address with the wrong scheme or a certificate Node does not trust.
 */
function tlsFailure(url: string, code: string | undefined, check: string): string | undefined {
  if (!code) return undefined;
  const host = new URL(url).host;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return (
      `could not reach the server: the TLS handshake with ${host} failed, so nothing was sent. The server may not ` +
      `speak HTTPS there (use http:// for a plain-HTTP server); ${check}.`
    );
  }
  if (TLS_CERT_CODES.has(code)) {
    return (
      `could not reach the server: the certificate of ${host} was not accepted (${code}), so nothing was sent. ` +
      `For a private CA, set NODE_EXTRA_CA_CERTS to its PEM file; ${check}.`
    );
  }
  return undefined;
}
