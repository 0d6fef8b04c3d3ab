/**
 * Attribute-level diffs of Terraform's change representation, with sensitive values masked (`before_sensitive`
 * / `after_sensitive`) and unknown ones shown as "(known after apply)" (`after_unknown`). Marker trees have the
 * value's shape with `true` at each marked leaf, or `true` for a whole subtree (json-format.mdx).
 */

/** What a sensitive value is shown as; the value itself never leaves this module. */
export const SENSITIVE = '(sensitive value)';
/** What a value only known after apply is shown as. */
export const KNOWN_AFTER_APPLY = '(known after apply)';
const MAX_VALUE_CHARS = 500;

/** One changed leaf of a resource's attributes, both sides ready to print. */
export interface AttributeChange {
  /** `tags.env`, `ingress[0].cidr_blocks[1]`, `labels["app.kubernetes.io/name"]`: names exactly as in the plan. */
  path: string;
  /** The value before, printed (JSON), masked when sensitive; undefined when the attribute is new. */
  before?: string;
  /** The value after, printed (JSON), masked when sensitive or "(known after apply)"; undefined when removed. */
  after?: string;
  /** A change of this attribute is why the resource is replaced (`replace_paths`). */
  forcesReplacement?: boolean;
}

type Marker = unknown;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The marker of a child: a whole-subtree `true` covers every child. */
function child(marker: Marker, key: string | number): Marker {
  if (marker === true) return true;
  if (Array.isArray(marker) && typeof key === 'number') return marker[key];
  if (isObject(marker)) return marker[String(key)];
  return undefined;
}

/** True when any leaf of a marker tree is marked. */
function anyMarked(marker: Marker): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(anyMarked);
  if (isObject(marker)) return Object.values(marker).some(anyMarked);
  return false;
}

/** A copy of a value with each sensitive leaf masked and each unknown leaf marked. */
export function maskValue(value: unknown, sensitive: Marker, unknown: Marker = undefined): unknown {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (Array.isArray(value)) {
    const n = Math.max(value.length, Array.isArray(unknown) ? unknown.length : 0);
    return Array.from({ length: n }, (_, i) => maskValue(value[i], child(sensitive, i), child(unknown, i)));
  }
  if (isObject(value) || (value == null && isObject(unknown))) {
    const src = isObject(value) ? value : {};
    const keys = new Set([...Object.keys(src), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = maskValue(src[k], child(sensitive, k), child(unknown, k));
    return out;
  }
  return value;
}

/** A value as printed: JSON, masked, cut to a readable length. */
export function showValue(value: unknown, sensitive: Marker, unknown: Marker = undefined): string {
  const masked = maskValue(value, sensitive, unknown);
  if (masked === SENSITIVE || masked === KNOWN_AFTER_APPLY) return masked;
  const text = JSON.stringify(masked) ?? 'null';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends a step to a printed path, quoting a key that is not a plain name. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENT.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

interface Sides {
  before: unknown;
  after: unknown;
  beforeSensitive: Marker;
  afterSensitive: Marker;
  afterUnknown: Marker;
}

const container = (v: unknown) => Array.isArray(v) || isObject(v);
const absent = (v: unknown) => v === undefined || v === null;

/** The changed leaves between `before` and `after`, masked, in the order the keys appear. */
export function attributeChanges(
  sides: Sides,
  replacePaths: Array<Array<string | number>> = [],
): AttributeChange[] {
  const out: AttributeChange[] = [];
  const forcing = replacePaths.map((p) => p.reduce<string>((acc, k) => joinPath(acc, k), ''));
  walk(sides, '', out);
  for (const change of out) {
    if (
      forcing.some(
        (f) => change.path === f || change.path.startsWith(`${f}.`) || change.path.startsWith(`${f}[`),
      )
    )
      change.forcesReplacement = true;
  }
  return out;
}

function walk(s: Sides, path: string, out: AttributeChange[]): void {
  const { before, after, beforeSensitive: bs, afterSensitive: as, afterUnknown: au } = s;
  if (au === true) {
    out.push({
      path,
      ...(before === undefined ? {} : { before: showValue(before, bs) }),
      after: KNOWN_AFTER_APPLY,
    });
    return;
  }
  if (bs === true || as === true) {
    // Compared, never shown: a changed secret is reported as changed, its value is not.
    if (!deepEqual(before, after) || anyMarked(bs) !== anyMarked(as)) push(out, path, s);
    return;
  }
  const bothArrays = Array.isArray(before) || Array.isArray(after);
  const recurse =
    (container(before) || container(after) || isObject(au)) &&
    (container(before) || absent(before)) &&
    (container(after) || absent(after));
  if (recurse && path !== '' && absent(before) !== absent(after) && !isObject(au) && !Array.isArray(au)) {
    // A whole block added or removed: one line, masked inside.
    push(out, path, s);
    return;
  }
  if (recurse && bothArrays) {
    const b = Array.isArray(before) ? before : [];
    const a = Array.isArray(after) ? after : [];
    const n = Math.max(b.length, a.length, Array.isArray(au) ? au.length : 0);
    for (let i = 0; i < n; i++) walk(step(s, i, b[i], a[i]), joinPath(path, i), out);
    return;
  }
  if (recurse) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    const keys = new Set([...Object.keys(b), ...Object.keys(a), ...(isObject(au) ? Object.keys(au) : [])]);
    for (const k of keys) walk(step(s, k, b[k], a[k]), joinPath(path, k), out);
    return;
  }
  if (!deepEqual(before, after)) push(out, path, s);
}

function step(s: Sides, key: string | number, before: unknown, after: unknown): Sides {
  return {
    before,
    after,
    beforeSensitive: child(s.beforeSensitive, key),
    afterSensitive: child(s.afterSensitive, key),
    afterUnknown: child(s.afterUnknown, key),
  };
}

function push(out: AttributeChange[], path: string, s: Sides): void {
  // A whole value marked sensitive has no attribute to name.
  const change: AttributeChange = { path: path || '(all attributes)' };
  if (s.before !== undefined && s.before !== null) change.before = showValue(s.before, s.beforeSensitive);
  if ((s.after !== undefined && s.after !== null) || s.afterUnknown !== undefined)
    change.after = showValue(s.after, s.afterSensitive, s.afterUnknown);
  if (change.before === undefined && change.after === undefined) return;
  out.push(change);
}
