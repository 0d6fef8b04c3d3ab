// Shared by every bench: machine facts, statistics, the interleaved runner and the result line run.mjs reads.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH_DIR);

/** What the figures depend on: recorded with every bench. */
export function machineFacts() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Prints the bench's title, the command that reproduces it and the machine, and returns the facts. */
export function header(file, title) {
  const facts = machineFacts();
  const command = `node bench/${path.basename(file)}${process.argv
    .slice(2)
    .map((a) => ` ${a}`)
    .join('')}`;
  console.log(`\n## ${title}`);
  console.log(`command: ${command}`);
  console.log(
    `machine: ${facts.cpu}, ${facts.cores} cores, ${facts.memoryGiB} GiB, node ${facts.node}, ${facts.os}, load ${facts.load}, commit ${facts.commit}`,
  );
  return { command, facts };
}

export function median(values) {
  return percentile(values, 50);
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function shuffle(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Runs every variant in batches, in a new random order each round, so drift on a shared machine hits all
 * of them alike. Returns per variant the per-op wall and CPU time (µs) of each round, and per round the
 * ratio of each variant to `baseline` (paired, so the median ratio is robust to noise between rounds);
 * `summary.paired(a, b)` gives the same paired median ratio for any two variants.
 */
export async function interleave(variants, { rounds = 15, batch = 200, warmup = 3, baseline } = {}) {
  const names = Object.keys(variants);
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -warmup; round < rounds; round++) {
    for (const name of shuffle(names)) {
      const fn = variants[name];
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await fn(i);
      const t1 = process.hrtime.bigint();
      const c1 = process.cpuUsage(c0);
      if (round < 0) continue;
      wall[name].push(Number(t1 - t0) / 1e3 / batch);
      cpu[name].push((c1.user + c1.system) / batch);
    }
  }
  const summary = {};
  /** Median over rounds of a/b, paired round by round. */
  Object.defineProperty(summary, 'paired', {
    value: (a, b) => median(wall[a].map((w, i) => w / wall[b][i])),
    enumerable: false,
  });
  for (const name of names) {
    const ratios = baseline ? wall[name].map((w, i) => w / wall[baseline][i]) : [];
    const cpuRatios = baseline ? cpu[name].map((c, i) => c / cpu[baseline][i]) : [];
    summary[name] = {
      wallUs: median(wall[name]),
      cpuUs: median(cpu[name]),
      ratio: baseline ? median(ratios) : undefined,
      cpuRatio: baseline ? median(cpuRatios) : undefined,
      ratioP25: baseline ? percentile(ratios, 25) : undefined,
      ratioP75: baseline ? percentile(ratios, 75) : undefined,
    };
  }
  return summary;
}

/** `1.23×`. */
export const x = (ratio) => `${ratio.toFixed(2)}×`;
export const ms = (value) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
export const us = (value) => `${value.toFixed(value < 10 ? 2 : 1)} µs`;

/** Prints a small aligned table. */
export function table(rows, columns) {
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells) console.log(line(r));
}

/**
 * The machine-readable result run.mjs collects: one line, `BENCH_RESULT {...}`. `rows` are the headline
 * figures: { figure, value, target, met }.
 */
export function report(name, meta, rows, extra = {}) {
  console.log(`BENCH_RESULT ${JSON.stringify({ bench: name, ...meta, rows, ...extra })}`);
}

/** Sleeps ms. */
export const sleep = (msToWait) => new Promise((resolve) => setTimeout(resolve, msToWait));
