/**
 * VAA*, the differentiable surrogate of VAA maximised by warmup (see the
 * [method guide](../../docs/method.md#vaa-star)).
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
import { pairwiseDistances } from './pairwise_distances';
import { DEFAULT_VAA_EPSILON, asFloat32, validateStatesAndEpsilon } from './validate_states';

/** δ of VAA*: keeps `(d + δ)` away from zero (Lambrechts et al. 2023). */
export const VAA_STAR_DELTA = 1e-6;

/**
 * VAA*: the differentiable surrogate of {@link vaa}, the quantity warmup drives towards its
 * target. States are first squashed, `s̃_i = tanh(s_i)`; then with `d_ij = ‖s̃_j − s̃_i‖₂`,
 * `δ = 1e-6`:
 *
 *     C_ij = 1 − relu(d_ij − ε) / (d_ij + δ)     (1 inside the ε-ball, ≈ ε/d outside)
 *     VAA* = (1/n) · Σ_i 1 / Σ_j C_ij
 *
 * `VAA* = 1/n` when all states are identical and tends to 1 as they move far apart (each
 * distant pair still contributes ≈ ε/d to the row sums, so the value stays slightly below 1).
 *
 * Numerics. `C_ij` is evaluated as the algebraically identical
 * `(ε + δ) / (max(d_ij, ε) + δ)`: the form above computes the small values ≈ ε/d of distant
 * pairs as a difference of two numbers close to 1, losing three to four of float32's seven
 * digits, while this form is accurate to rounding, is exactly 1 inside the ε-ball and has an
 * exactly zero derivative there. The gradient of the distance at `d_ij = 0` (the diagonal,
 * duplicate states) is taken as 0 (a subgradient of ‖·‖), so gradients are finite everywhere;
 * distances come from direct differences, never the Gram-matrix shortcut.
 *
 * Non-finite states. No data is read (no device synchronisation): this runs inside warmup's
 * loss at every step, where a synchronous read per step would be costly, and warmup checks the
 * loss it reads anyway. Instead, the result is guaranteed to be NaN when `states` contains NaN
 * or ±Infinity, so the failure cannot be hidden (tanh would otherwise map ±Infinity to a finite
 * value). Call {@link vaa} or check the data yourself if you need an error instead.
 *
 * Introduced by Lambrechts, De Geeter, Vecoven, Ernst and Drion, "Warming up recurrent neural
 * networks to maximise reachable multistability greatly improves learning", Neural Networks
 * 2023 (arXiv 2106.01001).
 *
 * Cost: O(n²·d) time and memory (an `[n, n, d]` tensor of differences, kept for the backward
 * pass); n is the warmup batch size (32 by default).
 *
 * @param states Final states, shape `[n, d]`, one row per trajectory (for LSTM, h and c
 *   concatenated). Any real dtype; computed in float32. Not disposed.
 * @param epsilon Radius ε of the ε-balls. Default `1e-4`. Must be a positive finite number.
 * @returns A scalar tensor in `(0, 1]`, differentiable with respect to `states` (use it inside
 *   `tf.grad`, `optimizer.minimize`, …); the caller owns and disposes it.
 * @throws {ShapeError} `states` is not of rank 2, or has no row or no column.
 * @throws {InvalidArgumentError} `epsilon` is not a positive finite number, or `states` is not
 *   a real numeric tensor.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { vaaStar } from 'tfjs-warmup-rnn';
 *
 * const states = tf.variable(tf.randomNormal([32, 16], 0, 0.01));
 * const optimizer = tf.train.adam(1e-2);
 * // One warmup-like step: push VAA* towards 0.95.
 * optimizer.minimize(() => tf.square(tf.sub(vaaStar(states), 0.95)) as tf.Scalar);
 * const value = vaaStar(states);
 * console.log(value.dataSync()[0]);
 * value.dispose();
 * ```
 */
export function vaaStar(states: tf.Tensor2D, epsilon: number = DEFAULT_VAA_EPSILON): tf.Scalar {
  validateStatesAndEpsilon('vaaStar', states, epsilon);
  return tf.tidy(() => {
    const x = asFloat32(states);
    const distances = pairwiseDistances(tf.tanh(x));
    const eps = tf.scalar(epsilon);
    // Numerator and denominator are the same float32 sum inside the ball, so C_ij is exactly 1.
    const closeness = tf.div(tf.add(eps, VAA_STAR_DELTA), tf.add(tf.maximum(distances, eps), VAA_STAR_DELTA));
    const value = tf.mean(tf.div(1, tf.sum(closeness, 1)));
    // x − x is 0 for finite entries and NaN for NaN/±Infinity: propagates non-finite states to
    // the result with a zero gradient.
    const nonFiniteGuard = tf.sum(tf.sub(x, x));
    return tf.add(value, nonFiniteGuard) as tf.Scalar;
  });
}
