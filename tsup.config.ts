import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      'testing/msw': 'src/testing/msw.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // `npm run build` empties dist/ first: a clean here would race the CLI build running beside it.
    clean: false,
    target: 'node20',
    // Split so the SDK entry never loads the testing kit's code.
    splitting: true,
    treeshake: true,
  },
  {
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
