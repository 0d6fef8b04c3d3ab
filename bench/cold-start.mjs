// Bench 6 — cold start: a fresh `node` importing tfe-client, and the CLI's --help, against a fresh `node`
// importing axios and zod (what the SDK cannot do without). Child processes run interleaved, round by
// round, so machine drift hits every command alike; hyperfine gives the same figures:
//   hyperfine -N --warmup 3 "node -e \"import('tfe-client')\"" "node -e \"import('axios');import('zod')\""
// Also lists what dist/index.js loads at startup (its static imports, followed through shared chunks).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { header, median, ms, percentile, ROOT, report, table, x } from './lib/common.mjs';

const meta = header(import.meta.url, 'Bench 6 — cold start');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

const commands = {
  'node (empty)': ['-e', ''],
  "import('axios'); import('zod')": ['-e', "import('axios'); import('zod')"],
  "import('tfe-client')": ['-e', "import('tfe-client')"],
  "require('tfe-client')": ['-e', "require('tfe-client')"],
};
const cli = path.join(ROOT, 'dist/cli/main.js');
if (existsSync(cli)) commands['tfe --help (dist/cli/main.js)'] = [cli, '--help'];

/** CPU ms (user + system) of this process's finished children, from /proc (Linux); undefined elsewhere. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

// Wall time suffers from the load of a shared machine; CPU time spent by the child much less: both are kept.
const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(commands).map((k) => [k, 0]));
for (let round = -2; round < ROUNDS; round++) {
  for (const [name, args] of Object.entries(commands)) {
    const c0 = childrenCpuMs();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    if (round >= 0) {
      times[name].push(t);
      cpu[name] += (childrenCpuMs() ?? Number.NaN) - (c0 ?? Number.NaN);
    }
  }
}
const cpuMs = (name) => cpu[name] / ROUNDS;

/** Static imports of an ESM file in dist, followed through the chunks it imports: { packages, files }. */
function staticImports(file, seen = new Set([file])) {
  const packages = new Set();
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"];?$/gm)) {
    const spec = m[1];
    if (!spec.startsWith('.')) {
      packages.add(spec.replace(/^node:/, ''));
      continue;
    }
    const next = path.resolve(path.dirname(file), spec);
    if (seen.has(next)) continue;
    seen.add(next);
    for (const p of staticImports(next, seen).packages) packages.add(p);
  }
  return { packages, files: seen };
}
const startup = staticImports(path.join(ROOT, 'dist/index.js'));
const loaded = [...startup.packages].sort();
// Heavy: the tar package, msw, and our own testing kit or CLI code in any file the entry loads at startup.
const code = [...startup.files].map((f) => readFileSync(f, 'utf8')).join('\n');
const heavy = [
  ...['tar', 'msw'].filter((p) => loaded.includes(p)),
  ...(code.includes('class FakeTfeCore') ? ['testing kit'] : []),
  ...(code.includes('parseArgs(') ? ['CLI parser'] : []),
];

const BASE = "import('axios'); import('zod')";
const base = median(times[BASE]);
const rows = Object.entries(times).map(([name, ts]) => ({
  command: name,
  'wall median': ms(median(ts)),
  'wall p90': ms(percentile(ts, 90)),
  'wall vs axios+zod': x(median(ts) / base),
  'CPU mean': ms(cpuMs(name)),
  'CPU vs axios+zod': x(cpuMs(name) / cpuMs(BASE)),
}));
table(rows, ['command', 'wall median', 'wall p90', 'wall vs axios+zod', 'CPU mean', 'CPU vs axios+zod']);
console.log(`dist/index.js loads at startup: ${loaded.join(', ')}`);

const SDK = "import('tfe-client')";
const sdkCpu = cpuMs(SDK) / cpuMs(BASE);
const rowsOut = [
  {
    figure: "import('tfe-client') / import axios + zod (CPU; wall in context)",
    value: x(sdkCpu),
    context: `CPU ${ms(cpuMs(SDK))} vs ${ms(cpuMs(BASE))}; wall ${x(median(times[SDK]) / base)} (${ms(median(times[SDK]))} vs ${ms(base)})`,
    target: '≤ 1.30×',
    met: sdkCpu <= 1.3,
  },
  {
    figure: 'heavy modules loaded by the SDK entry at startup',
    value: heavy.length ? heavy.join(', ') : 'none',
    target: 'none (tar, msw, testing kit, CLI parser)',
    met: heavy.length === 0,
  },
];
if (times['tfe --help (dist/cli/main.js)']) {
  const HELP = 'tfe --help (dist/cli/main.js)';
  const helpCpu = cpuMs(HELP) / cpuMs(BASE);
  rowsOut.splice(1, 0, {
    figure: 'tfe --help / import axios + zod (CPU; wall in context)',
    value: x(helpCpu),
    context: `CPU ${ms(cpuMs(HELP))}; wall ${x(median(times[HELP]) / base)} (${ms(median(times[HELP]))})`,
    target: '≤ 1.30×',
    met: helpCpu <= 1.3,
  });
}
report('cold-start', meta, rowsOut, { loaded });
