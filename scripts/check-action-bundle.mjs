// The GitHub Action runs action/dist/index.cjs as committed: `uses: owner/tfe-client@v1` installs nothing. This
// rebuilds the bundle from src/ into a temporary directory and fails when the committed copy differs, so the
// action can never run stale code; so too the HCL parser's WebAssembly the build puts beside it (action/main.wasm.gz,
// where the bundled parser looks for it) and the licenses of what it bundles (action/dist/licenses.txt). Fix a
// failure with `npm run build:action` and commit action/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'tfe-action-bundle-'));
// The same layout as action/: the bundle in dist/, the wasm beside dist/.
const out = join(temp, 'dist');
const FILES = [
  { committed: 'action/dist/index.cjs', fresh: join(out, 'index.cjs') },
  { committed: 'action/main.wasm.gz', fresh: join(temp, 'main.wasm.gz') },
  { committed: 'action/dist/licenses.txt', fresh: join(out, 'licenses.txt') },
];
try {
  const tsup = join(root, 'node_modules/tsup/dist/cli-default.js');
  execFileSync(process.execPath, [tsup, '--config', 'tsup.action.config.ts', '--silent'], {
    cwd: root,
    env: { ...process.env, ACTION_OUT_DIR: out },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const { committed, fresh } of FILES) {
    const built = readFileSync(fresh);
    if (!existsSync(join(root, committed))) {
      console.error(`${committed} is missing: run \`npm run build:action\` and commit action/.`);
      process.exit(1);
    }
    if (!built.equals(readFileSync(join(root, committed)))) {
      console.error(
        `${committed} is stale: it differs from a build of src/ and its dependencies. Run \`npm run build:action\` and commit action/.`,
      );
      process.exit(1);
    }
    console.log(`${committed} matches its source (${(built.length / 1024).toFixed(0)} kB).`);
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
