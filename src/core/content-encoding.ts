import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** What the SDK accepts: the encodings Node inflates (axios 1.x asks for the same, less `compress`). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * Compressed bodies up to this size are inflated on the main thread in one call: measured (BENCHMARKS.md §1),
 * that costs less than the `JSON.parse` that follows on the same thread, and a quarter of a zlib stream's or the
 * thread pool's round trip. Larger ones go to the thread pool so a big page does not stall other requests.
 */
export const INFLATE_SYNC_MAX_BYTES = 64 * 1024;

// As axios inflates: a body cut short yields what arrived (JSON.parse then says it is truncated).
const ZLIB_OPTIONS = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_OPTIONS = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

type Inflate = { sync: (buf: Buffer) => Buffer; async: (buf: Buffer) => Promise<Buffer> };

const unzipAsync = promisify(zlib.unzip);
const inflateAsync = promisify(zlib.inflate);
const inflateRawAsync = promisify(zlib.inflateRaw);
const brotliAsync = promisify(zlib.brotliDecompress);

const unzip: Inflate = {
  sync: (buf) => zlib.unzipSync(buf, ZLIB_OPTIONS),
  async: (buf) => unzipAsync(buf, ZLIB_OPTIONS),
};
// `deflate` is meant to be zlib-wrapped, but servers send raw deflate too (axios tolerates both).
const deflate: Inflate = {
  sync: (buf) =>
    isZlibWrapped(buf) ? zlib.inflateSync(buf, ZLIB_OPTIONS) : zlib.inflateRawSync(buf, ZLIB_OPTIONS),
  async: (buf) => (isZlibWrapped(buf) ? inflateAsync(buf, ZLIB_OPTIONS) : inflateRawAsync(buf, ZLIB_OPTIONS)),
};
const brotli: Inflate = {
  sync: (buf) => zlib.brotliDecompressSync(buf, BROTLI_OPTIONS),
  async: (buf) => brotliAsync(buf, BROTLI_OPTIONS),
};

const INFLATERS: Record<string, Inflate> = {
  gzip: unzip,
  'x-gzip': unzip,
  // Never asked for, but axios inflated it as gzip: kept so a server that sends it is read as before.
  compress: unzip,
  'x-compress': unzip,
  deflate,
  br: brotli,
};

function inflaterFor(encoding: string | undefined): Inflate | undefined {
  const key = encoding?.trim().toLowerCase();
  return key && Object.hasOwn(INFLATERS, key) ? INFLATERS[key] : undefined;
}

/** Whether the SDK inflates this `Content-Encoding` (absent and `identity` need nothing). */
export function inflatable(encoding: string | undefined): boolean {
  return inflaterFor(encoding) !== undefined;
}

/** A buffered body as sent, inflated per its `Content-Encoding`; throws zlib's error for a corrupt one. */
export async function inflateBody(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  const inflater = inflaterFor(encoding);
  if (!inflater || body.length === 0) return body;
  return body.length <= INFLATE_SYNC_MAX_BYTES ? inflater.sync(body) : inflater.async(body);
}

function isZlibWrapped(buf: Buffer): boolean {
  // A zlib header: deflate method (low nibble 8) and a check value that makes the first two bytes a multiple of 31.
  return buf.length >= 2 && (buf[0]! & 0x0f) === 8 && ((buf[0]! << 8) | buf[1]!) % 31 === 0;
}
