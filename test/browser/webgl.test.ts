/**
 * Project `browser`: runs test/shared/backend_cases.ts on the webgl backend in
 * headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH, driven by
 * playwright-core; WebGL via SwiftShader) and on the cpu backend in Node, and
 * compares every result array to float32 tolerance.
 *
 * Skipped (with a message) when Chromium is missing, unless REQUIRE_BROWSER=1.
 */
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../helpers';
import { runBackendCases } from '../shared/backend_cases';
import type { PageResult } from './entry';
import { CHROMIUM_ARGS, executablePath, haveChromium, required } from './chromium';

const here = dirname(fileURLToPath(import.meta.url));
const bundlePath = join(here, '.bundle', 'entry.js');


const ATOL = 1e-4;
const RTOL = 1e-3;

if (!haveChromium) {
  const msg =
    `[browser tests] Chromium not found at ${executablePath} ` +
    '(install with `apt-get install -y chromium` or set CHROMIUM_PATH)';
  if (required) console.error(`${msg}; REQUIRE_BROWSER=1 so the suite FAILS.`);
  else console.warn(`${msg}; SKIPPING the webgl suite.`);
}

describe.skipIf(!haveChromium && !required)('webgl backend in headless Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) return; // REQUIRE_BROWSER=1: the test below fails
    await build({
      entryPoints: [join(here, 'entry.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      outfile: bundlePath,
      sourcemap: 'inline',
      logLevel: 'warning',
    });
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        // Visible in the test output; only uncaught page errors fail the test.
        console.error(`[page console.${m.type()}] ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => {
      console.error(`[page error] ${e.stack ?? e.message}`);
      pageErrors.push(e.message);
    });
    await page.goto('about:blank');
    await page.addScriptTag({ path: bundlePath });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('matches the cpu backend on every shared case', async () => {
    if (!haveChromium) {
      expect.fail(`REQUIRE_BROWSER=1 but no Chromium executable at ${executablePath}`);
    }
    const web: PageResult = await page.evaluate((b) => window.runBackendCases(b), 'webgl');
    expect(web.backend).toBe('webgl');
    expect(web.flags.WEBGL_RENDER_FLOAT32_ENABLED).toBe(true);

    expect(tf.getBackend()).toBe('cpu');
    const cpu = await runBackendCases(tf);

    expect(Object.keys(web.results).sort()).toEqual(Object.keys(cpu).sort());
    expect(Object.keys(cpu).length).toBeGreaterThan(0);
    for (const [name, expected] of Object.entries(cpu)) {
      expectClose(web.results[name], expected, ATOL, RTOL, `case '${name}' (webgl vs cpu)`);
    }
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});
