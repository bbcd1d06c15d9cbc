import * as tf from '@tensorflow/tfjs-core';
import type { StepEquations, StepBackward, StepForward } from '../step_equations';
import { splitColumns, transposed, transposedTimes } from '../../backend/tfjs_quirks';

/** How h feeds the c and a gates: diagonal weights (BRC) or full matrices (nBRC). */
export type BistableMemory = 'diagonal' | 'full';

interface Prepared {
  /** BRC: `[2·units]` (w_c, w_a). nBRC: `[units, 2·units]` (W_c | W_a). */
  memory: tf.Tensor;
  /** nBRC only: Wᵀ, for the backward step. */
  memoryT: tf.Tensor2D | null;
}

/**
 * The bistable recurrent cell family (Vecoven, Ernst, Drion 2021, arXiv 2006.05252):
 *
 *     [x_c, x_a, x_h] = x·U + b                 (hoisted out of the loop)
 *     c = σ(x_c + m_c(h)),  a = 1 + tanh(x_a + m_a(h))
 *     h' = c ⊙ h + (1 − c) ⊙ tanh(x_h + a ⊙ h)
 *
 * with `m(h) = w ⊙ h` for BRC (`memory: 'diagonal'`) and `m(h) = h·W` for nBRC (`'full'`).
 * Parameters: `[w]` of shape `[2·units]` or `[W]` of shape `[units, 2·units]`.
 */
export function bistableKernel(units: number, memory: BistableMemory): StepEquations<Prepared> {
  const diagonal = memory === 'diagonal';
  const gateMemory = (h: tf.Tensor2D, w: tf.Tensor): tf.Tensor =>
    diagonal ? tf.mul(tf.concat([h, h], 1), w) : tf.matMul(h, w as tf.Tensor2D);
  return {
    name: diagonal ? 'BRC' : 'nBRC',
    units,
    stateCount: 1,
    projectionWidth: 3 * units,
    savedCount: 3,
    partCount: 1,
    engineCell: { kind: diagonal ? 'brc' : 'nbrc' },
    prepare: ([w]) => ({ memory: w, memoryT: diagonal ? null : transposed(w as tf.Tensor2D) }),
    step(projection, [h], p, context): StepForward {
      const [xCa, xH] = splitColumns(projection as tf.Tensor2D, [2 * units, units], context);
      const [preC, preA] = splitColumns(tf.add(xCa, gateMemory(h, p.memory)) as tf.Tensor2D, [units, units], context);
      const c = tf.sigmoid(preC) as tf.Tensor2D;
      const tanhA = tf.tanh(preA) as tf.Tensor2D;
      const candidate = tf.tanh(tf.add(xH, tf.mul(tf.add(tanhA, 1), h))) as tf.Tensor2D;
      const next = tf.add(candidate, tf.mul(c, tf.sub(h, candidate))) as tf.Tensor2D;
      return { states: [next], saved: [c, tanhA, candidate] };
    },
    stepBackward([dNext], [h], [c, tanhA, candidate], p, context): StepBackward {
      const dC = tf.mul(dNext, tf.sub(h, candidate));
      const dCandidatePre = tf.mul(tf.mul(dNext, tf.sub(1, c)), tf.sub(1, tf.square(candidate))) as tf.Tensor2D;
      const dPreC = tf.mul(dC, tf.mul(c, tf.sub(1, c)));
      const dPreA = tf.mul(tf.mul(dCandidatePre, h), tf.sub(1, tf.square(tanhA)));
      const dGates = tf.concat([dPreC, dPreA], 1) as tf.Tensor2D;
      let dFromMemory: tf.Tensor;
      if (diagonal) {
        const [fromC, fromA] = splitColumns(tf.mul(dGates, p.memory) as tf.Tensor2D, [units, units], context);
        dFromMemory = tf.add(fromC, fromA);
      } else {
        dFromMemory = tf.matMul(dGates, p.memoryT as tf.Tensor2D);
      }
      const dPrevious = tf.addN([
        tf.mul(dNext, c),
        tf.mul(dCandidatePre, tf.add(tanhA, 1)),
        dFromMemory,
      ]) as tf.Tensor2D;
      return {
        dProjection: tf.concat([dGates, dCandidatePre], 1) as tf.Tensor2D,
        dPreviousStates: [dPrevious],
        parts: [dGates],
      };
    },
    parameterGradients([previous], _saved, [dGates]) {
      return diagonal
        ? [tf.sum(tf.mul(tf.concat([previous, previous], 1), dGates), 0)]
        : [transposedTimes(previous, dGates)];
    },
  };
}
