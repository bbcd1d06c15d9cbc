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
  /** Per warmed layer, a length replacing `stabilisationSteps` (the adaptive horizon). */
  layerStabilisationSteps?: number[];
  /**
   * Constant inputs per warmed layer, `[groups, inputSize]`, u ~ N(0, I): one row (the paper),
   * or with `inputsPerStep` G several, each run from the same starting states.
   */
  constantInputs: tf.Tensor2D[];
}

/**
 * Final states of every warmed layer on the batch `x` (see the
 * [method guide](../../docs/method.md#sampling-final-states)): run the recurrent layers once
 * over `x`, take each sample's full states after its prefix, then feed each warmed layer alone
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
  const all = runPathOverSequence(path, x);
  return warmed.map((entry, j) => {
    const sampled = statesAtPrefix(all[path.entries.indexOf(entry)], draws.prefixLengths);
    const start = entry.capable.warmupStateIndices.map((i) => sampled[i]);
    const steps = draws.layerStabilisationSteps?.[j] ?? draws.stabilisationSteps;
    const { starts, input } = groupRows(start, draws.constantInputs[j]);
    return entry.capable.runConstantInput(input, starts, steps, { differentiable });
  });
}

/**
 * With G > 1 constant inputs, the starting states repeated G times (group-major rows) and
 * each group's input repeated for its rows; with one input, unchanged.
 */
function groupRows(start: tf.Tensor2D[], input: tf.Tensor2D): { starts: tf.Tensor2D[]; input: tf.Tensor2D } {
  const groups = input.shape[0];
  if (groups === 1) return { starts: start, input };
  const n = start[0].shape[0];
  return {
    starts: start.map((s) => tf.tile(s, [groups, 1])),
    input: tf.reshape(tf.tile(input, [1, n]), [groups * n, input.shape[1]]),
  };
}

/**
 * VAA\* of one layer's final states (h and c concatenated for LSTM; tanh is applied inside);
 * with G input groups (group-major rows), the mean of the groups' VAA\*.
 */
export function finalStatesVaaStar(final: tf.Tensor2D[], epsilon: number, groups = 1): tf.Scalar {
  const states = final.length === 1 ? final[0] : (tf.concat(final, 1) as tf.Tensor2D);
  if (groups === 1) return vaaStar(states, epsilon);
  return tf.mean(tf.stack((tf.split(states, groups, 0) as tf.Tensor2D[]).map((g) => vaaStar(g, epsilon)))) as tf.Scalar;
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
  return warmedLayersFinalStates(path, warmed, x, draws, differentiable).map((f, j) =>
    finalStatesVaaStar(f, epsilon, draws.constantInputs[j].shape[0]),
  );
}
