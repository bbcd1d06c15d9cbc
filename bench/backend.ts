/**
 * Backend selection for the benchmarks: loads the tfjs union package (cpu, webgl) and the wasm
 * backend, activates one by name, and reports what the machine offers (wasm SIMD / threads).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type BenchBackend = 'wasm' | 'cpu';

export async function useBackend(name: BenchBackend): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`bench: could not activate tfjs backend '${name}' (active: '${tf.getBackend()}').`);
  }
  // Silence the cpu backend's one-time "install tfjs-node" banner.
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof backend.firstUse === 'boolean') backend.firstUse = false;
}

/** What the active backend runs with, for the report. */
export async function backendDetails(name: BenchBackend): Promise<string> {
  if (name === 'cpu') return 'pure JavaScript kernels (tfjs-backend-cpu), single thread';
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const wasm = (tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }).wasm;
  const count = wasm?.tfjs?.getThreadsCount?.();
  return (
    `WASM_HAS_SIMD_SUPPORT=${simd}, WASM_HAS_MULTITHREAD_SUPPORT=${threads}` +
    (count != null ? `, threads in use: ${count}` : '')
  );
}
