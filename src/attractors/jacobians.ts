import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentSystem } from './recurrent_system';

/** Rows of the batched vector-Jacobian product per chunk: bounds memory for large states. */
const ROWS_PER_CHUNK = 8192;

/**
 * The Jacobians `J = ∂F/∂h` of the one-step map at each of `points` (`[k, d]` row-major values),
 * as one `Float32Array` of `k · d · d` values, `J[p][i][j] = ∂F_i/∂h_j` at point p.
 *
 * Each point is repeated d times and one gradient of `Σ_rows F(rows) · e_i` is taken: row i of
 * the copy of point p gets `(∂F_i/∂h)(p)`, i.e. row i of J, so all rows of all Jacobians come
 * from one backward pass (batched vector-Jacobian products) per chunk. Reads asynchronously.
 */
export async function jacobians(
  system: RecurrentSystem,
  points: Float32Array,
  input: tf.Tensor2D,
): Promise<Float32Array> {
  const d = system.dimension;
  const k = points.length / d;
  const out = new Float32Array(k * d * d);
  const perChunk = Math.max(1, Math.floor(ROWS_PER_CHUNK / d));
  const gradient = tf.grad((h: tf.Tensor) => {
    const rows = h.shape[0] as number;
    const selectors = tf.tile(tf.eye(d), [rows / d, 1]);
    return tf.sum(tf.mul(system.advance(h as tf.Tensor2D, input, 1), selectors));
  });
  for (let first = 0; first < k; first += perChunk) {
    const count = Math.min(perChunk, k - first);
    const rows = tf.tidy(() => {
      const chunk = tf.tensor2d(points.subarray(first * d, (first + count) * d), [count, d]);
      const repeated = tf.reshape(tf.tile(tf.expandDims(chunk, 1), [1, d, 1]), [count * d, d]);
      return gradient(repeated);
    });
    out.set(await rows.data(), first * d * d);
    rows.dispose();
  }
  return out;
}
