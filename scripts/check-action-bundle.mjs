// The GitHub Action runs action/dist/index.cjs as committed: `uses: owner/tfe-client@v1` installs nothing. This
// rebuilds the bundle from src/ into a temporary directory and fails when the committed copy differs, so the
// action can never run stale code. Fix a failure with `npm run build:action` and commit action/dist.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const committed = join(root, 'action/dist/index.cjs');
const out = mkdtempSync(join(tmpdir(), 'tfe-action-bundle-'));
try {
  const tsup = join(root, 'node_modules/tsup/dist/cli-default.js');
  execFileSync(process.execPath, [tsup, '--config', 'tsup.action.config.ts', '--silent'], {
    cwd: root,
    env: { ...process.env, ACTION_OUT_DIR: out },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const fresh = readFileSync(join(out, 'index.cjs'));
  if (!existsSync(committed)) {
    console.error('action/dist/index.cjs is missing: run `npm run build:action` and commit action/dist.');
    process.exit(1);
  }
  if (!fresh.equals(readFileSync(committed))) {
    console.error(
      'action/dist/index.cjs is stale: it differs from a build of src/. Run `npm run build:action` and commit action/dist.',
    );
    process.exit(1);
  }
  console.log(`action/dist/index.cjs matches its source (${(fresh.length / 1024).toFixed(0)} kB).`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
