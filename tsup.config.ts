import { resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const SDK_ENTRIES: Record<string, string> = {
  [resolve('src/index.ts')]: 'tfe-client',
  [resolve('src/testing/index.ts')]: 'tfe-client/testing',
};

// The CLI reaches the SDK only through its public entries, imported by the package's own name: it ships no
// second copy of the SDK, and it cannot use anything the package does not export.
const sdkAsPackage: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'sdk-as-package',
  setup(build) {
    build.onResolve({ filter: /index\.js$/ }, async (args) => {
      if (args.pluginData === 'sdk-as-package') return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'sdk-as-package',
      });
      const name = SDK_ENTRIES[found.path];
      return name ? { path: name, external: true } : undefined;
    });
  },
};

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
    esbuildPlugins: [sdkAsPackage],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
