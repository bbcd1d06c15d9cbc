import * as tf from '@tensorflow/tfjs-core';

/**
 * `aᵀ·b`, with the transpose done explicitly. In tfjs 4.22 the wasm backend's `BatchMatMul`
 * with a transpose flag is 10–20× slower than a plain product (measured: 32×256 by 768×256ᵀ
 * in ~20 ms against ~1.5 ms untransposed), while a transpose is one cheap copy.
 */
export function transposedTimes(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.transpose(a), b);
}

/** `mᵀ`, computed once per sequence so each backward step can use a plain product. */
export function transposed(m: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(m);
}
