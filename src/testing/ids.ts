import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string; rejection sampling keeps every character equally likely. */
export function base62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** An id shaped like TFE's: `run-` + 16 base62 characters. */
export function newId(prefix: string): string {
  return `${prefix}-${base62(16)}`;
}

/** An opaque token like an archivist object key or an API token. */
export function opaqueToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
