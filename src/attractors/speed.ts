import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentSystem } from './recurrent_system';

/**
 * The kinetic-energy-like speed of Sussillo & Barak (2013), per state:
 *
 *     q(h) = ½ ‖F(h, u) − h‖²
 *
 * `states` `[n, dimension]`, `input` `[1, inputSize]`; returns `[n]`. Differentiable in `states`.
 */
export function speed(system: RecurrentSystem, states: tf.Tensor2D, input: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(
    () => tf.mul(0.5, tf.sum(tf.square(tf.sub(system.advance(states, input, 1), states)), 1)) as tf.Tensor1D,
  );
}
