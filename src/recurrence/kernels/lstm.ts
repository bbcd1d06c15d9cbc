import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentActivation } from '../activation';
import type { RecurrenceKernel, StepBackward, StepForward } from '../recurrence_kernel';
import { splitColumns } from '../time_steps';
import { transposed, transposedTimes } from '../transposed_products';

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
): RecurrenceKernel<Prepared> {
  return {
    name: 'LSTM',
    units,
    stateCount: 2,
    projectionWidth: 4 * units,
    savedCount: 4,
    partCount: 1,
    prepare: ([recurrentKernel]) => ({
      recurrentKernel: recurrentKernel as tf.Tensor2D,
      recurrentKernelT: transposed(recurrentKernel as tf.Tensor2D),
    }),
    step(projection, [h, c], p): StepForward {
      const pre = tf.add(projection, tf.matMul(h, p.recurrentKernel));
      const [preIf, preG, preO] = splitColumns(pre as tf.Tensor2D, [2 * units, units, units]);
      const inputForget = recurrentActivation.apply(preIf) as tf.Tensor2D;
      const [i, f] = splitColumns(inputForget as tf.Tensor2D, [units, units]);
      const g = activation.apply(preG) as tf.Tensor2D;
      const o = recurrentActivation.apply(preO) as tf.Tensor2D;
      const nextC = tf.add(tf.mul(f, c), tf.mul(i, g)) as tf.Tensor2D;
      const activatedC = activation.apply(nextC) as tf.Tensor2D;
      const nextH = tf.mul(o, activatedC) as tf.Tensor2D;
      return { states: [nextH, nextC], saved: [inputForget, g, o, activatedC] };
    },
    stepBackward([dH, dC], [, c], [inputForget, g, o, activatedC], p): StepBackward {
      const [i, f] = splitColumns(inputForget as tf.Tensor2D, [units, units]);
      const dO = tf.mul(dH, activatedC);
      const dCTotal = tf.add(dC, activation.backward(tf.mul(dH, o), activatedC));
      const dI = tf.mul(dCTotal, g);
      const dF = tf.mul(dCTotal, c);
      const dG = tf.mul(dCTotal, i);
      const dPre = tf.concat(
        [
          recurrentActivation.backward(tf.concat([dI, dF], 1), inputForget),
          activation.backward(dG, g),
          recurrentActivation.backward(dO, o),
        ],
        1,
      ) as tf.Tensor2D;
      return {
        dProjection: dPre,
        dPreviousStates: [
          tf.matMul(dPre, p.recurrentKernelT) as tf.Tensor2D,
          tf.mul(dCTotal, f) as tf.Tensor2D,
        ],
        parts: [dPre],
      };
    },
    parameterGradients([previousH], _saved, [dPre]) {
      return [transposedTimes(previousH, dPre)];
    },
  };
}
