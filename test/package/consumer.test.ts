/**
 * The package as users get it (issue 10 item 3, issue 8 "Loading"): `npm pack`, the tarball
 * installed into a fresh temporary project beside `@tensorflow/tfjs` (from the npm cache:
 * `--prefer-offline`), then
 *  - an ESM and a CommonJS script build a small model with our layers, predict and warm it up,
 *    and must report that the WebAssembly engine ran (a silent fallback to the op path fails);
 *  - `tsc --strict` on a TypeScript consumer with moduleResolution `node16` (ESM and .cts) and
 *    `bundler`;
 *  - an esbuild browser bundle in headless Chromium runs a tiny model on the cpu backend with
 *    the engine active.
 * dist/ is rebuilt first when any source is newer than it (CI builds it just before the tests).
 * Runs once, in the `cpu` project (vitest.config.ts leaves test/package/ out of `wasm`). Without Chromium the browser part is skipped with a warning,
 * unless REQUIRE_BROWSER=1 (CI), where it fails.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, executablePath, haveChromium, required } from '../browser/chromium';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const fixtures = join(here, 'fixtures');
const TFJS_VERSION = '4.22.0';

interface ConsumerResult {
  flavour: string;
  backend: string;
  loaded: string;
  status: { state: string; calls: { engine: number; ops: number }; lastPath: string | null };
  finite: boolean;
  warmupSteps?: number;
}

/** npm's own variables of the `npm test` that started vitest would leak into child npm runs. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_package_') || key.startsWith('npm_lifecycle_')) delete env[key];
  }
  return env;
}

async function sh(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<string> {
  const started = performance.now();
  try {
    const { stdout } = await run(cmd, args, { cwd, env: childEnv(), timeout, maxBuffer: 64 * 2 ** 20 });
    console.log(`[consumer test] ${cmd} ${args[0]}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

async function newestMtime(dir: string, skip: (path: string) => boolean): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(path, skip) : (await stat(path)).mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/ when it is missing or older than a source file (generated engine code aside). */
async function ensureFreshDist(): Promise<void> {
  const built = await stat(join(root, 'dist', 'index.js')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = Math.max(
    await newestMtime(join(root, 'src'), (p) => p.includes(join('src', 'engine', 'generated'))),
    (await stat(join(root, 'package.json'))).mtimeMs,
  );
  if (built < sources) {
    console.warn('[consumer test] dist/ is missing or stale: running `npm run build` first');
    await sh('npm', ['run', 'build'], root, 300_000);
  }
}

function parseResult(stdout: string): ConsumerResult {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line == null) throw new Error(`no RESULT line in:\n${stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as ConsumerResult;
}

/** The engine loaded, ran the recurrences, and nothing silently took the op path. */
function expectEngineRan(r: ConsumerResult): void {
  expect(r.finite).toBe(true);
  expect(r.loaded).toBe('ready');
  expect(r.status.state).toBe('ready');
  expect(r.status.calls.engine).toBeGreaterThan(0);
  expect(r.status.calls.ops).toBe(0);
  expect(r.status.lastPath).toBe('engine');
}

describe('the packed package in a fresh consumer project', () => {
  let project: string;

  beforeAll(async () => {
    await ensureFreshDist();
    project = await mkdtemp(join(tmpdir(), 'tfjs-warmup-rnn-consumer-'));
    const packed = JSON.parse(
      await sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], root),
    ) as { filename: string }[];
    const tarball = join(project, packed[0].filename);
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
    );
    for (const name of await readdir(fixtures)) await copyFile(join(fixtures, name), join(project, name));
    // From the npm cache that `npm ci` filled (the registry only if something is missing).
    await sh(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        tarball,
        `@tensorflow/tfjs@${TFJS_VERSION}`,
      ],
      project,
      180_000,
    );
  }, 300_000);

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('installs what package.json promises (dist with the embedded engine, types for import and require)', async () => {
    const pkg = JSON.parse(
      await readFile(join(project, 'node_modules', 'tfjs-warmup-rnn', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    const dist = await readdir(join(project, 'node_modules', 'tfjs-warmup-rnn', 'dist'));
    expect(dist).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']));
    // No loose .wasm file to locate at run time: the engine is inside the JavaScript.
    expect(dist.filter((f) => f.endsWith('.wasm'))).toEqual([]);
  });

  it('ESM: predict and warmup run on the engine', { timeout: 90_000 }, async () => {
    expectEngineRan(parseResult(await sh('node', ['consumer.mjs'], project)));
  });

  it('CommonJS: predict and warmup run on the engine', { timeout: 90_000 }, async () => {
    expectEngineRan(parseResult(await sh('node', ['consumer.cjs'], project)));
  });

  it('TypeScript --strict with moduleResolution node16 (ESM and .cts) and bundler', { timeout: 120_000 }, async () => {
    // skipLibCheck stays off so that our declarations are checked too; tfjs 4.22's own
    // declarations have errors under --strict, which consumers meet anyway (they set
    // skipLibCheck), so errors located in @tensorflow/* files are tolerated — no others.
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = async (config: string): Promise<string[]> => {
      const out = await run('node', [tsc, '-p', config, '--pretty', 'false'], {
        cwd: project,
        maxBuffer: 64 * 2 ** 20,
      }).then(
        (r) => r.stdout,
        (e: { stdout?: string }) => e.stdout ?? '',
      );
      const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
      return errors.filter((l) => !l.startsWith('node_modules/@tensorflow/')).map((l) => `${config}: ${l}`);
    };
    const [node16, bundler] = await Promise.all([check('tsconfig.node16.json'), check('tsconfig.bundler.json')]);
    expect([...node16, ...bundler]).toEqual([]);
  });

  describe.skipIf(!haveChromium && !required)('browser bundle (esbuild) in headless Chromium', () => {
    it('runs a tiny model on the cpu backend with the engine active', { timeout: 120_000 }, async () => {
      if (!haveChromium) expect.fail(`REQUIRE_BROWSER=1 but no Chromium executable at ${executablePath}`);
      const result = await build({
        entryPoints: [join(project, 'browser.mjs')],
        absWorkingDir: project,
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        write: false,
        logLevel: 'error',
      });
      const code = result.outputFiles[0].text;
      const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto('about:blank');
        await page.addScriptTag({ content: code });
        const r = (await page.evaluate(
          () => (window as unknown as { __consumer: Promise<unknown> }).__consumer,
        )) as ConsumerResult;
        expect(errors).toEqual([]);
        expect(r.backend).toBe('cpu');
        expectEngineRan(r);
      } finally {
        await browser.close();
      }
    });
  });
});
