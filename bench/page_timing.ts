/**
 * `npm run bench:page [-- --gpu] [--backends webgl,webgpu,wasm,cpu] [--length 100] [--units 32]
 *   [--warmup-steps 20] [--epochs 2] [--samples 256] [--out FILE.json] [--markdown docs/benchmarks.md]`
 *
 * Times the browser page (examples/browser) in headless Chromium on each backend: the same
 * configuration is run once per backend (a fresh page each time) and the page's own warmup and
 * training wall times are read back. Without `--gpu`, WebGL and WebGPU run on SwiftShader (the
 * CPU); with `--gpu` Chromium is asked for the machine's GPU through Vulkan/EGL (for a machine
 * with a GPU and its drivers). Prints a markdown table; `--out` also writes the raw results,
 * `--markdown` sets the `browser-page` section (SwiftShader) or `browser-page-gpu` (with --gpu).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { chromium } from 'playwright-core';
import { buildPage } from '../examples/browser/build';
import type { ExperimentResult } from '../examples/browser/experiment';
import { servePage } from '../examples/browser/serve';
import { CHROMIUM_ARGS, WEBGPU_ARGS, executablePath } from '../test/browser/chromium';
import { replaceSection } from './sections';
import * as cli from '../examples/common/cli';

interface Options {
  gpu: boolean;
  backends: string[];
  length: number;
  units: number;
  warmupSteps: number;
  epochs: number;
  samples: number;
  out?: string;
  /** A markdown file (docs/benchmarks.md) whose `browser-page` section is set to the table. */
  markdown?: string;
}

const PAGE_BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
const DEFAULTS: Options = {
  gpu: false,
  backends: [...PAGE_BACKENDS],
  length: 100,
  units: 32,
  warmupSteps: 20,
  epochs: 2,
  samples: 256,
};
const USAGE = `Usage: npm run bench:page -- [--gpu] [--backends ${PAGE_BACKENDS.join(',')}] [--length N] [--units N]
  [--warmup-steps N] [--epochs N] [--samples N] [--out FILE.json] [--markdown docs/benchmarks.md]`;

/** The examples' shared flag parser (`--flag value` or `--flag=value`, errors name the flag). */
function parse(argv: readonly string[]): Options | null {
  const parsed = cli.parseArgv<Options>(argv, {
    usage: USAGE,
    setters: {
      '--backends': (o, v, f) => {
        o.backends = cli.choices(f, v, PAGE_BACKENDS);
      },
      '--length': (o, v, f) => {
        o.length = cli.integer(f, v, 1);
      },
      '--units': (o, v, f) => {
        o.units = cli.integer(f, v, 1);
      },
      '--warmup-steps': (o, v, f) => {
        o.warmupSteps = cli.integer(f, v, 1);
      },
      '--epochs': (o, v, f) => {
        o.epochs = cli.integer(f, v, 1);
      },
      '--samples': (o, v, f) => {
        o.samples = cli.integer(f, v, 2);
      },
      '--out': (o, v) => {
        o.out = v;
      },
      '--markdown': (o, v) => {
        o.markdown = v;
      },
    },
    switches: {
      '--gpu': (o) => {
        o.gpu = true;
      },
    },
  });
  return parsed.help ? null : { ...DEFAULTS, ...parsed.explicit };
}

/** Chromium flags: SwiftShader for both APIs, or the real GPU (ANGLE on Vulkan, WebGPU on Vulkan). */
function chromiumArgs(gpu: boolean): string[] {
  if (!gpu) return [...CHROMIUM_ARGS, ...WEBGPU_ARGS];
  return [
    '--headless',
    '--no-sandbox',
    '--disable-background-networking',
    '--ignore-gpu-blocklist',
    '--enable-gpu',
    '--use-angle=vulkan',
    '--enable-features=Vulkan,VulkanFromANGLE,DefaultANGLEVulkan',
    '--enable-unsafe-webgpu',
  ];
}

interface Row {
  backend: string;
  /** What the page says about the backend (e.g. WebGL version and float precision), or the error. */
  detail: string;
  warmupMs: number | null;
  trainMs: number | null;
  totalMs: number | null;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o === null) {
    console.log(USAGE);
    return;
  }
  const outdir = 'examples/browser/dist';
  await buildPage({ outdir });
  const server = await servePage(outdir, 0);
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs(o.gpu) });
  const rows: Row[] = [];
  const raw: Array<ExperimentResult | null> = [];
  try {
    const gpuInfo = await (async () => {
      const page = await browser.newPage();
      await page.goto(server.url);
      const renderer = await page.evaluate(() => {
        const gl = document.createElement('canvas').getContext('webgl2');
        const info = gl?.getExtension('WEBGL_debug_renderer_info');
        return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'no WebGL 2';
      });
      await page.close();
      return renderer;
    })();
    console.log(`WebGL renderer: ${gpuInfo}`);
    for (const backend of o.backends) {
      const page = await browser.newPage();
      const query = new URLSearchParams({
        cell: 'gru',
        backend,
        length: String(o.length),
        units: String(o.units),
        warmupSteps: String(o.warmupSteps),
        epochs: String(o.epochs),
        samples: String(o.samples),
        seed: '0',
      });
      await page.goto(`${server.url}?${query}`);
      await page.waitForFunction(() => window.__demo?.state === 'idle', null, { timeout: 60_000 });
      const offered = await page.evaluate(() => window.__demo.backendsOffered);
      if (!offered.includes(backend)) {
        rows.push({
          backend,
          detail: `not offered (${offered.join(', ')})`,
          warmupMs: null,
          trainMs: null,
          totalMs: null,
        });
        raw.push(null);
        await page.close();
        continue;
      }
      const started = Date.now();
      await page.click('#run');
      await page.waitForFunction(() => !['idle', 'running'].includes(window.__demo.state), null, { timeout: 590_000 });
      const totalMs = Date.now() - started;
      const state = await page.evaluate(() => ({
        error: window.__demo.error,
        result: window.__demo.lastResult,
        detail: document.getElementById('backend-in-use')?.textContent ?? '',
      }));
      rows.push(
        state.result && !state.error
          ? { backend, detail: state.detail, warmupMs: state.result.warmup.ms, trainMs: state.result.trainMs, totalMs }
          : { backend, detail: `failed: ${state.error ?? 'no result'}`, warmupMs: null, trainMs: null, totalMs },
      );
      raw.push(state.result);
      console.log(`${backend}: ${JSON.stringify(rows[rows.length - 1])}`);
      await page.close();
    }
    const ms = (v: number | null): string => (v === null ? '–' : `${(v / 1000).toFixed(1)} s`);
    const command = `npm run bench:page${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const table = [
      `## Browser page (${o.gpu ? 'GPU' : 'headless Chromium, SwiftShader: WebGL and WebGPU on the CPU'})`,
      '',
      `- Date: ${new Date().toISOString()}; command: \`${command}\``,
      `- Machine: ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${os.cpus().length} cores, load average ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(', ')}; ` + `WebGL renderer: ${gpuInfo}`,
      `- Configuration: the page's run (examples/browser), GRU, L = ${o.length}, ${o.units} units × 2 layers, ` +
        `${o.warmupSteps} warmup steps, then ${o.epochs} epochs of ${o.samples} sequences for each of the two models (plain, warmed).`,
      o.gpu
        ? "- The GPU backends ran on the machine's GPU (see the renderer above)."
        : '- WebGL and WebGPU are emulated on the CPU here (SwiftShader): this shows that the page runs on every backend, not GPU speed; `--gpu` on a machine with a GPU gives real GPU timings.',
      '',
      '| backend | detail | warmup | training (both models) | whole run |',
      '| ------- | ------ | ------ | ---------------------- | --------- |',
      ...rows.map((r) => `| ${r.backend} | ${r.detail} | ${ms(r.warmupMs)} | ${ms(r.trainMs)} | ${ms(r.totalMs)} |`),
    ].join('\n');
    console.log(`\n${table}`);
    if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, renderer: gpuInfo, rows, raw }, null, 2)}\n`);
    if (o.markdown) {
      const name = o.gpu ? 'browser-page-gpu' : 'browser-page';
      writeFileSync(
        o.markdown,
        replaceSection(existsSync(o.markdown) ? readFileSync(o.markdown, 'utf8') : '', name, table),
      );
      console.log(`Section '${name}' of ${o.markdown} updated.`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof cli.ExampleArgsError ? error.message : error);
  process.exit(error instanceof cli.ExampleArgsError ? 2 : 1);
});
