import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InputValidationError,
  TfeError,
  TimeoutError,
} from '../index.js';
import { EXIT, UsageError } from './args.js';
import { connectionSources } from './context.js';
import type { Interrupt } from './interrupt.js';
import type { Output } from './output.js';

/** An error as the CLI reports it: an exit code, a message saying what to do, and its type for --json. */
export interface Failure {
  exitCode: number;
  type: string;
  message: string;
}

/** Decides the exit code and the message of an error that ended a command. */
export function explainFailure(err: unknown, command: string): Failure {
  if (err instanceof UsageError) {
    const help = `tfe ${err.command ?? command} --help`;
    return { exitCode: EXIT.usage, type: err.name, message: `${err.message}\nSee ${help}.` };
  }
  if (err instanceof InputValidationError) {
    return { exitCode: EXIT.usage, type: err.name, message: `${err.message}\nSee tfe ${command} --help.` };
  }
  if (err instanceof AuthenticationError) {
    return {
      exitCode: EXIT.usage,
      type: err.name,
      message: `TFE refused the token (401 Unauthorized): check ${connectionSources.token ?? 'TFE_TOKEN'}, and that ${
        connectionSources.address ?? '--address (TFE_ADDRESS; default https://app.terraform.io)'
      } names the TFE it belongs to.`,
    };
  }
  if (err instanceof ConnectionError) {
    const where = connectionSources.address ?? '--address (TFE_ADDRESS; default https://app.terraform.io)';
    // The SDK already names what to check for some failures (a refused certificate): said once.
    const named =
      /\b(check|set) (TFE_ADDRESS|TFE_HOSTNAME|TF_HOSTNAME|TF_CLOUD_HOSTNAME|--address|address)\b/i;
    return {
      exitCode: EXIT.failed,
      type: err.name,
      message: named.test(err.message) ? err.message : `${err.message} Check ${where}.`,
    };
  }
  if (err instanceof ApiError || err instanceof TimeoutError || err instanceof TfeError) {
    return { exitCode: EXIT.failed, type: err.name, message: err.message };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    exitCode: EXIT.failed,
    type: e.name,
    message: process.env.TFE_DEBUG ? String(e.stack) : e.message,
  };
}

/** Reports an error on stderr (and as the JSON document in --json mode); returns the exit code. */
export function reportFailure(
  out: Output,
  err: unknown,
  command: string,
  extra: Record<string, unknown> = {},
): number {
  const failure = explainFailure(err, command);
  out.close();
  out.error(failure.message);
  out.document({
    ...extra,
    error: { type: failure.type, message: failure.message },
    exitCode: failure.exitCode,
  });
  return failure.exitCode;
}

/** Ends a command a signal stopped: the JSON document says so; the exit code is 130 (SIGINT) or 143 (SIGTERM). */
export function reportInterrupted(out: Output, interrupt: Interrupt): number {
  out.close();
  out.document({
    error: { type: 'Interrupted', message: `interrupted by ${interrupt.received}` },
    exitCode: interrupt.exitCode,
  });
  return interrupt.exitCode;
}
