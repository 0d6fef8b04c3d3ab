// Soak: a few hundred workflows in a child process for a bounded time, with random faults injected here.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeTfe, type FaultKind, type FaultSpec, startFakeTfe } from 'tfe-client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configurationTarball, MAIN_TF } from './harness.js';

const SOAK_MS = Number(process.env.RELIABILITY_SOAK_MS ?? 5000);
// A fixed default seed makes a failure replayable; RELIABILITY_SEED explores others.
const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_124);
// A process left with nothing to do exits at once; a leaked timer or socket would hold it open.
const EXIT_WITHIN_MS = 3000;
const CHILD = fileURLToPath(new URL('./soak-child.mjs', import.meta.url));

/** Where faults land: every request the workflow makes. */
const TARGETS: Array<Pick<FaultSpec, 'method' | 'path' | 'surface'>> = [
  { method: 'GET', path: /\/organizations\/[^/]+\/workspaces\//, surface: 'api' },
  { method: 'POST', path: /\/workspaces\/[^/]+\/configuration-versions/, surface: 'api' },
  { method: 'PUT', path: /^\/v1\/object\//, surface: 'archivist' },
  { method: 'GET', path: /\/configuration-versions\/[^/?]+(?:\?|$)/, surface: 'api' },
  { method: 'POST', path: /^\/api\/v2\/runs(?:\?|$)/, surface: 'api' },
  { method: 'GET', path: /^\/api\/v2\/runs\/[^/?]+(?:\?|$)/, surface: 'api' },
  { method: 'POST', path: /\/actions\/(cancel|discard)/, surface: 'api' },
];

const KINDS: Array<FaultKind & { phase?: 'before' | 'after' }> = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503, phase: 'after' },
  { kind: 'status', status: 504 },
  { kind: 'ratelimit-reset', reset: 0.05 },
  { kind: 'retry-after', retryAfter: 1 },
  { kind: 'ratelimit-bare', headers: 'malformed' },
  { kind: 'html-502' },
  { kind: 'truncated-json', phase: 'after' },
  { kind: 'empty-200', phase: 'after' },
  { kind: 'non-jsonapi-200', phase: 'after' },
  { kind: 'reset' },
  { kind: 'reset', phase: 'after' },
  { kind: 'drop' },
  { kind: 'drop', phase: 'after' },
  { kind: 'hang' },
  { kind: 'hang', phase: 'after' },
  { kind: 'slow-body', chunkBytes: 64, intervalMs: 20 },
];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SoakReport {
  started: number;
  settled: number;
  ok: number;
  failed: number;
  aborted: number;
  untyped: number;
  events: number;
  failures: Record<string, number>;
  unhandled: number;
  heapBefore: number;
  heapAfter: number;
  ms: number;
  results: Array<{ message: string; runId: string; status: string }>;
}

let fake: FakeTfe;
let dir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tfe-soak-'));
  writeFileSync(join(dir, 'main.tf'), MAIN_TF);
  fake = await startFakeTfe({
    workspaces: ['demo', 'applied'],
    stepMs: 5,
    uploadProcessingMs: 5,
    rateLimitPerSecond: 0,
    scenario: { costEstimation: false, policyCheck: false, postPlanTasks: false },
  });
});
afterAll(async () => {
  if (child && child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('soak: workflows under random faults, in a child process', () => {
  it(
    'settles every workflow with a result or a TfeError, duplicates nothing, leaks nothing, and exits',
    async () => {
      const random = mulberry32(SEED);
      let injected = 0;
      const injector = setInterval(() => {
        const target = TARGETS[Math.floor(random() * TARGETS.length)]!;
        const kind = KINDS[Math.floor(random() * KINDS.length)]!;
        fake.core.injectFault({ ...kind, ...target } as FaultSpec);
        injected++;
      }, 15);

      let stdout = '';
      let stderr = '';
      let doneAt = 0;
      child = spawn(process.execPath, ['--expose-gc', CHILD], {
        env: {
          PATH: process.env.PATH,
          FAKE_URL: fake.url,
          TFE_TOKEN: fake.token,
          SOAK_MS: String(SOAK_MS),
          SOAK_SEED: String(SEED),
          SOAK_DIR: dir,
          SOAK_TARBALL: configurationTarball().toString('base64'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let killer: NodeJS.Timeout | undefined;
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (!doneAt && stdout.includes('SOAK_DONE ')) {
          doneAt = Date.now();
          clearInterval(injector);
          // A child that does not exit by itself is the failure this test looks for: end it, then report it.
          killer = setTimeout(() => child?.kill('SIGKILL'), 2 * EXIT_WITHIN_MS);
        }
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exit = await new Promise<{ code: number | null; at: number }>((resolve) =>
        child!.once('exit', (code) => resolve({ code, at: Date.now() })),
      );
      clearInterval(injector);
      clearTimeout(killer);

      if (process.env.RELIABILITY_SOAK_LOG) writeFileSync(process.env.RELIABILITY_SOAK_LOG, stdout);
      expect(stderr).toBe('');
      expect(exit.code).toBe(0);
      expect(doneAt).toBeGreaterThan(0);
      const exitMs = exit.at - doneAt;
      const line = stdout.split('\n').find((l) => l.startsWith('SOAK_DONE '))!;
      const report = JSON.parse(line.slice('SOAK_DONE '.length)) as SoakReport;

      // Nothing lost: every workflow settled, successes agree with the server, failures are typed.
      expect(report.unhandled).toBe(0);
      expect(stdout).not.toMatch(/^UNHANDLED|^UNCAUGHT/m);
      expect(report.settled).toBe(report.started);
      expect(report.untyped).toBe(0);
      for (const r of report.results) {
        expect(fake.core.run(r.runId)?.status, r.message).toBe(r.status);
        expect(fake.core.run(r.runId)?.message).toBe(r.message);
      }
      // Nothing done twice: at most one run per workflow, whatever the faults.
      const perWorkflow = new Map<string, number>();
      for (const run of fake.core.store.runs.values()) {
        perWorkflow.set(run.message, (perWorkflow.get(run.message) ?? 0) + 1);
      }
      const duplicates = [...perWorkflow.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
      expect(duplicates).toBe(0);
      // Nothing leaked: no token in anything the child wrote, none sent to the archivist.
      expect(stdout.includes(fake.token)).toBe(false);
      expect(fake.core.requests.filter((r) => r.surface === 'archivist' && r.headers.authorization)).toEqual(
        [],
      );
      // The process ended by itself, promptly, and its heap did not grow with the work it did.
      expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
      const growthMb = (report.heapAfter - report.heapBefore) / 2 ** 20;
      expect(growthMb).toBeLessThan(8);

      const figures = {
        seed: SEED,
        workflows: report.started,
        ok: report.ok,
        failed: report.failed,
        aborted: report.aborted,
        failures: report.failures,
        runsCreated: fake.core.store.runs.size,
        faultsInjected: injected,
        faultsServed: fake.core.stats.faults,
        requests: fake.core.requests.length,
        events: report.events,
        duplicates,
        unhandled: report.unhandled,
        heapBeforeMb: +(report.heapBefore / 2 ** 20).toFixed(1),
        heapAfterMb: +(report.heapAfter / 2 ** 20).toFixed(1),
        soakMs: report.ms,
        exitMs,
        stdoutMb: +(stdout.length / 2 ** 20).toFixed(1),
      };
      if (process.env.RELIABILITY_REPORT) console.info(`soak figures ${JSON.stringify(figures)}`);
      // Enough workflows to mean something; throughput itself is a benchmark's business, not this test's.
      expect(report.started).toBeGreaterThanOrEqual(20);
    },
    SOAK_MS + 30_000,
  );
});
