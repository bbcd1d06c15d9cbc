/**
 * Pairwise Euclidean distances between the rows of an `[n, d]` tensor, computed from direct
 * differences. Internal to the multistability measures (not exported from the package).
 *
 * Why direct differences: the Gram-matrix shortcut `‖a‖² + ‖b‖² − 2a·b` loses about 1e-3 of
 * absolute accuracy in float32 for unit-scale states once the square root is taken, ten times
 * the default ε = 1e-4, so identical states would look distinct. Subtracting first keeps the
 * error at the float32 rounding of the coordinates themselves (~6e-8 for values in [−1, 1]).
 * The `[n, n, d]` intermediate is small for warmup batches (32 × 32 × units).
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';

/** `[n, d]` → `[n, n, d]` with entry `(i, j)` equal to `x_j − x_i`. */
function pairwiseDifferences(x: tf.Tensor2D): tf.Tensor3D {
  return tf.sub(tf.expandDims(x, 0), tf.expandDims(x, 1)) as tf.Tensor3D;
}

/**
 * Euclidean norm over the last axis, `[n, n, d]` → `[n, n]`, with the gradient at a zero
 * vector defined as 0.
 *
 * The gradient of ‖v‖ is v/‖v‖, undefined (0/0 → NaN) at v = 0, which is every diagonal entry
 * and every pair of duplicate states. 0 is a valid subgradient there (‖·‖ is minimal at 0),
 * and it is the limit the caller needs: VAA* does not depend on distances below ε at all.
 * A custom gradient is used instead of the common `sqrt(‖v‖² + c)` trick because it leaves
 * every distance value exactly as computed (no constant shifts small distances, whatever ε
 * the user picks) and it cannot underflow to 0/0 on backends that compute in reduced
 * precision.
 */
const normOfLastAxis = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const v = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const norm = tf.sqrt(tf.sum(tf.square(v), -1));
  save([v, norm]);
  return {
    value: norm,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [vSaved, normSaved] = saved as [tf.Tensor, tf.Tensor];
      const positive = tf.greater(normSaved, 0);
      // Safe denominator: the unselected branch of `where` never divides by zero either.
      const safeNorm = tf.where(positive, normSaved, tf.onesLike(normSaved));
      const scale = tf.where(positive, tf.div(dy, safeNorm), tf.zerosLike(dy));
      return tf.mul(tf.expandDims(scale, -1), vSaved);
    },
  };
});

/**
 * Distances `d_ij = ‖x_j − x_i‖₂` of the rows of `x` (`[n, d]` → `[n, n]`), differentiable
 * with a finite gradient everywhere: at `d_ij = 0` (the diagonal, duplicate rows) the
 * gradient of the norm is taken as 0, see {@link normOfLastAxis}.
 */
export function pairwiseDistances(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => normOfLastAxis(pairwiseDifferences(x)) as tf.Tensor2D);
}
