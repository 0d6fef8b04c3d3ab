// The npm registry reachable here serves only this platform's builds of packages such as @rollup/rollup-*
// and @biomejs/cli-*, so `npm install` leaves the other platforms' optional entries out of package-lock.json
// and `npm ci` then refuses the lock. This puts back an entry (name, version, os/cpu) for each such optional
// dependency; npm ci skips them as foreign platforms without fetching. Run it after every `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OSES = [
  'android',
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'openbsd',
  'openharmony',
  'netbsd',
  'sunos',
  'aix',
];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'];

/** Reads the platform a prebuilt package is for from its name, e.g. @rollup/rollup-linux-arm64-musl. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const entry = {};
  const os = OSES.find((o) => parts.includes(o));
  const cpu = CPUS.find((c) => parts.includes(c));
  if (os) entry.os = [os];
  if (cpu) entry.cpu = [cpu];
  if (os === 'linux')
    entry.libc = [parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const [path, pkg] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[base] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    // Only platform builds are put back; any other missing optional dependency is a real lock problem.
    if (!platform.os && !platform.cpu) continue;
    packages[`node_modules/${name}`] = {
      version,
      ...(pkg.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`fix-lockfile: ${added} foreign-platform optional entries added`);
