/** Header names whose values are secrets: never kept on an error or written to a log. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** What stands in for a secret (a token, a sensitive value) in errors, logs and `toJSON()`. */
export const REDACTED = '[REDACTED]';

/** Copies headers without the secret ones, with lower-case names. */
export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    const key = name.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

const toUnicode = (s: string, re: RegExp) =>
  s.replace(re, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The ways a secret can appear in a body: as sent, JSON-escaped (once, or twice when quoted in an error
 * message), Rails-style HTML-escaped, and ASCII-only escaped. */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const html = toUnicode(json, /[<>&\u2028\u2029]/g);
  const twice = JSON.stringify(json).slice(1, -1);
  return [
    secret,
    json,
    html,
    toUnicode(html, /[^\x20-\x7e]/g),
    twice,
    toUnicode(twice, /[<>&\u2028\u2029]/g),
  ];
}

/** Every spelling of each secret, longest first (so a secret inside another is not half-replaced). */
export function redactionForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) if (secret) for (const form of spellings(secret)) forms.add(form);
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces each of `forms` (from `redactionForms`) in text. */
export function redactForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}
