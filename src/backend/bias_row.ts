import * as tf from '@tensorflow/tfjs-core';

/**
 * Row `row` of a `[2, n]` bias, as a `[n]` vector. Quirk `wasmFusedMatMulBiasRank` (see
 * `tfjs_quirks.ts`): summing the one-row slice, rather than reshaping it, gives a tensor with
 * its own rank-1 data; tfjs 4.22's wasm `_FusedMatMul` reads the bias rank from the underlying
 * data, so a reshaped `[1, n]` slice is rejected as rank 2.
 */
export function biasRow(bias: tf.Tensor, row: number): tf.Tensor1D {
  const n = bias.shape[1] as number;
  return tf.sum(tf.slice(bias, [row, 0], [1, n]), 0) as tf.Tensor1D;
}
