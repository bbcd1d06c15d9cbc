/**
 * Project `browser`: runs test/shared/backend_cases.ts on the webgl and the webgpu backends in
 * headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH, driven by
 * playwright-core; WebGL and WebGPU through SwiftShader, no GPU needed) and on the cpu backend
 * in Node, and compares every result array within the measured differences × 10
 * (test/shared/backend_tolerances.ts); on webgl, also checks that a tiny warmup raises VAA*
 * toward the target (test/shared/warmup_quality_case.ts).
 *
 * Skipped (with a message) when Chromium is missing, unless REQUIRE_BROWSER=1.
 */
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackendCases } from '../shared/backend_cases';
import { compareBackendCases } from '../shared/backend_tolerances';
import { warmupQualityFailures } from '../shared/warmup_quality_case';
import type { PageResult } from './entry';
import { CHROMIUM_ARGS, WEBGPU_ARGS, executablePath, haveChromium, required } from './chromium';

const here = dirname(fileURLToPath(import.meta.url));
const bundlePath = join(here, '.bundle', 'entry.js');

if (!haveChromium) {
  const msg =
    `[browser tests] Chromium not found at ${executablePath} ` +
    '(install with `apt-get install -y chromium` or set CHROMIUM_PATH)';
  if (required) console.error(`${msg}; REQUIRE_BROWSER=1 so the suite FAILS.`);
  else console.warn(`${msg}; SKIPPING the webgl and webgpu suites.`);
}

const ORIGIN = 'https://tfjs-warmup-rnn.test';

/** One browser per backend: WebGPU needs its own flags. */
function describeBackend(
  backend: 'webgl' | 'webgpu',
  args: readonly string[],
  checkFlags: (flags: Record<string, unknown>) => void,
): void {
  describe.skipIf(!haveChromium && !required)(`${backend} backend in headless Chromium`, () => {
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      if (!haveChromium) return; // REQUIRE_BROWSER=1: the test below fails
      await bundleOnce();
      browser = await chromium.launch({ executablePath, headless: true, args: [...args] });
      page = await browser.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') {
          // Visible in the test output; only uncaught page errors fail the test.
          console.error(`[${backend} page console.${m.type()}] ${m.text()}`);
        }
      });
      page.on('pageerror', (e) => {
        console.error(`[${backend} page error] ${e.stack ?? e.message}`);
        pageErrors.push(e.message);
      });
      // WebGPU exists only in secure contexts (about:blank is not one): serve an empty page from
      // an https origin that Playwright answers itself, so nothing touches the network.
      await page.route(`${ORIGIN}/**`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>backend cases</title>' }),
      );
      await page.goto(`${ORIGIN}/`);
      await page.addScriptTag({ path: bundlePath });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('matches the cpu backend on every shared case', { timeout: 400_000 }, async () => {
      if (!haveChromium) {
        expect.fail(`REQUIRE_BROWSER=1 but no Chromium executable at ${executablePath}`);
      }
      // The warmup-quality runs cost most on SwiftShader: webgl only (webgpu shares its kernels' maths).
      const withQuality = backend === 'webgl';
      const web: PageResult = await page.evaluate(([b, q]) => window.runBackendCases(b, q), [
        backend,
        withQuality,
      ] as const);
      expect(web.backend).toBe(backend);
      checkFlags(web.flags);

      expect(tf.getBackend()).toBe('cpu');
      const cpu = await runBackendCases(tf);

      // webgpu skips the synchronous vaa read (see backend_cases.ts).
      const names = Object.keys(cpu).filter((name) => backend !== 'webgpu' || name !== 'vaaSync');
      expect(Object.keys(web.results).sort()).toEqual(names.sort());
      expect(names.length).toBeGreaterThan(0);
      const expected = Object.fromEntries(names.map((name) => [name, cpu[name]]));
      const failures = compareBackendCases(
        backend,
        web.results,
        expected,
        process.env.MEASURE_BACKEND_DIFFS === '1',
        (t) => console.log(t),
      );
      expect(failures, failures.join('\n')).toEqual([]);
      if (withQuality) {
        console.log(
          `[${backend}] warmup quality: ${web.quality.map((q) => `seed ${q.seed} ${q.before.toFixed(2)} → ${q.after.toFixed(2)}`).join(', ')}`,
        );
        const quality = warmupQualityFailures(web.quality);
        expect(quality, quality.join('\n')).toEqual([]);
      }
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    });
  });
}

let bundled: Promise<unknown> | undefined;
/** Both suites share one bundle (the entry registers webgl and webgpu). */
function bundleOnce(): Promise<unknown> {
  bundled ??= build({
    entryPoints: [join(here, 'entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    outfile: bundlePath,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return bundled;
}

describeBackend('webgl', CHROMIUM_ARGS, (flags) => expect(flags.WEBGL_RENDER_FLOAT32_ENABLED).toBe(true));
describeBackend('webgpu', [...CHROMIUM_ARGS, ...WEBGPU_ARGS], (flags) => expect(flags.adapter).toBe('available'));
