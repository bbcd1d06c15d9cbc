import * as tf from '@tensorflow/tfjs-core';

/**
 * Splits a time-major `[time, batch, width]` tensor into its `time` steps, `[batch, width]`
 * each, for use inside the recurrence (where no gradient is recorded).
 *
 * Quirk `wasmSliceCopiesWholeInput` (see `tfjs_quirks.ts`): on wasm, T slices cost O(T²), so
 * the steps are cut from one read of the data (wasm memory is CPU memory: a copy, no stall).
 * Elsewhere slices are cheap and `tf.unstack` is used.
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
