/**
 * Builds the browser page into examples/browser/dist/ (or `outdir`): bundles main.ts with
 * esbuild (tfjs, its wasm backend and this library included), and copies index.html and the
 * tfjs wasm binaries next to the bundle, so the page needs no network at run time.
 *
 *   npm run page:build          # → examples/browser/dist/
 */
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUTDIR = join(here, 'dist');

export interface BuildPageOptions {
  /** Output folder; emptied first. Default examples/browser/dist. */
  outdir?: string;
  /** Minify the bundle (default true). */
  minify?: boolean;
}

/** Builds the page; returns the output folder and the files written (relative names). */
export async function buildPage(options: BuildPageOptions = {}): Promise<{ outdir: string; files: string[] }> {
  const outdir = resolve(options.outdir ?? DEFAULT_OUTDIR);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: options.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outdir, 'index.html'));
  // The .wasm binaries of @tensorflow/tfjs-backend-wasm (main.ts points setWasmPaths here).
  const require = createRequire(import.meta.url);
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const wasmDir = join(wasmDist, 'dist');
  for (const name of await readdir(wasmDir)) {
    if (name.endsWith('.wasm')) await copyFile(join(wasmDir, name), join(outdir, name));
  }
  return { outdir, files: (await readdir(outdir)).sort() };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const started = Date.now();
  buildPage()
    .then(({ outdir, files }) => {
      console.log(`Built the page in ${((Date.now() - started) / 1000).toFixed(1)} s: ${outdir}`);
      console.log(`  ${files.join(', ')}`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
