import * as tf from '@tensorflow/tfjs';
import { brc, gru } from '../../src/index';

/**
 * A 1-unit BRC with constant gates, c = σ(0) = ½ and a = 1 + tanh(b_a) = ln 3, so that under a
 * zero input h' = ½h + ½tanh(a·h): fixed points where h = tanh(a·h), i.e. h = 0 and, because
 * atanh(½)/½ = ln 3, exactly h = ±½. F'(h) = ½ + ½·a·(1 − tanh²(a·h)): at 0, ½ + ½ ln 3 ≈ 1.049
 * (unstable); at ±½, ½ + ⅜ ln 3 ≈ 0.912 (stable). `shift` adds b_h (a tilt of the landscape).
 */
export function bistableCell(shift = 0): tf.layers.Layer {
  const layer = brc({ units: 1, returnSequences: true });
  layer.build([null, null, 1]);
  layer.setWeights([tf.zeros([1, 3]), tf.zeros([2]), tf.tensor1d([0, Math.atanh(Math.log(3) - 1), shift])]);
  return layer;
}

export const BISTABLE = {
  stable: 0.5,
  stableEigenvalue: 0.5 + 0.375 * Math.log(3),
  unstableEigenvalue: 0.5 + 0.5 * Math.log(3),
};

/**
 * A GRU whose recurrent kernel is zero: z = σ(b_z), ĥ = tanh(b_h) are constants under a zero
 * input, so h' = z·h + (1 − z)·tanh(b_h): one fixed point h* = tanh(b_h), Jacobian z·I.
 */
export function monostableGru(bz: number[], bh: number[]): tf.layers.Layer {
  const units = bz.length;
  const layer = gru({ units, returnSequences: true });
  layer.build([null, null, 2]);
  const bias = tf.tensor2d([[...bz, ...bz.map(() => 0), ...bh], new Array(3 * units).fill(0)]);
  layer.setWeights([tf.zeros([2, 3 * units]), tf.zeros([units, 3 * units]), bias]);
  return layer;
}

/** Row-vector linear recurrence h' = b + h·U as tf.layers.simpleRNN (linear activation). */
export function linearRnn(u: number[][], b: number[]): tf.layers.Layer {
  const units = b.length;
  const layer = tf.layers.simpleRNN({ units, activation: 'linear', returnSequences: true });
  tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [null, 1] }), layer] });
  layer.setWeights([tf.zeros([1, units]), tf.tensor2d(u), tf.tensor1d(b)]);
  return layer;
}
