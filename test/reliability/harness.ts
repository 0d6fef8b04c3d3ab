// Shared tools of the reliability suite: what the client emitted, where a secret shows up, odd servers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { create as createTar } from 'tar';
import type { Logger } from 'tfe-client';

/** Retry waits shrunk so a storm of faults costs milliseconds, not minutes. */
export const FAST_BACKOFF = { initialDelayMs: 1, maxDelayMs: 5, maxRateLimitWaitMs: 50 };

/** One line a logger received, with its level and fields. */
export interface LogLine {
  level: keyof Logger;
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every line, and calls `onLine` as each arrives (to act at a precise moment). */
export function captureLogs(onLine?: (line: LogLine) => void): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const line = { level, message, fields };
      lines.push(line);
      onLine?.(line);
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Attempts the transport made: each ends in exactly one line carrying `durationMs`. */
export function attempts(lines: readonly LogLine[]): number {
  return lines.filter((l) => l.fields?.durationMs !== undefined).length;
}

/** Every way a value may end up written out: message, stack, JSON, String and inspect (hidden fields too). */
export function renderings(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (seen.has(v)) return;
    seen.add(v);
    try {
      out.push(JSON.stringify(v) ?? '');
    } catch {
      // A circular value: inspect below still renders it.
    }
    out.push(String(v), inspect(v, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }));
    if (v instanceof Error) {
      out.push(v.message, v.stack ?? '');
      if (v.cause !== undefined) visit(v.cause);
    }
  };
  visit(value);
  return out;
}

/** The renderings of `values` that contain `secret` (should be none). */
export function leaksOf(secret: string, values: readonly unknown[]): string[] {
  return values.flatMap(renderings).filter((text) => text.includes(secret));
}

export { closedPortAddress } from '../helpers/ports.js';

/** A request another origin received. */
export interface ElsewhereRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A server on another origin that records what reaches it: where redirects point. */
export async function startElsewhere(): Promise<{
  url: string;
  requests: ElsewhereRequest[];
  close(): Promise<void>;
}> {
  const requests: ElsewhereRequest[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/vnd.api+json' }).end('{"data":null}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A small configuration as .tar.gz bytes, made with the same tar library the SDK ships with. */
export function configurationTarball(files: Record<string, string> = { 'main.tf': MAIN_TF }): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tfe-reliability-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const out = join(dir, 'config.tar.gz');
    createTar({ gzip: true, cwd: dir, file: out, sync: true, portable: true }, Object.keys(files));
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const MAIN_TF = 'resource "terraform_data" "a" {}\nresource "terraform_data" "b" {}\n';

/** Polls a condition every few ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * The shortest time `n` consecutive arrivals span: below the server's window, those `n` broke an `n - 1` limit.
 * A client that spaces its sends over `w` ms sees its arrivals bunched by `w` minus this.
 */
export function tightestSpan(times: readonly number[], n: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + n - 1 < sorted.length; i++) best = Math.min(best, sorted[i + n - 1]! - sorted[i]!);
  return best;
}

/** Most events in any window of `windowMs` (inclusive start, exclusive end) over sorted timestamps. */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
