import * as tf from '@tensorflow/tfjs-core';

/**
 * For each sample i of `[batch, time, size]` sequences, the entry at time `steps[i]`
 * (0-based), `[batch, size]` per sequence; differentiable on every backend. Quirk
 * `wasmGatherGradientMissing` (see `tfjs_quirks.ts`): a one-hot mask multiplied and summed over
 * time, rather than `tf.gather`, whose gradient (`UnsortedSegmentSum`) has no wasm kernel in
 * tfjs 4.22.
 */
export function pickTimeSteps(sequences: tf.Tensor3D[], steps: number[]): tf.Tensor2D[] {
  if (sequences.length === 0) return [];
  const time = sequences[0].shape[1];
  // tf.oneHot refuses a depth below 2; with one step, it is the only one to pick.
  if (time === 1) return tf.tidy(() => sequences.map((s) => tf.reshape(s, [s.shape[0], s.shape[2]]) as tf.Tensor2D));
  return tf.tidy(() => {
    const selector = tf.expandDims(tf.oneHot(tf.tensor1d(steps, 'int32'), time), 2);
    return sequences.map((s) => tf.sum(tf.mul(s, selector), 1) as tf.Tensor2D);
  });
}
