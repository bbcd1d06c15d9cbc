/**
 * `npm run examples:quick`: runs every quick example (examples/quick/*.ts) with tsx, one after
 * the other, against the built package (run `npm run build` first), and loads browser.html in
 * headless Chromium when it is available (required with REQUIRE_BROWSER=1, as in CI). Prints
 * each example's wall time; exits non-zero if any example fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, executablePath, haveChromium, required } from '../../test/browser/chromium';
import { servePage } from '../browser/serve';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first (the examples import the built package by name).');
  process.exit(1);
}

const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run_all.ts')
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort();
for (const file of scripts) {
  const started = performance.now();
  console.log(`\n==== examples/quick/${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { cwd: root, stdio: 'inherit' });
  results.push({ name: file, ok: run.status === 0, seconds: (performance.now() - started) / 1000 });
}

if (only.length === 0 || only.includes('browser')) {
  console.log('\n==== examples/quick/browser.html');
  const started = performance.now();
  if (!haveChromium) {
    console.log(`Chromium not found at ${executablePath}: ${required ? 'FAILING (REQUIRE_BROWSER=1)' : 'skipped'}.`);
    if (required) results.push({ name: 'browser.html', ok: false, seconds: 0 });
  } else {
    results.push({ name: 'browser.html', ok: await checkBrowserPage(), seconds: (performance.now() - started) / 1000 });
  }
}

console.log('\n| example | result | wall time |\n| --- | --- | --- |');
for (const r of results) console.log(`| ${r.name} | ${r.ok ? 'ok' : 'FAILED'} | ${r.seconds.toFixed(1)} s |`);
const failed = results.filter((r) => !r.ok);
if (failed.length > 0) {
  console.error(`${failed.length} quick example(s) failed: ${failed.map((r) => r.name).join(', ')}`);
  process.exit(1);
}

/** Serves the repository root, opens browser.html (webgl via SwiftShader) and waits for its result. */
async function checkBrowserPage(): Promise<boolean> {
  const server = await servePage(root, 0);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // A page error (a module that fails to load, say) ends the check at once.
    const pageError = new Promise<never>((_, reject) => page.on('pageerror', (e) => reject(e)));
    await page.goto(`${server.url}${relative(root, join(here, 'browser.html'))}`);
    const finished = page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result != null, null, {
      timeout: 120_000,
    });
    await Promise.race([finished, pageError]);
    console.log(await page.textContent('#log'));
    return await page.evaluate(() => (window as unknown as { __result: { ok: boolean } }).__result.ok);
  } catch (error) {
    console.log(`browser.html failed: ${String(error)}`);
    return false;
  } finally {
    await browser.close();
    await server.close();
  }
}
