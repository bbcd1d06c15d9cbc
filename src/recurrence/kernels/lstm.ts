import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentActivation } from '../activation';
import type { StepEquations, StepBackward, StepForward } from '../step_equations';
import { splitColumns, transposed, transposedTimes } from '../../backend/tfjs_quirks';

interface Prepared {
  recurrentKernel: tf.Tensor2D;
  recurrentKernelT: tf.Tensor2D;
}

/**
 * LSTM (TensorFlow.js / Keras gate order i, f, c, o):
 *
 *     [z_i, z_f, z_c, z_o] = x·W + b + h·U
 *     i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *     c' = f ⊙ c + i ⊙ g
 *     h' = o ⊙ tanh(c')
 *
 * States `[h, c]`; parameters `[U]` (the bias is part of the hoisted input projection).
 */
export function lstmKernel(
  units: number,
  activation: RecurrentActivation,
  recurrentActivation: RecurrentActivation,
): StepEquations<Prepared> {
  return {
    name: 'LSTM',
    units,
    stateCount: 2,
    projectionWidth: 4 * units,
    savedCount: 5,
    partCount: 1,
    engineCell: { kind: 'lstm', activation: activation.name, recurrentActivation: recurrentActivation.name },
    prepare: ([recurrentKernel]) => ({
      recurrentKernel: recurrentKernel as tf.Tensor2D,
      recurrentKernelT: transposed(recurrentKernel as tf.Tensor2D),
    }),
    step(projection, [h, c], p, context): StepForward {
      const pre = tf.add(projection, tf.matMul(h, p.recurrentKernel)) as tf.Tensor2D;
      // One split per step, and every gate saved for the backward step, which then needs no
      // column slicing at all: strided column copies are the slowest ops on the cpu backend
      // (~4 ms for one split of a 32×128 matrix), and one per step is what tf.layers.lstm pays.
      const [preI, preF, preG, preO] = splitColumns(pre, [units, units, units, units], context);
      const i = recurrentActivation.apply(preI) as tf.Tensor2D;
      const f = recurrentActivation.apply(preF) as tf.Tensor2D;
      const g = activation.apply(preG) as tf.Tensor2D;
      const o = recurrentActivation.apply(preO) as tf.Tensor2D;
      const nextC = tf.add(tf.mul(f, c), tf.mul(i, g)) as tf.Tensor2D;
      const activatedC = activation.apply(nextC) as tf.Tensor2D;
      const nextH = tf.mul(o, activatedC) as tf.Tensor2D;
      return { states: [nextH, nextC], saved: [i, f, g, o, activatedC] };
    },
    stepBackward([dH, dC], [, c], [i, f, g, o, activatedC], p): StepBackward {
      const dCTotal = tf.add(dC, activation.backward(tf.mul(dH, o), activatedC));
      const dPre = tf.concat(
        [
          recurrentActivation.backward(tf.mul(dCTotal, g), i),
          recurrentActivation.backward(tf.mul(dCTotal, c), f),
          activation.backward(tf.mul(dCTotal, i), g),
          recurrentActivation.backward(tf.mul(dH, activatedC), o),
        ],
        1,
      ) as tf.Tensor2D;
      return {
        dProjection: dPre,
        dPreviousStates: [tf.matMul(dPre, p.recurrentKernelT) as tf.Tensor2D, tf.mul(dCTotal, f) as tf.Tensor2D],
        parts: [dPre],
      };
    },
    parameterGradients([previousH], _saved, [dPre]) {
      return [transposedTimes(previousH, dPre)];
    },
  };
}
