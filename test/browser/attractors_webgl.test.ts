/**
 * Project `browser`: findFixedPoints on the webgl backend in headless Chromium (SwiftShader):
 * the 1-unit bistable cell's two stable points at ±½ and unstable one at 0, with their
 * closed-form eigenvalues (test/attractors/systems.ts), and no leaked tensors.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BISTABLE } from '../attractors/systems';
import type { AttractorPageResult } from './attractors_entry';
import { CHROMIUM_ARGS, executablePath, haveChromium, required } from './chromium';

const here = dirname(fileURLToPath(import.meta.url));
const bundlePath = join(here, '.bundle', 'attractors_entry.js');
const ORIGIN = 'https://tfjs-warmup-rnn-attractors.test';

describe.skipIf(!haveChromium && !required)('findFixedPoints on webgl in headless Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it("finds the bistable cell's points, classes and eigenvalues", { timeout: 180_000 }, async () => {
    if (!haveChromium) expect.fail(`REQUIRE_BROWSER=1 but no Chromium executable at ${executablePath}`);
    await build({
      entryPoints: [join(here, 'attractors_entry.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      outfile: bundlePath,
      logLevel: 'warning',
    });
    browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.route(`${ORIGIN}/**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>attractors</title>' }),
    );
    await page.goto(`${ORIGIN}/`);
    await page.addScriptTag({ path: bundlePath });
    const r: AttractorPageResult = await page.evaluate(() => window.runAttractorCase('webgl'));
    expect(r.backend).toBe('webgl');
    expect(r.kinds).toEqual(['stable', 'stable', 'unstable']);
    expect([...r.states.slice(0, 2)].sort((a, b) => a - b).map((v) => Number(v.toFixed(4)))).toEqual([
      -BISTABLE.stable,
      BISTABLE.stable,
    ]);
    expect(Math.abs(r.states[2])).toBeLessThan(1e-4);
    expect(r.eigenvalues[0]).toBeCloseTo(BISTABLE.stableEigenvalue, 3);
    expect(r.eigenvalues[2]).toBeCloseTo(BISTABLE.unstableEigenvalue, 3);
    expect(r.tensorsLeaked).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
