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
    // A nested option is named by its whole path (`requestOptions.timeoutMS`), so the caller finds it.
    const keys = (issue as { keys: string[] }).keys.map((k) => (field ? `${field}.${k}` : k));
    return fail(
      `${where}: unknown option${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}.`,
      keys[0],
    );
  }
  if (issue.code === 'invalid_type') what = `expected ${(issue as { expected: string }).expected}`;
  return fail(`${where}: ${field ? `"${field}" ` : ''}${what}.`, field || undefined);
}

function fail(message: string, field: string | undefined): never {
  throw new InputValidationError(message, field);
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

/** The per-call options every method takes last: checked only when given, so the common call pays nothing. */
export const RequestOptionsSchema = z.strictObject({
  signal: signalSchema.optional(),
  timeoutMs: positiveMs.optional(),
  maxRetries: z.number().int().min(0).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  secrets: z.array(z.string()).readonly().optional(),
});
