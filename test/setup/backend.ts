/**
 * Vitest setup file for the `cpu`, `wasm` and `browser` projects.
 *
 * Imports the union package `@tensorflow/tfjs` (registers chained ops, the
 * cpu and webgl backends) plus `@tensorflow/tfjs-backend-wasm`, then switches
 * to the backend named by `process.env.TFJS_BACKEND` (set per project in
 * vitest.config.ts). In Node the wasm backend's emscripten loader finds its
 * `.wasm` binaries next to `dist/tf-backend-wasm.node.js` (its `__dirname`),
 * so no `setWasmPaths` call is needed.
 *
 * It also waits for the library's recurrence engine (WebAssembly) to load, so that on cpu and
 * wasm every test runs recurrences on the engine from the first call (the engine tests switch
 * to the op path explicitly where they compare the two), and fails if it cannot load.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ready } from '../../src/engine/engine_loader';

const wanted = process.env.TFJS_BACKEND ?? 'cpu';
const ok = await tf.setBackend(wanted);
await tf.ready();
if (!ok || tf.getBackend() !== wanted) {
  throw new Error(
    `test/setup/backend.ts: could not activate tfjs backend '${wanted}' ` +
      `(setBackend returned ${ok}, active backend is '${tf.getBackend()}')`,
  );
}
// Silence the cpu backend's one-time "install tfjs-node" banner in test output.
const backend = tf.backend() as unknown as { firstUse?: boolean };
if (typeof backend.firstUse === 'boolean') backend.firstUse = false;

const engine = await ready();
if (engine.state !== 'ready') {
  throw new Error(`test/setup/backend.ts: the recurrence engine did not load: ${engine.reason ?? engine.state}`);
}
