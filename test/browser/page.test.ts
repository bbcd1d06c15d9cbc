/**
 * Project `browser`: the example page (examples/browser/) in headless Chromium (Debian's
 * /usr/bin/chromium or $CHROMIUM_PATH, driven by playwright-core; WebGL via SwiftShader).
 * Builds the page, serves it on 127.0.0.1 with an ephemeral port, runs a tiny configuration
 * on webgl, checks that the plots update live and the numbers are sane, and saves a
 * screenshot to test/browser/.artifacts/page.png.
 *
 * Skipped (with a message) when Chromium is missing, unless REQUIRE_BROWSER=1.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../../examples/browser/build';
import type { DemoState } from '../../examples/browser/hook';
import { servePage, type PageServer } from '../../examples/browser/serve';
import { CHROMIUM_ARGS, executablePath, haveChromium, required } from './chromium';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '.bundle', 'page');
const screenshotPath = join(here, '.artifacts', 'page.png');

/** A tiny configuration: a few seconds of work even on SwiftShader. */
const TINY = {
  cell: 'gru',
  length: '10',
  units: '4',
  warmupSteps: '3',
  epochs: '2',
  samples: '64',
  seed: '1',
  backend: 'webgl',
};

if (!haveChromium) {
  const msg = `[browser tests] Chromium not found at ${executablePath}`;
  if (required) console.error(`${msg}; REQUIRE_BROWSER=1 so the page test FAILS.`);
  else console.warn(`${msg}; SKIPPING the page test.`);
}

interface Snapshot {
  state: DemoState;
  plots: Record<string, Record<string, number>>;
}

describe.skipIf(!haveChromium && !required)('example page (examples/browser) in headless Chromium', () => {
  let browser: Browser | undefined;
  let server: PageServer | undefined;

  beforeAll(async () => {
    if (!haveChromium) return; // REQUIRE_BROWSER=1: the test below fails
    await buildPage({ outdir });
    server = await servePage(outdir, 0);
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs a tiny configuration on webgl with live plots and sane numbers', { timeout: 120_000 }, async () => {
    if (!haveChromium || !browser || !server) {
      expect.fail(`REQUIRE_BROWSER=1 but no Chromium executable at ${executablePath}`);
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const pageErrors: string[] = [];
    const failedRequests: string[] = [];
    page.on('pageerror', (e) => {
      console.error(`[page error] ${e.stack ?? e.message}`);
      pageErrors.push(e.message);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.error(`[page console.${m.type()}] ${m.text()}`);
    });
    page.on('requestfailed', (r) => failedRequests.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) failedRequests.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(server.url);
    await page.waitForFunction(() => window.__demo?.state === 'idle', null, { timeout: 30_000 });
    const offered = await page.evaluate(() => window.__demo.backendsOffered);
    expect(offered).toEqual(expect.arrayContaining(['webgl', 'wasm', 'cpu']));

    for (const [name, value] of Object.entries(TINY)) {
      if (name === 'cell' || name === 'backend') await page.selectOption(`#${name}`, value);
      else await page.fill(`#${name}`, value);
    }
    // Record the plotted point counts every 25 ms, to see them grow while the run goes on.
    await page.evaluate(() => {
      const w = window as unknown as { __snapshots: unknown[] };
      w.__snapshots = [];
      setInterval(() => w.__snapshots.push({ state: window.__demo.state, plots: window.__demo.plots() }), 25);
    });
    const started = Date.now();
    await page.click('#run');
    await page.waitForFunction(() => !['idle', 'running'].includes(window.__demo.state), null, { timeout: 90_000 });
    const runSeconds = (Date.now() - started) / 1000;

    const demo = await page.evaluate(() => ({
      state: window.__demo.state,
      error: window.__demo.error,
      backend: window.__demo.backend,
      result: window.__demo.lastResult,
      tensors: window.__demo.tensors,
      plots: window.__demo.plots(),
    }));
    const snapshots = await page.evaluate(() => (window as unknown as { __snapshots: Snapshot[] }).__snapshots);
    const dom = await page.evaluate(() => {
      const series: Record<string, { points: number; drawn: number; last: number }> = {};
      for (const chart of ['vaa-plain', 'vaa-warmed', 'loss-plain', 'loss-warmed']) {
        for (const g of Array.from(document.querySelectorAll(`#chart-${chart} g.series`))) {
          const polyline = g.querySelector('polyline');
          series[`${chart}/${g.getAttribute('data-series')}`] = {
            points: Number(g.getAttribute('data-points')),
            drawn: (polyline?.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length,
            last: Number(g.getAttribute('data-last')),
          };
        }
      }
      return {
        series,
        backendText: document.getElementById('backend-in-use')?.textContent ?? '',
        status: document.getElementById('status')?.textContent ?? '',
        summary: document.getElementById('summary')?.textContent ?? '',
        warmedVaa: JSON.parse(document.getElementById('num-warmed-vaa')?.dataset.value ?? 'null') as {
          after: number[];
        } | null,
        runDisabled: (document.getElementById('run') as HTMLButtonElement).disabled,
      };
    });
    console.log(`[page test] run took ${runSeconds.toFixed(1)} s; status: ${dom.status}; ${dom.summary}`);

    await mkdir(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    expect(demo.error).toBeNull();
    expect(demo.state).toBe('done');
    expect(dom.runDisabled).toBe(false);

    // The run used webgl.
    expect(demo.backend).toBe('webgl');
    expect(demo.result?.backend).toBe('webgl');
    expect(dom.backendText).toMatch(/^webgl/);

    const result = demo.result!;
    expect(result.config).toMatchObject({ cell: 'gru', length: 10, units: 4, warmupSteps: 3, epochs: 2, samples: 64 });

    // Warmup: ≥ 3 points per layer, VAA* in (0, 1].
    const inUnit = (v: number): boolean => Number.isFinite(v) && v > 0 && v <= 1;
    expect(result.warmup.stepsCompleted).toBe(3);
    expect(result.warmup.vaaStar).toHaveLength(3);
    for (const step of result.warmup.vaaStar) {
      expect(step).toHaveLength(2);
      expect(step.every(inUnit), `VAA* ${step}`).toBe(true);
    }
    expect([...result.warmup.vaaStarBefore, ...result.warmup.vaaStarAfter].every(inUnit)).toBe(true);
    expect(dom.warmedVaa?.after).toEqual(result.warmup.vaaStarAfter);
    for (const layer of ['layer-1', 'layer-2']) {
      expect(demo.plots['vaa-warmed'][layer]).toBeGreaterThanOrEqual(3);
      const drawn = dom.series[`vaa-warmed/${layer}`];
      expect(drawn.points).toBeGreaterThanOrEqual(3);
      expect(drawn.drawn).toBe(drawn.points);
      expect(inUnit(drawn.last)).toBe(true);
      expect(demo.plots['vaa-plain'][layer]).toBeGreaterThanOrEqual(2); // the flat "no warmup" line
    }

    // Training: ≥ 2 validation points per model, finite positive MSE of a sane size.
    for (const key of ['plain', 'warmed'] as const) {
      const mse = result.valMse[key];
      expect(mse).toHaveLength(3); // before training and after each of the 2 epochs
      for (const v of mse) {
        expect(Number.isFinite(v) && v > 0, `${key} MSE ${v}`).toBe(true);
        expect(v).toBeLessThan(10);
      }
      const val = dom.series[`loss-${key}/val`];
      expect(val.points).toBeGreaterThanOrEqual(2);
      expect(val.drawn).toBe(val.points);
      expect(val.last).toBe(mse[mse.length - 1]);
      expect(demo.plots[`loss-${key}`].train).toBeGreaterThanOrEqual(2 * 2); // 2 batches × 2 epochs
      expect(demo.plots[`loss-${key}`].other).toBe(3);
    }
    // The plots grew while the run was going on (live updates, not only at the end).
    const running = snapshots.filter((s) => s.state === 'running');
    const warmupPoints = new Set(running.map((s) => s.plots['vaa-warmed']?.['layer-1'] ?? 0));
    const lossPoints = new Set(running.map((s) => s.plots['loss-warmed']?.val ?? 0));
    expect([...warmupPoints].filter((n) => n > 0 && n < 3).length, 'warmup points seen mid-run').toBeGreaterThan(0);
    expect([...lossPoints].filter((n) => n > 0 && n < 3).length, 'loss points seen mid-run').toBeGreaterThan(0);

    // Nothing leaked, nothing failed to load, no uncaught errors.
    expect(demo.tensors).not.toBeNull();
    expect(demo.tensors!.after).toBe(demo.tensors!.before);
    expect(failedRequests).toEqual([]);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    await page.close();
  });
});
