import * as tf from '@tensorflow/tfjs-core';

/**
 * Splits a time-major `[time, batch, width]` tensor into its `time` steps, `[batch, width]`
 * each, for use inside the recurrence (where no gradient is recorded).
 *
 * Why not `tf.unstack`: in tfjs 4.22 the wasm backend's `Slice` kernel (which `Unpack` and
 * `SplitV` use) first copies the *whole* input out of the wasm heap, so taking T slices costs
 * O(T²) — over a second for 100 steps of a 32×768 projection. Its `GatherV2` kernel reads only
 * the rows it needs, so on wasm each step is gathered instead. Elsewhere slices are cheap
 * (views on cpu, shallow slices on webgl) and `tf.unstack` is used.
 */
export function splitTimeSteps(x: tf.Tensor): tf.Tensor2D[] {
  if (tf.getBackend() !== 'wasm') return tf.unstack(x) as tf.Tensor2D[];
  const time = x.shape[0];
  const steps: tf.Tensor2D[] = [];
  for (let t = 0; t < time; t++) {
    steps.push(tf.tidy(() => tf.gather(x, tf.scalar(t, 'int32')) as tf.Tensor2D));
  }
  return steps;
}
