// Bench 5 — upload: pack and upload a configuration tree (many small files, a few large ones, some reached
// through symlinks to a shared directory outside it, which packing dereferences as Terraform does) with
// `configurationVersions.upload(url, dir)` against `tar -czhf - dir` piped into a PUT, both to the same
// loopback sink in its own process; each upload runs in a fresh child process so its peak RSS is its own.
// Size: BENCH_UPLOAD_MIB (default 64; the full bench is 256: BENCH_UPLOAD_MIB=256 npm run bench).
// Figures: throughput relative to the tar pipeline at the same gzip level, peak RSS growth, archive size.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { header, median, ms, report, table, x } from './lib/common.mjs';
import { startServer } from './lib/server.mjs';

const run = promisify(execFile);
const meta = header(import.meta.url, 'Bench 5 — pack and upload a configuration tree');
const MIB = Number(process.env.BENCH_UPLOAD_MIB ?? 64);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const LEVELS = (process.env.BENCH_GZIP_LEVELS ?? '6,1').split(',').map(Number);
const child = fileURLToPath(new URL('./lib/upload-child.mjs', import.meta.url));

/** HCL-looking text: compresses like real configuration (about 5:1 at level 6). */
function hcl(bytes, seed) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line =
      i % 7 === 0
        ? `resource "aws_instance" "web_${seed}_${i}" {\n`
        : i % 7 === 6
          ? '}\n'
          : `  tag_${i % 13} = "${(seed * 7919 + i * 104729).toString(36)}-${randomBytes(3).toString('hex')}"\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** 40% of the bytes in small files (2–16 KiB) across nested modules, 60% in three large files (half random). */
async function makeTree(root, totalBytes) {
  let small = 0;
  let n = 0;
  while (small < totalBytes * 0.4) {
    const dir = path.join(root, 'modules', `m${Math.floor(n / 50)}`, n % 2 ? 'sub' : '');
    await mkdir(dir, { recursive: true });
    const size = 2048 + ((n * 2654435761) % (14 * 1024));
    await writeFile(path.join(dir, `file${n}.tf`), hcl(size, n));
    small += size;
    n++;
  }
  const large = Math.floor((totalBytes - small) / 3);
  const text = hcl(large, 99);
  await writeFile(path.join(root, 'data.json'), text);
  await writeFile(path.join(root, 'lambda.zip'), randomBytes(large));
  await writeFile(
    path.join(root, 'mixed.bin'),
    Buffer.concat([text.subarray(0, large / 2), randomBytes(large - Math.floor(large / 2))]),
  );
  return n + 3;
}

/**
 * The monorepo layout symlinks are for: one module directory and a few files live in `_common` beside the tree
 * and are linked in, so every upload dereferences them (as Terraform's packer does, and `tar -h`).
 */
async function shareOutside(root, common) {
  await mkdir(common, { recursive: true });
  await rename(path.join(root, 'modules', 'm0'), path.join(common, 'm0'));
  await symlink(path.join('..', '..', '_common', 'm0'), path.join(root, 'modules', 'm0'));
  for (let i = 0; i < 20; i++) {
    await writeFile(path.join(common, `shared${i}.tf`), hcl(4096, 1000 + i));
    await symlink(path.join('..', '_common', `shared${i}.tf`), path.join(root, `shared${i}.tf`));
  }
  return 20;
}

const base = await mkdtemp(path.join(os.tmpdir(), 'tfe-bench-upload-'));
const root = path.join(base, 'config');
const server = await startServer();
try {
  const files =
    (await makeTree(root, MIB * 2 ** 20)) + (await shareOutside(root, path.join(base, '_common')));
  // -L: the bytes behind the links are packed too.
  const { stdout } = await run('du', ['-sbL', root]);
  const treeBytes = Number(stdout.split('\t')[0]);
  console.log(
    `tree: ${files} files (module m0 and 20 files linked from outside it), ${(treeBytes / 2 ** 20).toFixed(0)} MiB ` +
      `under ${os.tmpdir()}; ${REPEATS} repeats`,
  );
  const url = `${server.origin}/v1/object/bench-upload`;
  const once = async (mode, level) =>
    JSON.parse((await run('node', [child, mode, root, url, String(level)])).stdout);

  const rows = [];
  const figures = {};
  for (const level of LEVELS) {
    const samples = { sdk: [], tar: [] };
    for (let r = 0; r < REPEATS; r++) {
      // Alternate which goes first, so page cache and machine drift favour neither.
      for (const mode of r % 2 ? ['tar', 'sdk'] : ['sdk', 'tar']) samples[mode].push(await once(mode, level));
    }
    const sdkWall = median(samples.sdk.map((s) => s.wall));
    const tarWall = median(samples.tar.map((s) => s.wall));
    const growthOf = (s) => Math.max(s.hwm ?? 0, s.peakSampled) - s.rssBefore;
    const growth = Math.max(...samples.sdk.map(growthOf));
    const tarNodeGrowth = Math.max(...samples.tar.map(growthOf));
    figures[level] = {
      throughputRatio: tarWall / sdkWall,
      growth,
      sdkWall,
      tarWall,
      bytes: samples.sdk[0].bytes,
    };
    for (const [mode, wall, s, g] of [
      ['tfe-client upload', sdkWall, samples.sdk[0], growth],
      ['tar -czhf | PUT', tarWall, samples.tar[0], tarNodeGrowth],
    ]) {
      rows.push({
        variant: `${mode}, gzip ${level}`,
        wall: ms(wall),
        'MiB/s': (treeBytes / 2 ** 20 / (wall / 1000)).toFixed(1),
        'archive MiB': (s.bytes / 2 ** 20).toFixed(1),
        'peak RSS growth (node)': `${(g / 2 ** 20).toFixed(1)} MiB`,
      });
    }
  }
  table(rows, ['variant', 'wall', 'MiB/s', 'archive MiB', 'peak RSS growth (node)']);
  const reportRows = LEVELS.flatMap((level) => {
    const f = figures[level];
    return [
      {
        figure: `upload throughput / tar pipeline, gzip ${level} (${MIB} MiB)`,
        value: x(f.throughputRatio),
        context: `${ms(f.sdkWall)} vs ${ms(f.tarWall)}, archive ${(f.bytes / 2 ** 20).toFixed(1)} MiB`,
        target: '≥ 0.80×',
        met: f.throughputRatio >= 0.8,
      },
      {
        figure: `upload peak RSS growth, gzip ${level}`,
        value: `${(f.growth / 2 ** 20).toFixed(1)} MiB`,
        target: '≤ 64 MiB',
        met: f.growth <= 64 * 2 ** 20,
      },
    ];
  });
  report('upload', meta, reportRows, { treeMiB: MIB });
} finally {
  await server.stop();
  await rm(base, { recursive: true, force: true });
}
