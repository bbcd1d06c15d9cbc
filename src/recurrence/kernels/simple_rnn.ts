import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentActivation } from '../activation';
import type { StepEquations, StepBackward, StepForward } from '../step_equations';
import { transposed, transposedTimes } from '../../backend/tfjs_quirks';

interface Prepared {
  recurrentKernel: tf.Tensor2D;
  recurrentKernelT: tf.Tensor2D;
}

/**
 * Simple (Elman) recurrent cell, as TensorFlow.js's built-in `simpleRNN`:
 *
 *     h' = f(x·W + b + h·U)              (x·W + b hoisted out of the loop)
 *
 * States `[h]`; parameters `[U]` (`[units, units]`; the bias is part of the input
 * projection). The step saves its output `h'`, from which the backward step recovers
 * `f'` (see {@link RecurrentActivation.derivativeFromOutput}).
 */
export function simpleRnnKernel(units: number, activation: RecurrentActivation): StepEquations<Prepared> {
  return {
    name: 'SimpleRNN',
    units,
    stateCount: 1,
    projectionWidth: units,
    savedCount: 1,
    partCount: 1,
    engineCell: { kind: 'simpleRnn', activation: activation.name },
    prepare: ([recurrentKernel]) => ({
      recurrentKernel: recurrentKernel as tf.Tensor2D,
      recurrentKernelT: transposed(recurrentKernel as tf.Tensor2D),
    }),
    step(projection, [h], p): StepForward {
      const next = activation.apply(tf.add(projection, tf.matMul(h, p.recurrentKernel))) as tf.Tensor2D;
      return { states: [next], saved: [next] };
    },
    stepBackward([dNext], _previous, [next], p): StepBackward {
      const dPre = activation.backward(dNext, next) as tf.Tensor2D;
      return {
        dProjection: dPre,
        dPreviousStates: [tf.matMul(dPre, p.recurrentKernelT) as tf.Tensor2D],
        parts: [dPre],
      };
    },
    parameterGradients([previousH], _saved, [dPre]) {
      return [transposedTimes(previousH, dPre)];
    },
  };
}
