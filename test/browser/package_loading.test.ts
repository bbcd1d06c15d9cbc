/**
 * Project `browser`: the packed package (`npm pack`) works in a fresh consumer project with its
 * recurrence engine active — in Node as ESM and as CJS, and in a browser bundle (esbuild) in
 * headless Chromium. Each run asserts that the engine loaded and ran the recurrence, so a silent
 * fallback to the tfjs-op path fails the test. Needs dist/ (`npm run build`; built here when
 * missing). The consumer links the repository's @tensorflow packages (its peer dependencies)
 * instead of installing them, so no network is needed.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, executablePath, haveChromium, required } from './chromium';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MARK = 'ENGINE-CHECK ';

/** Runs the library in the consumer and reports what the engine did (one JSON line). */
const check = `
  await tf.setBackend('cpu');
  const status = await ready();
  const y = gru({ units: 4, returnSequences: true }).apply(tf.ones([2, 5, 3]));
  const after = engineStatus();
  report({ state: status.state, reason: status.reason ?? null, lastPath: after.lastPath, engineCalls: after.calls.engine, shape: y.shape });
`;

let consumer = '';

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'index.cjs'))) {
    execFileSync('npx', ['tsup'], { cwd: root, stdio: 'inherit' });
  }
  consumer = mkdtempSync(join(tmpdir(), 'warmup-rnn-consumer-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' }),
  ) as Array<{ filename: string }>;
  const target = join(consumer, 'node_modules', 'tfjs-warmup-rnn');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(consumer, packed[0].filename), '-C', target, '--strip-components=1']);
  symlinkSync(join(root, 'node_modules', '@tensorflow'), join(consumer, 'node_modules', '@tensorflow'), 'dir');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  writeFileSync(
    join(consumer, 'esm.mjs'),
    `import * as tf from '@tensorflow/tfjs';\nimport { ready, engineStatus, gru } from 'tfjs-warmup-rnn';\n` +
      `const report = (r) => console.log(${JSON.stringify(MARK)} + JSON.stringify(r));\n${check}`,
  );
  writeFileSync(
    join(consumer, 'cjs.cjs'),
    `const tf = require('@tensorflow/tfjs');\nconst { ready, engineStatus, gru } = require('tfjs-warmup-rnn');\n` +
      `const report = (r) => console.log(${JSON.stringify(MARK)} + JSON.stringify(r));\n(async () => {${check}})();`,
  );
  writeFileSync(
    join(consumer, 'browser.mjs'),
    `import * as tf from '@tensorflow/tfjs';\nimport { ready, engineStatus, gru } from 'tfjs-warmup-rnn';\n` +
      `window.engineCheck = new Promise((report) => { (async () => {${check}})(); });`,
  );
}, 180_000);

afterAll(() => {
  if (consumer !== '') rmSync(consumer, { recursive: true, force: true });
});

function runNode(file: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const line = out.split('\n').find((l) => l.startsWith(MARK));
  if (line == null) throw new Error(`${file} printed no result:\n${out}`);
  return JSON.parse(line.slice(MARK.length)) as Record<string, unknown>;
}

function expectEngineRan(result: Record<string, unknown>): void {
  expect(result.state, `engine state (reason: ${String(result.reason)})`).toBe('ready');
  expect(result.lastPath).toBe('engine');
  expect(result.engineCalls).toBe(1);
  expect(result.shape).toEqual([2, 5, 4]);
}

describe('the packed package loads its engine in a fresh consumer', () => {
  it('contains the compiled engine and no AssemblyScript sources', () => {
    const files = readdirSync(join(consumer, 'node_modules', 'tfjs-warmup-rnn', 'dist'));
    expect(files).toContain('index.js');
    expect(files).toContain('index.cjs');
    expect(existsSync(join(consumer, 'node_modules', 'tfjs-warmup-rnn', 'src'))).toBe(false);
  });

  it('Node ESM', () => {
    expectEngineRan(runNode('esm.mjs'));
  });

  it('Node CJS', () => {
    expectEngineRan(runNode('cjs.cjs'));
  });

  it.skipIf(!haveChromium && !required)('a browser bundle (esbuild) in headless Chromium', async () => {
    if (!haveChromium) expect.fail(`REQUIRE_BROWSER=1 but no Chromium executable at ${executablePath}`);
    const bundle = join(consumer, 'bundle.js');
    await build({
      entryPoints: [join(consumer, 'browser.mjs')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      outfile: bundle,
      logLevel: 'warning',
    });
    const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!DOCTYPE html><title>consumer</title>');
      await page.addScriptTag({ path: bundle });
      const result = (await page.evaluate(() => (window as unknown as { engineCheck: Promise<unknown> }).engineCheck)) as Record<string, unknown>;
      expectEngineRan(result);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
