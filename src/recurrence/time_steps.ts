import * as tf from '@tensorflow/tfjs-core';

/**
 * Splits a time-major `[time, batch, width]` tensor into its `time` steps, `[batch, width]`
 * each, for use inside the recurrence (where no gradient is recorded).
 *
 * Why not `tf.unstack` everywhere: in tfjs 4.22 the wasm backend's `Slice` kernel (used by
 * `Unpack` and `SplitV`) first copies the *whole* input out of the wasm heap, so T slices cost
 * O(T²) — over a second for 100 steps of a 32×768 projection — and its `GatherV2` takes
 * ~2.6 ms per step. On wasm the data are already in (synchronous) CPU memory, so one read and
 * T small tensor creations are by far the cheapest. Elsewhere slices are cheap (views on cpu,
 * shallow slices on webgl, no GPU read-back) and `tf.unstack` is used.
 */
export function splitTimeSteps(x: tf.Tensor): tf.Tensor2D[] {
  if (tf.getBackend() !== 'wasm') return tf.unstack(x) as tf.Tensor2D[];
  const [time, batch, width] = x.shape as [number, number, number];
  const data = x.dataSync() as Float32Array;
  const size = batch * width;
  return Array.from({ length: time }, (_, t) =>
    tf.tensor2d(data.subarray(t * size, (t + 1) * size), [batch, width], 'float32'),
  );
}

/**
 * Splits `[rows, Σ sizes]` into column blocks: one `tf.split` kernel, except on wasm, where
 * tfjs 4.22's `SplitV` costs ~1.7 ms for four blocks of a 32×1024 matrix against ~40 µs per
 * `tf.slice`.
 */
export function splitColumns(x: tf.Tensor2D, sizes: number[]): tf.Tensor2D[] {
  if (tf.getBackend() !== 'wasm') return tf.split(x, sizes, 1) as tf.Tensor2D[];
  const rows = x.shape[0];
  let begin = 0;
  return sizes.map((size) => {
    const block = tf.slice(x, [0, begin], [rows, size]) as tf.Tensor2D;
    begin += size;
    return block;
  });
}
