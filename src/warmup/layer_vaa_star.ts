import * as tf from '@tensorflow/tfjs-core';
import { vaaStar } from '../multistability/vaa_star';
import type { PathEntry } from '../multistability/recurrent_path';

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
 * VAA\* of one layer (see the [method guide](../../docs/method.md#sampling-final-states)): from the sampled full states, take the warmup states, feed the
 * layer alone its constant input for T steps, concatenate the final states (h and c for LSTM)
 * and measure VAA\* (tanh is applied inside). Differentiable.
 */
export function layerVaaStar(
  entry: PathEntry,
  sampledStates: tf.Tensor2D[],
  constantInput: tf.Tensor2D,
  stabilisationSteps: number,
  epsilon: number,
  differentiable: boolean,
): tf.Scalar {
  const start = entry.capable.warmupStateIndices.map((i) => sampledStates[i]);
  const final = entry.capable.runConstantInput(constantInput, start, stabilisationSteps, { differentiable });
  const states = final.length === 1 ? final[0] : (tf.concat(final, 1) as tf.Tensor2D);
  return vaaStar(states, epsilon);
}
