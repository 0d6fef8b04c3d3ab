import { copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

const outDir = process.env.ACTION_OUT_DIR ?? 'action/dist';

// The GitHub Action's bundle: one self-contained CommonJS file (`.cjs`, as this package is `type: module`) that
// the runner's Node runs straight from the checked-out repository, with nothing installed. Committed;
// scripts/check-action-bundle.mjs rebuilds it into ACTION_OUT_DIR and fails when the committed copy differs.
export default defineConfig({
  entry: { index: 'src/action/main.ts' },
  outDir,
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  clean: true,
  dts: false,
  // Readable (not minified), so a reviewer can read what the action runs.
  minify: false,
  // The path comments name node_modules/… as seen from the repository, whether or not node_modules is a symlink,
  // so the bundle is byte-identical on every machine.
  esbuildOptions(options) {
    options.preserveSymlinks = true;
    // The HCL parser's Go runtime requires a `performance` package only where Node lacks the global (before 16).
    options.external = [...(options.external ?? []), 'performance'];
  },
  // The HCL parser (for `var-file: x.tfvars`) reads its WebAssembly from `../main.wasm.gz` beside the code that
  // loads it (@cdktn/hcl2json's bridge.js); bundled, that code is index.cjs, so the file goes to action/.
  async onSuccess() {
    const wasm = createRequire(import.meta.url).resolve('@cdktn/hcl2json/main.wasm.gz');
    await copyFile(wasm, join(outDir, '..', 'main.wasm.gz'));
  },
});
