import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';

/**
 * Names of the activations our cells accept for `activation` and `recurrentActivation`.
 * They are the tfjs-layers identifiers whose derivative can be written from the output alone,
 * which is what the hand-written backward pass through time needs (it keeps outputs, not
 * pre-activations).
 */
export type RecurrentActivationName = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'linear' | 'softsign';

/** An elementwise activation with its derivative expressed through its output `y = f(x)`. */
export interface RecurrentActivation {
  readonly name: RecurrentActivationName;
  apply(x: tf.Tensor): tf.Tensor;
  /** `f'(x)` computed from `y = f(x)`. */
  derivativeFromOutput(y: tf.Tensor): tf.Tensor;
  /** `dy ⊙ f'(x)` computed from `y = f(x)`; one fused expression where the backend allows. */
  backward(dy: tf.Tensor, y: tf.Tensor): tf.Tensor;
}

function make(
  name: RecurrentActivationName,
  apply: (x: tf.Tensor) => tf.Tensor,
  derivativeFromOutput: (y: tf.Tensor) => tf.Tensor,
  backward?: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor,
): RecurrentActivation {
  return {
    name,
    apply,
    derivativeFromOutput,
    backward: backward ?? ((dy, y) => tf.mul(dy, derivativeFromOutput(y))),
  };
}

const ACTIVATIONS: Record<RecurrentActivationName, RecurrentActivation> = {
  // d tanh = 1 − y²
  tanh: make(
    'tanh',
    (x) => tf.tanh(x),
    (y) => tf.sub(1, tf.square(y)),
  ),
  // d σ = y (1 − y)
  sigmoid: make(
    'sigmoid',
    (x) => tf.sigmoid(x),
    (y) => tf.mul(y, tf.sub(1, y)),
  ),
  // tfjs-layers' hardSigmoid: clip(0.2 x + 0.5, 0, 1); slope 0.2 strictly inside (0, 1).
  hardSigmoid: make(
    'hardSigmoid',
    (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1),
    (y) => tf.mul(tf.cast(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 1)), 'float32'), 0.2),
  ),
  relu: make(
    'relu',
    (x) => tf.relu(x),
    (y) => tf.cast(tf.greater(y, 0), 'float32'),
  ),
  linear: make(
    'linear',
    (x) => x,
    (y) => tf.onesLike(y),
    (dy) => dy,
  ),
  // softsign y = x / (1 + |x|), so 1 + |x| = 1 / (1 − |y|) and f' = (1 − |y|)².
  softsign: make(
    'softsign',
    (x) => tf.div(x, tf.add(1, tf.abs(x))),
    (y) => tf.square(tf.sub(1, tf.abs(y))),
  ),
};

/** The supported activation names, for validation messages and docs. */
export const RECURRENT_ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as RecurrentActivationName[];

/**
 * Looks up an activation by its tfjs-layers identifier.
 * @throws InvalidArgumentError for any other name, listing the supported ones.
 */
export function getRecurrentActivation(name: unknown, option: string): RecurrentActivation {
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(ACTIVATIONS, name)) {
    return ACTIVATIONS[name as RecurrentActivationName];
  }
  throw new InvalidArgumentError(
    `${option} must be one of ${RECURRENT_ACTIVATION_NAMES.map((n) => `'${n}'`).join(', ')}, ` +
      `but got ${JSON.stringify(name)}. (The fused backward pass needs an activation whose ` +
      `derivative follows from its output.)`,
  );
}
