import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentActivation } from '../activation';
import type { StepEquations, StepBackward, StepForward } from '../step_equations';
import { splitColumns, transposed, transposedTimes } from '../../backend/tfjs_quirks';

interface Prepared {
  /** The z and r blocks of U, `[units, 2·units]`. */
  gateKernel: tf.Tensor2D;
  /** The h block of U, `[units, units]`. */
  candidateKernel: tf.Tensor2D;
  gateKernelT: tf.Tensor2D;
  candidateKernelT: tf.Tensor2D;
}

/**
 * GRU with the reset gate applied before the recurrent product (TensorFlow.js's built-in,
 * legacy Keras):
 *
 *     [x_z, x_r, x_h] = x·W + b          (hoisted out of the loop)
 *     z = σ(x_z + h·U_z),  r = σ(x_r + h·U_r)
 *     ĥ = tanh(x_h + (r ⊙ h)·U_h)
 *     h' = z ⊙ h + (1 − z) ⊙ ĥ
 *
 * Parameters: `[U]` with `U = [U_z | U_r | U_h]`.
 */
export function gruResetBeforeKernel(
  units: number,
  activation: RecurrentActivation,
  recurrentActivation: RecurrentActivation,
): StepEquations<Prepared> {
  return {
    name: 'GRU (reset before)',
    units,
    stateCount: 1,
    projectionWidth: 3 * units,
    savedCount: 3,
    partCount: 2,
    engineCell: { kind: 'gruResetBefore', activation: activation.name, recurrentActivation: recurrentActivation.name },
    prepare: ([recurrentKernel], context) => {
      const [gateKernel, candidateKernel] = splitColumns(recurrentKernel as tf.Tensor2D, [2 * units, units], context);
      return {
        gateKernel: gateKernel as tf.Tensor2D,
        candidateKernel: candidateKernel as tf.Tensor2D,
        gateKernelT: transposed(gateKernel as tf.Tensor2D),
        candidateKernelT: transposed(candidateKernel as tf.Tensor2D),
      };
    },
    step(projection, [h], p, context): StepForward {
      const [xZr, xH] = splitColumns(projection as tf.Tensor2D, [2 * units, units], context);
      const zr = recurrentActivation.apply(tf.add(xZr, tf.matMul(h, p.gateKernel))) as tf.Tensor2D;
      const [z, r] = splitColumns(zr as tf.Tensor2D, [units, units], context);
      const resetState = tf.mul(r, h) as tf.Tensor2D;
      const candidate = activation.apply(tf.add(xH, tf.matMul(resetState, p.candidateKernel))) as tf.Tensor2D;
      const next = tf.add(candidate, tf.mul(z, tf.sub(h, candidate))) as tf.Tensor2D;
      return { states: [next], saved: [zr, candidate, resetState] };
    },
    stepBackward([dNext], [h], [zr, candidate], p, context): StepBackward {
      const [z, r] = splitColumns(zr as tf.Tensor2D, [units, units], context);
      const dCandidatePre = activation.backward(tf.mul(dNext, tf.sub(1, z)), candidate) as tf.Tensor2D;
      const dResetState = tf.matMul(dCandidatePre, p.candidateKernelT);
      const dZ = tf.mul(dNext, tf.sub(h, candidate));
      const dR = tf.mul(dResetState, h);
      const dZrPre = recurrentActivation.backward(tf.concat([dZ, dR], 1), zr) as tf.Tensor2D;
      const dPrevious = tf.addN([
        tf.mul(dNext, z),
        tf.mul(dResetState, r),
        tf.matMul(dZrPre, p.gateKernelT),
      ]) as tf.Tensor2D;
      return {
        dProjection: tf.concat([dZrPre, dCandidatePre], 1) as tf.Tensor2D,
        dPreviousStates: [dPrevious],
        parts: [dZrPre, dCandidatePre],
      };
    },
    parameterGradients([previous], [, , resetState], [dZrPre, dCandidatePre]) {
      return [tf.concat([transposedTimes(previous, dZrPre), transposedTimes(resetState, dCandidatePre)], 1)];
    },
  };
}
