import * as tf from '@tensorflow/tfjs-core';
import { vaaStar } from '../multistability/vaa_star';
import type { PathEntry, RecurrentPath } from '../multistability/recurrent_path';
import { runPathOverSequence, statesAtPrefix } from '../multistability/starting_states';

/** The random draws of one warmup step (or of one before/after measurement). */
export interface StepDraws {
  /** Sequences of the batch (indices into the inputs). */
  indices: number[];
  /** Each sample's prefix length c_i ∈ {1 … length_i}. */
  prefixLengths: number[];
  /** Stabilisation length T. */
  stabilisationSteps: number;
  /** One constant input per warmed layer, `[1, inputSize]`, u_l ~ N(0, I). */
  constantInputs: tf.Tensor2D[];
}

/**
 * VAA\* of every warmed layer on the batch `x` (see the
 * [method guide](../../docs/method.md#sampling-final-states)): run the recurrent layers once
 * over `x`, take each sample's full states after its prefix, then feed each warmed layer alone
 * its constant input for T steps from its warmup states, concatenate the final states (h and c
 * for LSTM) and measure VAA\* (tanh is applied inside). Differentiable when `differentiable`.
 * Returns one scalar per warmed layer, in `warmed` order.
 */
export function warmedLayersVaaStar(
  path: RecurrentPath,
  warmed: PathEntry[],
  x: tf.Tensor3D,
  draws: StepDraws,
  epsilon: number,
  differentiable: boolean,
): tf.Scalar[] {
  const all = runPathOverSequence(path, x);
  return warmed.map((entry, j) => {
    const sampled = statesAtPrefix(all[path.entries.indexOf(entry)], draws.prefixLengths);
    const start = entry.capable.warmupStateIndices.map((i) => sampled[i]);
    const final = entry.capable.runConstantInput(draws.constantInputs[j], start, draws.stabilisationSteps, {
      differentiable,
    });
    const states = final.length === 1 ? final[0] : (tf.concat(final, 1) as tf.Tensor2D);
    return vaaStar(states, epsilon);
  });
}
