import * as tf from '@tensorflow/tfjs-core';
import type { RecurrentActivation } from '../activation';
import type { StepEquations, StepBackward, StepForward } from '../step_equations';
import { splitColumns, transposed, transposedTimes } from '../../backend/tfjs_quirks';

interface Prepared {
  recurrentKernel: tf.Tensor2D;
  recurrentBias: tf.Tensor1D | null;
  recurrentKernelT: tf.Tensor2D;
}

/**
 * GRU with the reset gate applied after the recurrent product (PyTorch, cuDNN, Keras ≥ 2.3):
 *
 *     [x_z, x_r, x_h] = x·W + b          (hoisted out of the loop)
 *     [r_z, r_r, r_h] = h·U + b'
 *     z = σ(x_z + r_z),  r = σ(x_r + r_r)
 *     ĥ = tanh(x_h + r ⊙ r_h)
 *     h' = z ⊙ h + (1 − z) ⊙ ĥ
 *
 * Parameters: `[U]` or `[U, b']` (the recurrent bias).
 */
export function gruResetAfterKernel(
  units: number,
  activation: RecurrentActivation,
  recurrentActivation: RecurrentActivation,
): StepEquations<Prepared> {
  return {
    name: 'GRU (reset after)',
    units,
    stateCount: 1,
    projectionWidth: 3 * units,
    savedCount: 3,
    partCount: 1,
    engineCell: { kind: 'gruResetAfter', activation: activation.name, recurrentActivation: recurrentActivation.name },
    prepare: ([recurrentKernel, recurrentBias]) => ({
      recurrentKernel: recurrentKernel as tf.Tensor2D,
      recurrentBias: (recurrentBias as tf.Tensor1D | undefined) ?? null,
      recurrentKernelT: transposed(recurrentKernel as tf.Tensor2D),
    }),
    step(projection, [h], p, context): StepForward {
      const recurrent =
        p.recurrentBias == null
          ? tf.matMul(h, p.recurrentKernel)
          : tf.fused.matMul({ a: h, b: p.recurrentKernel, bias: p.recurrentBias });
      const [xZr, xH] = splitColumns(projection as tf.Tensor2D, [2 * units, units], context);
      const [rZr, rH] = splitColumns(recurrent as tf.Tensor2D, [2 * units, units], context);
      const zr = recurrentActivation.apply(tf.add(xZr, rZr)) as tf.Tensor2D;
      const [z, r] = splitColumns(zr as tf.Tensor2D, [units, units], context);
      const candidate = activation.apply(tf.add(xH, tf.mul(r, rH))) as tf.Tensor2D;
      const next = tf.add(candidate, tf.mul(z, tf.sub(h, candidate))) as tf.Tensor2D;
      return { states: [next], saved: [zr, candidate, rH as tf.Tensor2D] };
    },
    stepBackward([dNext], [h], [zr, candidate, rH], p, context): StepBackward {
      const [z, r] = splitColumns(zr as tf.Tensor2D, [units, units], context);
      const dCandidate = activation.backward(tf.mul(dNext, tf.sub(1, z)), candidate);
      const dZ = tf.mul(dNext, tf.sub(h, candidate));
      const dR = tf.mul(dCandidate, rH);
      const dZrPre = recurrentActivation.backward(tf.concat([dZ, dR], 1), zr);
      const dRecurrent = tf.concat([dZrPre, tf.mul(dCandidate, r)], 1) as tf.Tensor2D;
      const dPrevious = tf.add(tf.mul(dNext, z), tf.matMul(dRecurrent, p.recurrentKernelT)) as tf.Tensor2D;
      return {
        dProjection: tf.concat([dZrPre, dCandidate], 1) as tf.Tensor2D,
        dPreviousStates: [dPrevious],
        parts: [dRecurrent],
      };
    },
    parameterGradients([previous], _saved, [dRecurrent], p) {
      const dKernel = transposedTimes(previous, dRecurrent);
      return p.recurrentBias == null ? [dKernel] : [dKernel, tf.sum(dRecurrent, 0)];
    },
  };
}
