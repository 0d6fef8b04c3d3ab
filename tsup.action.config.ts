import { defineConfig } from 'tsup';

// The GitHub Action's bundle: one self-contained CommonJS file (`.cjs`, as this package is `type: module`) that
// the runner's Node runs straight from the checked-out repository, with nothing installed. Committed;
// scripts/check-action-bundle.mjs rebuilds it into ACTION_OUT_DIR and fails when the committed copy differs.
export default defineConfig({
  entry: { index: 'src/action/main.ts' },
  outDir: process.env.ACTION_OUT_DIR ?? 'action/dist',
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
  },
});
