/**
 * Vitest setup file for the `cpu`, `wasm` and `browser` projects.
 *
 * Imports the union package `@tensorflow/tfjs` (registers chained ops, the
 * cpu and webgl backends) plus `@tensorflow/tfjs-backend-wasm`, then switches
 * to the backend named by `process.env.TFJS_BACKEND` (set per project in
 * vitest.config.ts). In Node the wasm backend's emscripten loader finds its
 * `.wasm` binaries next to `dist/tf-backend-wasm.node.js` (its `__dirname`),
 * so no `setWasmPaths` call is needed.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

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
