// Checks the package as npm would publish it: packs the tarball, lints it (publint --strict, and
// arethetypeswrong on every entry), installs it into a fresh project under the OS temp dir, and uses it from
// ESM, CommonJS and TypeScript (nodenext and bundler resolution), the bin, and a user's own vitest suite.
// Run after `npm run build`. KEEP_PACKAGE_CHECK=1 keeps the temporary project for a look.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binOf = (name) => join(root, 'node_modules', '.bin', name);
// The CLI is checked once its source exists; until then its bin entries point at a file not built yet.
const work = mkdtempSync(join(tmpdir(), 'tfe-client-package-'));
const results = [];

/** Runs a command; on failure prints its output and throws. */
function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    const out = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}\n${out}`);
  }
  return res.stdout;
}

async function step(name, fn) {
  const started = performance.now();
  try {
    const note = await fn();
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`  ✓ ${name} (${secs}s)${note ? `: ${note}` : ''}`);
    results.push(true);
  } catch (err) {
    console.log(`  ✗ ${name}\n${String(err?.message ?? err).replace(/^/gm, '      ')}`);
    results.push(false);
    return false;
  }
  return true;
}

let tarball;
let packed;

console.log(`package check in ${work}`);
try {
  await step('npm pack', () => {
    if (!existsSync(join(root, 'dist', 'index.js')))
      throw new Error('dist/ is missing: run `npm run build` first');
    const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root });
    [packed] = JSON.parse(out);
    tarball = join(work, packed.filename);
    const allowed = /^(dist\/.+|package\.json|README\.md|CHANGELOG\.md|LICENSE(\.md)?)$/;
    const stray = packed.files.map((f) => f.path).filter((p) => !allowed.test(p));
    if (stray.length > 0) throw new Error(`unexpected files in the tarball: ${stray.join(', ')}`);
    for (const f of ['README.md', 'CHANGELOG.md']) {
      if (!packed.files.some((p) => p.path === f)) throw new Error(`${f} is not in the tarball`);
    }
    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
    return `${packed.filename}, ${packed.files.length} files, ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked`;
  });
  if (!tarball) throw new Error('no tarball');

  await step('publint --strict', async () => {
    const buffer = readFileSync(tarball);
    const tar = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    const { messages, pkg: packedPkg } = await publint({
      pack: { tarball: tar },
      strict: true,
      level: 'suggestion',
    });
    const problems = messages;
    if (problems.length > 0) {
      throw new Error(problems.map((m) => `${m.type}: ${formatMessage(m, packedPkg) ?? m.code}`).join('\n'));
    }
    return 'clean';
  });

  await step('arethetypeswrong (every entry, node10/node16 CJS+ESM/bundler)', () => {
    run(binOf('attw'), [tarball, '--format', 'ascii', '--no-color'], { cwd: work });
    const entries = Object.keys(pkg.exports).filter((e) => e !== './package.json');
    return entries.join(' ');
  });

  const project = join(work, 'consumer');
  const installed = await step('install the tarball into a fresh project', () => {
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'tfe-client-consumer', private: true, type: 'module' }, null, 2)}\n`,
    );
    const consumer = join(root, 'test', 'package', 'consumer');
    for (const f of readdirSync(consumer)) cpSync(join(consumer, f), join(project, f));
    cpSync(join(root, 'examples'), join(project, 'examples'), { recursive: true });
    cpSync(join(root, 'examples', 'configuration'), join(project, 'configuration'), { recursive: true });
    // The user's own tools, at the versions this repo tests with (npm ci put them in the npm cache).
    const dev = ['vitest', 'msw', '@types/node'].map((name) => {
      const { version } = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
      return `${name}@${version}`;
    });
    const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
    run('npm', ['install', tarball, ...dev, ...flags], { cwd: project });
    const installed = JSON.parse(
      readFileSync(join(project, 'node_modules', 'tfe-client', 'package.json'), 'utf8'),
    );
    if (installed.version !== pkg.version)
      throw new Error(`installed ${installed.version}, not ${pkg.version}`);
    return `tfe-client@${installed.version} with ${dev.join(' ')}`;
  });

  if (!installed) throw new Error('no project to use the package from');
  await step('ESM script (import)', () => run('node', ['consumer.mjs'], { cwd: project }).trim());
  await step('CommonJS script (require)', () => run('node', ['consumer.cjs'], { cwd: project }).trim());

  for (const resolution of ['nodenext', 'bundler']) {
    await step(`tsc --noEmit, moduleResolution ${resolution} (consumer.ts, examples/*.mjs)`, () => {
      run(
        'node',
        [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${resolution}.json`],
        {
          cwd: project,
        },
      );
    });
  }

  for (const name of Object.keys(pkg.bin ?? {})) {
    await step(`bin ${name} --help`, () => {
      const out = run(join(project, 'node_modules', '.bin', name), ['--help'], { cwd: project });
      if (!out.trim()) throw new Error('printed nothing');
    });
  }

  // The HCL parser is a dependency loaded on demand, with its WebAssembly: it must resolve from the install.
  await step('bin tfe reads a .tfvars file with the installed HCL parser', () => {
    writeFileSync(join(project, 'check.tfvars'), 'region = "x"\nlocals {\n}\n');
    const res = spawnSync(
      join(project, 'node_modules', '.bin', 'tfe'),
      ['run', '--var-file', 'check.tfvars', '--workspace', 'w', '--organization', 'o', '--token', 't'],
      { cwd: project, encoding: 'utf8' },
    );
    if (res.status !== 3 || !res.stderr.includes('check.tfvars:2: "locals" is a block')) {
      throw new Error(`expected exit 3 naming the block, got ${res.status}\n${res.stderr}`);
    }
  });

  await step("a user's vitest suite on tfe-client/testing (examples/*.test.mjs)", () => {
    const out = run(
      join(project, 'node_modules', '.bin', 'vitest'),
      ['run', '--reporter=dot', '--testTimeout=30000'],
      {
        cwd: project,
        env: { TFE_TOKEN: '', TF_API_TOKEN: '', CI: 'true', NO_COLOR: '1' },
      },
    );
    const passed = /Tests\s+(\d+) passed/.exec(out);
    if (!passed) throw new Error(`no passing tests reported\n${out}`);
    return `${passed[1]} tests passed`;
  });
} catch (err) {
  console.log(`  ✗ stopped: ${err.message}`);
  results.push(false);
} finally {
  if (process.env.KEEP_PACKAGE_CHECK) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = results.filter((ok) => !ok).length;
console.log(`package-check: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
