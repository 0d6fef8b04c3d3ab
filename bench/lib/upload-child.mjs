// One upload in a fresh process, so its peak memory is its own: argv = mode dir url [gzipLevel].
// mode `sdk`: tfe.configurationVersions.upload(url, dir) packing on the fly; mode `tar`: `tar -czhf - -C dir .`
// piped into a node:http PUT. Prints one JSON line: wall ms, bytes the server received, RSS before, peak RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { TfeClient } from 'tfe-client';

const [mode, dir, url, level = '6'] = process.argv.slice(2);
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

function tarPut() {
  return new Promise((resolve, reject) => {
    // -h: follow the symlinks, as the SDK dereferences those pointing outside the tree.
    const gzip = level === '6' ? ['-czhf', '-'] : ['-I', `gzip -${level}`, '-chf', '-'];
    const tar = spawn('tar', [...gzip, '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const req = http.request(
      url,
      { method: 'PUT', headers: { 'content-type': 'application/octet-stream' } },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve(Number(body)));
      },
    );
    req.on('error', reject);
    tar.on('error', reject);
    tar.stdout.pipe(req);
  });
}

async function sdkPut() {
  const tfe = new TfeClient({ address: new URL(url).origin, token: 'bench' });
  await tfe.configurationVersions.upload(url, dir, {
    pack: { gzipLevel: Number(level) },
    timeoutMs: 600_000,
  });
  tfe.close();
  // The sink keeps the size of the last body it received.
  const res = await fetch(new URL('/__last-put', url));
  return Number(await res.text());
}

const started = performance.now();
const bytes = mode === 'tar' ? await tarPut() : await sdkPut();
const wall = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(
  JSON.stringify({
    mode,
    level: Number(level),
    wall,
    bytes,
    rssBefore: before,
    peakSampled: peak,
    hwm: hwm(),
  }),
);

/**
 * This process's own RSS high-water mark (Linux), or undefined. Not `resourceUsage().maxRSS`: Linux keeps
 * ru_maxrss across fork and exec, so a child reports its parent's peak when that was higher (the bench
 * process, holding the generated tree, is).
 */
function hwm() {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}
