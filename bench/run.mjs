// `npm run bench`: builds, then runs every bench in its own process, one after the other, and prints the
// headline figures as one table. `node bench/run.mjs decode per-call` runs only those. Knobs (env):
// BENCH_UPLOAD_MIB (default 64; 256 for the full upload bench), BENCH_REPEATS, BENCH_ROUNDS.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BENCH_DIR, header, table } from './lib/common.mjs';

const BENCHES = ['per-call', 'decode', 'list-all', 'waits', 'upload', 'cold-start'];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !BENCHES.includes(name));
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(', ')}; choose from ${BENCHES.join(', ')}`);
  process.exit(2);
}

const meta = header('run.mjs', 'tfe-client benchmarks');
const results = [];
const started = Date.now();
for (const name of chosen.length ? chosen : BENCHES) {
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(BENCH_DIR, `${name}.mjs`)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl = buffered.indexOf('\n');
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('BENCH_RESULT ')) results.push(JSON.parse(line.slice('BENCH_RESULT '.length)));
        else console.log(line);
        nl = buffered.indexOf('\n');
      }
    });
    child.on('close', resolve);
  });
  console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s${code ? `, exited ${code}` : ''})`);
  if (code)
    results.push({ bench: name, rows: [{ figure: 'bench failed', value: `exit ${code}`, met: false }] });
}

console.log(`\n## Summary (${((Date.now() - started) / 1000).toFixed(0)} s)`);
const rows = results.flatMap((r) =>
  r.rows.map((row) => ({
    bench: r.bench,
    figure: row.figure,
    value: row.value,
    context: row.context ?? '',
    target: row.target ?? '',
    met: row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  })),
);
table(rows, ['bench', 'figure', 'value', 'target', 'met', 'context']);
const file = path.join(
  os.tmpdir(),
  `tfe-client-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
);
await writeFile(file, JSON.stringify({ ...meta, results }, null, 2));
console.log(`results: ${file}`);
process.exitCode = results.some((r) => r.rows.some((row) => row.figure === 'bench failed')) ? 1 : 0;
