import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

const outDir = process.env.ACTION_OUT_DIR ?? 'action/dist';

/**
 * Writes licenses.txt beside the bundle: the license of every package bundled into it, with where its source is.
 * Their terms travel with copies (MIT, ISC, BSD notices; MPL-2.0, the HCL parser's, also asks to say where the
 * source is).
 */
const thirdPartyLicenses: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'third-party-licenses',
  setup(build) {
    build.onEnd(async (result) => {
      if (!result.metafile) return;
      const packages = new Set<string>();
      for (const input of Object.keys(result.metafile.inputs)) {
        const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
        if (dir) packages.add(dir);
      }
      const sections: string[] = [];
      for (const dir of packages) {
        const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
        const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
        const directory = pkg.repository?.directory ? ` (${pkg.repository.directory})` : '';
        const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
        const text = file
          ? (await readFile(join(dir, file), 'utf8')).trim()
          : '(no license file in the package)';
        sections.push(
          [
            `${pkg.name} ${pkg.version} — ${pkg.license ?? 'no license field'}`,
            `Source: ${repository ?? 'npm'}${directory}`,
            '',
            text,
          ].join('\n'),
        );
      }
      sections.sort();
      const rule = `\n\n${'-'.repeat(78)}\n\n`;
      await mkdir(outDir, { recursive: true });
      await writeFile(
        join(outDir, 'licenses.txt'),
        [
          'Packages bundled into index.cjs, with their licenses. ../main.wasm.gz is the build of @cdktn/hcl2json (below)',
          'of its Go sources, which hold hashicorp/hcl (MPL-2.0), zclconf/go-cty (MIT), tmccombs/hcl2json (Apache-2.0)',
          "and Go's runtime (BSD-3-Clause): see the go.mod at its source.",
        ].join('\n') + `${rule}${sections.join(rule)}\n`,
      );
    });
  },
};

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
  esbuildPlugins: [thirdPartyLicenses],
  esbuildOptions(options) {
    options.preserveSymlinks = true;
    options.metafile = true;
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
