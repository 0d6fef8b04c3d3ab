// Key conversion runs for every attribute of every resource: cache it instead of a regex per key.
const toCamelCache = new Map<string, string>();
const toKebabCache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** `is-destroy` → `isDestroy`, `status_group` → `statusGroup`. */
export function camelCase(key: string): string {
  let out = toCamelCache.get(key);
  if (out !== undefined) return out;
  out = key.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (toCamelCache.size < CACHE_LIMIT) toCamelCache.set(key, out);
  return out;
}

/** `isDestroy` → `is-destroy`. */
export function kebabCase(key: string): string {
  let out = toKebabCache.get(key);
  if (out !== undefined) return out;
  out = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  if (toKebabCache.size < CACHE_LIMIT) toKebabCache.set(key, out);
  return out;
}

/** Converts object keys deeply; arrays are walked, other values kept. */
export function camelizeKeys(value: unknown, verbatim?: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => camelizeKeys(v, verbatim));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    // User data (an output's value, a variable map) keeps its own keys; scalars skip the call.
    out[camelCase(key)] =
      v === null || typeof v !== 'object' || verbatim?.has(key) ? v : camelizeKeys(v, verbatim);
  }
  return out;
}

/** Converts object keys deeply to the API's kebab-case; `verbatim` keys keep their value as given. */
export function kebabizeKeys(value: unknown, verbatim?: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => kebabizeKeys(v, verbatim));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out[kebabCase(key)] = verbatim?.has(key) ? v : kebabizeKeys(v, verbatim);
  }
  return out;
}
