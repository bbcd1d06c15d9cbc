import * as tf from '@tensorflow/tfjs-core';
import { vaaStar } from '../multistability/vaa_star';
import type { PathEntry, RecurrentPath } from '../multistability/recurrent_path';
import { prefixStatesOnPath } from '../multistability/starting_states';

/** The random draws of one warmup step (or of one before/after measurement). */
export interface StepDraws {
  /** Sequences of the batch (indices into the inputs). */
  indices: number[];
  /** Each sample's prefix length c_i ∈ {1 … length_i}. */
  prefixLengths: number[];
  /** Stabilisation length T. */
  stabilisationSteps: number;
  /** Per warmed layer, a length replacing `stabilisationSteps` (the adaptive horizon). */
  layerStabilisationSteps?: number[];
  /** One constant input per warmed layer, `[1, inputSize]`, u_l ~ N(0, I). */
  constantInputs: tf.Tensor2D[];
}

/**
 * Final states of every warmed layer on the batch `x` (see the
 * [method guide](../../docs/method.md#sampling-final-states)): run the recurrent layers once
 * over `x`, take each sample's full states after its prefix (computing only the prefixes where
 * the path allows, see `prefixStatesOnPath`), then feed each warmed layer alone
 * its constant input for T steps from its warmup states. Returns, per warmed layer (in `warmed`
 * order), its final warmup states (h, then c for LSTM). Differentiable when `differentiable`.
 */
export function warmedLayersFinalStates(
  path: RecurrentPath,
  warmed: PathEntry[],
  x: tf.Tensor3D,
  draws: StepDraws,
  differentiable: boolean,
): tf.Tensor2D[][] {
  const prefixStates = prefixStatesOnPath(path, warmed, x, draws.prefixLengths);
  return warmed.map((entry, j) => {
    const sampled = prefixStates[j];
    const start = entry.capable.warmupStateIndices.map((i) => sampled[i]);
    const steps = draws.layerStabilisationSteps?.[j] ?? draws.stabilisationSteps;
    return entry.capable.runConstantInput(draws.constantInputs[j], start, steps, { differentiable });
  });
}

/** VAA\* of one layer's final states (h and c concatenated for LSTM; tanh is applied inside). */
export function finalStatesVaaStar(final: tf.Tensor2D[], epsilon: number): tf.Scalar {
  return vaaStar(final.length === 1 ? final[0] : (tf.concat(final, 1) as tf.Tensor2D), epsilon);
}

/**
 * VAA\* of every warmed layer on the batch `x`: {@link warmedLayersFinalStates}, then
 * {@link finalStatesVaaStar}. Differentiable when `differentiable`. Returns one scalar per
 * warmed layer, in `warmed` order.
 */
export function warmedLayersVaaStar(
  path: RecurrentPath,
  warmed: PathEntry[],
  x: tf.Tensor3D,
  draws: StepDraws,
  epsilon: number,
  differentiable: boolean,
): tf.Scalar[] {
  return warmedLayersFinalStates(path, warmed, x, draws, differentiable).map((f) => finalStatesVaaStar(f, epsilon));
}
