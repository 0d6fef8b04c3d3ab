import { InputValidationError } from './errors.js';

// Ids are opaque to us, but nothing that could change the path's shape may pass.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be refused.
const FORBIDDEN = /[\s/\\?#%\u0000-\u001f\u007f]/;

/** Checks one path segment (an id or a name) and returns it percent-encoded. */
export function encodeSegment(value: unknown, field = 'id'): string {
  if (typeof value !== 'string') {
    throw new InputValidationError(`${field} must be a string, got ${describe(value)}.`, field);
  }
  if (value.length === 0) throw new InputValidationError(`${field} must not be empty.`, field);
  if (value === '.' || value === '..') {
    throw new InputValidationError(
      `${field} must not be "${value}": it would change the request path.`,
      field,
    );
  }
  const bad = FORBIDDEN.exec(value);
  if (bad) {
    throw new InputValidationError(
      `${field} ${JSON.stringify(value)} contains ${JSON.stringify(bad[0])}, which cannot appear in a TFE id or name.`,
      field,
    );
  }
  return encodeURIComponent(value);
}

/**
 * Builds an API path from a template, checking and encoding every interpolated segment.
 * Interpolate a `[field, value]` pair to name the field in the error message.
 */
export function path(
  strings: TemplateStringsArray,
  ...values: Array<string | readonly [string, unknown]>
): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += Array.isArray(value) ? encodeSegment(value[1], value[0]) : encodeSegment(value);
    out += strings[i + 1] ?? '';
  });
  return out;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

/** Serialises query parameters with brackets percent-encoded, as the API documents (`page%5Bnumber%5D`). */
export function buildQuery(params: Record<string, QueryValue> | undefined): string {
  if (!params) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (Array.isArray(value) && value.length === 0) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
