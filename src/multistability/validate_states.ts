/**
 * Argument checks shared by {@link vaa} and {@link vaaStar}. Internal (not exported from the
 * package). Every check here reads only shapes, dtypes and plain numbers: no tensor data, so
 * none of them forces a device synchronisation.
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '../errors';
import { describeValue } from '../utils/validate_options';

/** Default radius ε of the ε-balls of VAA and VAA* (Lambrechts et al. 2023). */
export const DEFAULT_VAA_EPSILON = 1e-4;

/**
 * Checks that `states` is a tensor of shape `[n, d]` with `n ≥ 1`, `d ≥ 1` and a numeric
 * dtype, and that `epsilon` is a positive finite number.
 *
 * @param fn Name of the public function, used in error messages.
 * @throws {ShapeError} `states` is not rank 2, or has no row or no column.
 * @throws {InvalidArgumentError} `states` is not a tensor or is a string/complex tensor, or
 *   `epsilon` is not a positive finite number.
 */
export function validateStatesAndEpsilon(fn: string, states: unknown, epsilon: unknown): void {
  if (!(states instanceof tf.Tensor)) {
    throw new InvalidArgumentError(
      `${fn}: states must be a tf.Tensor of shape [n, d], received ${describeValue(states)}.`,
    );
  }
  if (states.rank !== 2) {
    throw new ShapeError(
      `${fn}: states must have rank 2 (shape [n, d]: one row per trajectory), ` +
        `received rank ${states.rank} (shape [${states.shape.join(', ')}]).`,
    );
  }
  const [n, d] = states.shape as [number, number];
  if (n < 1) {
    throw new ShapeError(`${fn}: states must hold at least one row (n ≥ 1), received shape [${n}, ${d}].`);
  }
  if (d < 1) {
    throw new ShapeError(`${fn}: states must have at least one feature per row (d ≥ 1), received shape [${n}, ${d}].`);
  }
  if (states.dtype === 'string' || states.dtype === 'complex64') {
    throw new InvalidArgumentError(
      `${fn}: states must be a real numeric tensor (float32), received dtype '${states.dtype}'.`,
    );
  }
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
    throw new InvalidArgumentError(
      `${fn}: epsilon must be a positive finite number (default ${DEFAULT_VAA_EPSILON}), ` +
        `received ${describeValue(epsilon)}.`,
    );
  }
}

/** `states` as float32 (a new tensor only when a cast is needed; call inside `tf.tidy`). */
export function asFloat32(states: tf.Tensor2D): tf.Tensor2D {
  return states.dtype === 'float32' ? states : tf.cast(states, 'float32');
}
