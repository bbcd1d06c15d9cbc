import * as tf from '@tensorflow/tfjs-core';

/**
 * `tf.unstack(x)` that can be differentiated whichever outputs are used: one `tf.slice` and
 * reshape per entry of the leading axis. Quirk `unstackGradientThrows` (see `tfjs_quirks.ts`):
 * differentiating through tfjs 4.22's `tf.unstack` throws ("Argument tensors passed to stack
 * must be a `Tensor[]`") when the leading axis has length 1.
 */
export function leadingSlices(x: tf.Tensor): tf.Tensor[] {
  const [count, ...rest] = x.shape;
  return Array.from({ length: count }, (_, i) =>
    tf.reshape(tf.slice(x, [i, ...rest.map(() => 0)], [1, ...rest]), rest),
  );
}
