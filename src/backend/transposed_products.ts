import * as tf from '@tensorflow/tfjs-core';

/**
 * `aᵀ·b`, with the transpose done explicitly. Quirk `wasmTransposedMatMulSlow` (see
 * `tfjs_quirks.ts`): the wasm backend's `BatchMatMul` with a transpose flag is many times
 * slower than a plain product, while a transpose is one cheap copy.
 */
export function transposedTimes(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.transpose(a), b);
}

/** `mᵀ`, computed once per sequence so each backward step can use a plain product. */
export function transposed(m: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(m);
}
