import { z } from 'zod';
import { InputValidationError } from './errors.js';

/** Checks a method's options before anything is sent; the error names the field and says what to fix. */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  let what = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const unknown = (issue as { keys: string[] }).keys;
    // Per-call options given where a method's params go: `workspaces.read(org, name, { timeoutMs })`.
    if (
      !field &&
      (schema as z.ZodType) !== RequestOptionsSchema &&
      unknown.every((k) => REQUEST_OPTION_KEYS.includes(k))
    ) {
      const list = unknown.join(', ');
      return fail(
        `${where}: ${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length > 1 ? 'are request options' : 'is a request option'}: ` +
          `request options go in the last argument, after the params (pass {} for no params), e.g. ${where}(…, {}, { ${list} }).`,
        unknown[0],
      );
    }
    // A nested option is named by its whole path (`requestOptions.timeoutMS`), so the caller finds it.
    const keys = unknown.map((k) => (field ? `${field}.${k}` : k));
    const known = objectKeys(schema, issue.path);
    return fail(
      `${where}: unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}${didYouMean(unknown, known) || '.'}`,
      keys[0],
    );
  }
  if (issue.code === 'invalid_type') what = `expected ${(issue as { expected: string }).expected}`;
  return fail(`${where}: ${field ? `"${field}" ` : ''}${what}.`, field || undefined);
}

function fail(message: string, field: string | undefined): never {
  throw new InputValidationError(message, field);
}

/** The keys a strict object schema (at `path` inside `schema`) knows, for a did-you-mean. */
function objectKeys(schema: z.ZodType, path: PropertyKey[]): string[] {
  let at: unknown = schema;
  for (const key of path) {
    const shape = (at as { shape?: Record<string, unknown> }).shape;
    at = shape?.[String(key)];
    while (at && typeof (at as { unwrap?: unknown }).unwrap === 'function')
      at = (at as z.ZodOptional).unwrap();
  }
  const shape = (at as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** `; did you mean "timeoutMs"?` for a key that differs from a known one only in case or separators. */
function didYouMean(unknown: string[], known: readonly string[]): string {
  const fold = (k: string) => k.toLowerCase().replace(/[-_]/g, '');
  const near = known.find((k) => unknown.some((u) => fold(u) === fold(k)));
  return near ? `; did you mean "${near}"?` : '';
}

/**
 * Refuses keys an options object does not know, as every method does, so a typo (`timeoutMS`) is not silently
 * ignored: an InputValidationError naming the key and the nearest known one.
 */
export function checkKnownOptions(value: unknown, known: readonly string[], where: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value))
    fail(`${where}: expected an options object.`, undefined);
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  fail(
    `${where}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}${didYouMean(unknown, known) || '.'}`,
    unknown[0],
  );
}

/** The options of a `read`: only `include`, its names kept open (the API adds relationships). */
export const ReadParamsSchema = z.strictObject({ include: z.array(z.string().min(1)).optional() });

/**
 * An abort signal, judged by shape: a polyfill's or another realm's signal fails `instanceof AbortSignal` but
 * works wherever the SDK listens to it.
 */
export const signalSchema = z.custom<AbortSignal>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as AbortSignal).aborted === 'boolean' &&
    typeof (v as AbortSignal).addEventListener === 'function' &&
    typeof (v as AbortSignal).removeEventListener === 'function',
  'expected an AbortSignal',
);

const positiveMs = z.custom<number>((v) => typeof v === 'number' && v > 0, 'expected a number of ms above 0');

/** Names of the per-call options, to recognise them when given in the params slot by mistake. */
const REQUEST_OPTION_KEYS = ['signal', 'timeoutMs', 'maxRetries', 'headers', 'secrets'];

/** The per-call options every method takes last: checked only when given, so the common call pays nothing. */
export const RequestOptionsSchema = z.strictObject({
  signal: signalSchema.optional(),
  timeoutMs: positiveMs.optional(),
  maxRetries: z.number().int().min(0).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  secrets: z.array(z.string()).readonly().optional(),
});
