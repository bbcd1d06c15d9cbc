import { defineConfig } from 'vitest/config';

/**
 * Test projects:
 *  - cpu / wasm: every test/**\/*.test.ts (except browser/ and no-union), once per backend;
 *    test/setup/backend.ts imports the union package + wasm backend and activates
 *    process.env.TFJS_BACKEND.
 *  - browser:   test/browser/*.test.ts (Node side on cpu, drives headless Chromium/webgl).
 *  - no-union:  test/no-union.test.ts with NO setup file (tfjs-core + tfjs-layers + cpu only).
 *
 * `npm test` prints the default report and writes JSON to .vitest-results.json.
 */
const common = ['test/**/*.test.ts'];
const notCommon = ['test/browser/**', 'test/no-union.test.ts', '**/node_modules/**'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Each test file runs in its own child process (fresh module graph).
    isolate: true,
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Compiles the recurrence engine's WebAssembly module when it is missing or stale.
    globalSetup: ['test/setup/engine_module.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'cpu',
          include: common,
          exclude: notCommon,
          setupFiles: ['test/setup/backend.ts'],
          env: { TFJS_BACKEND: 'cpu' },
        },
      },
      {
        extends: true,
        test: {
          name: 'wasm',
          include: common,
          // The packed-package test runs its consumers in child processes: once (cpu) is enough.
          exclude: [...notCommon, 'test/package/**'],
          setupFiles: ['test/setup/backend.ts'],
          env: { TFJS_BACKEND: 'wasm' },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          setupFiles: ['test/setup/backend.ts'],
          env: { TFJS_BACKEND: 'cpu' },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'no-union',
          include: ['test/no-union.test.ts'],
        },
      },
    ],
  },
});
