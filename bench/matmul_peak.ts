/**
 * The backend's own speed limit for the engine's GFLOP/s comparison: the GFLOP/s of a large
 * square `tf.matMul` on the active backend, in the same process (median of a few runs, each
 * ending with a read of the result). n = 1024 on wasm (≈ 0.1 s); the pure-JS cpu backend gets
 * n = 384 so the measurement stays under a second.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchBackend } from './backend';
import { median } from './timing';

export interface MatMulPeak {
  n: number;
  ms: number[];
  gflops: number;
}

export async function measureMatMulPeak(backend: BenchBackend, runs = 3): Promise<MatMulPeak> {
  const n = backend === 'wasm' ? 1024 : 384;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const once = async (): Promise<number> => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    return performance.now() - start;
  };
  await once(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(await once());
  tf.dispose([a, b]);
  return { n, ms, gflops: (2 * n ** 3) / median(ms) / 1e6 };
}

/** Two measurements (start and end of a backend's cases) merged: median of all runs. */
export function mergePeaks(p: MatMulPeak, q: MatMulPeak): MatMulPeak {
  const ms = [...p.ms, ...q.ms];
  return { n: p.n, ms, gflops: (2 * p.n ** 3) / median(ms) / 1e6 };
}
