import * as tf from '@tensorflow/tfjs-core';
import type { PathEntry, RecurrentPath } from '../multistability/recurrent_path';
import type { SequenceInputs } from '../multistability/sequence_inputs';
import { prefixStatesOnPath } from '../multistability/starting_states';
import { warmedLayersFinalStates, type StepDraws } from './layer_vaa_star';

/**
 * Burn-in of the slow-point remedy (`mode: 'robust'`, see {@link SlowPointRemedy}): starting
 * states of the warmed layers with `burnIn[l] > 0`, their prefix states of the step's batch run
 * `burnIn[l]` steps of the step's constant input without gradients (null for the other
 * layers). Call outside the gradient tape; the caller disposes the states.
 */
export function burnedInStarts(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws,
  burnIn: number[],
): (tf.Tensor2D[] | null)[] {
  const burned = warmed.map((_, j) => j).filter((j) => burnIn[j] > 0);
  const states = tf.tidy(() => {
    const entries = burned.map((j) => warmed[j]);
    const prefixStates = prefixStatesOnPath(path, entries, data.batch(draws.indices).x, draws.prefixLengths);
    return burned.map((j, k) => {
      const entry = warmed[j];
      const sampled = prefixStates[k];
      const start = entry.capable.warmupStateIndices.map((i) => sampled[i]);
      return entry.capable.runConstantInput(draws.constantInputs[j], start, burnIn[j], { differentiable: false });
    });
  });
  return warmed.map((_, j) => (burnIn[j] > 0 ? states[burned.indexOf(j)] : null));
}

/**
 * {@link warmedLayersFinalStates} where the layers with burned-in `starts` run their
 * stabilisation length from those states (the gradient reaches their weights through these
 * last steps only) and the other layers exactly as in the paper's warmup. Differentiable.
 */
export function finalStatesAfterBurnIn(
  path: RecurrentPath,
  warmed: PathEntry[],
  x: tf.Tensor3D,
  draws: StepDraws,
  starts: (tf.Tensor2D[] | null)[],
): tf.Tensor2D[][] {
  const lengths = draws.layerStabilisationSteps ?? warmed.map(() => draws.stabilisationSteps);
  // The paper's path for the layers without burn-in (burned-in layers run 1 step there, unused).
  const paper = starts.every((s) => s != null)
    ? null
    : warmedLayersFinalStates(
        path,
        warmed,
        x,
        { ...draws, layerStabilisationSteps: lengths.map((t, l) => (starts[l] == null ? t : 1)) },
        true,
      );
  return warmed.map((entry, j) => {
    const start = starts[j];
    if (start == null) return paper![j];
    return entry.capable.runConstantInput(draws.constantInputs[j], start, lengths[j], { differentiable: true });
  });
}
