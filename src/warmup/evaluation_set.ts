import * as tf from '@tensorflow/tfjs-core';
import { readVaa } from '../multistability/vaa';
import { vaaStar } from '../multistability/vaa_star';
import type { PathEntry, RecurrentPath } from '../multistability/recurrent_path';
import type { SequenceInputs } from '../multistability/sequence_inputs';
import { runPathOverSequence, statesAtPrefix } from '../multistability/starting_states';
import type { SeededRandom } from '../utils/seeded_random';
import type { StepDraws } from './layer_vaa_star';
import { drawStep } from './step_draws';

/** Draws in the evaluation set of the verdict and of `restoreBest`. */
export const EVALUATION_DRAWS = 4;

/**
 * Fixed draws (batch, prefix lengths, one constant input per layer) on which the verdict and
 * `restoreBest` judge the weights. Several draws, because with few input features one constant
 * input can make a multistable layer look monostable or the reverse: the figures are means over
 * the draws. The caller disposes every draw's `constantInputs`.
 */
export function drawEvaluationSet(
  random: SeededRandom,
  data: SequenceInputs,
  warmed: PathEntry[],
  batchSize: number,
  stabilisationSteps: number,
): StepDraws[] {
  return Array.from({ length: EVALUATION_DRAWS }, (_, k) => {
    const r = random.child(k);
    const indices = Array.from(r.child('batch').permutation(data.count).subarray(0, batchSize));
    return drawStep(r.child('draw'), indices, data, warmed, stabilisationSteps);
  });
}

/**
 * Final warmup states of every warmed layer after `steps` steps of constant input, for all
 * draws at once (one batch of `draws × batchSize` rows, each draw's rows fed its own input),
 * without gradients. Returns `[layer][draw]` `[batchSize, stateSize]` tensors.
 */
function finalStates(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws[],
  steps: number,
): tf.Tensor2D[][] {
  const n = draws[0].indices.length;
  const starts = tf.tidy(() => {
    const { x } = data.batch(draws.flatMap((d) => d.indices));
    const all = runPathOverSequence(path, x);
    return warmed.map((entry) => {
      const sampled = statesAtPrefix(
        all[path.entries.indexOf(entry)],
        draws.flatMap((d) => d.prefixLengths),
      );
      return entry.capable.warmupStateIndices.map((i) => sampled[i]);
    });
  });
  try {
    return warmed.map((entry, j) => {
      const input = tf.tidy(() => tf.concat(draws.map((d) => tf.tile(d.constantInputs[j], [n, 1]))) as tf.Tensor2D);
      const final = entry.capable.runConstantInput(input, starts[j], steps, { differentiable: false });
      input.dispose();
      const out = tf.tidy(() => {
        const joined = final.length === 1 ? final[0] : tf.concat(final, 1);
        return tf.split(joined, draws.length, 0) as tf.Tensor2D[];
      });
      tf.dispose(final);
      return out;
    });
  } finally {
    tf.dispose(starts);
  }
}

/** Per warmed layer, the mean over the draws of VAA\* at the draws' stabilisation length. */
export async function evaluationVaaStar(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws[],
  epsilon: number,
): Promise<number[]> {
  const states = finalStates(path, warmed, data, draws, draws[0].stabilisationSteps);
  const means = tf.tidy(() =>
    tf.stack(states.map((perDraw) => tf.mean(tf.stack(perDraw.map((s) => vaaStar(s, epsilon)))))),
  );
  tf.dispose(states);
  const out = Array.from(await means.data());
  means.dispose();
  return out;
}

/**
 * Per warmed layer, the mean over the draws of the exact VAA after `horizon` steps (see the
 * [method guide](../../docs/method.md#vaa)): it exposes slow points that VAA\* at warmup's
 * short lengths takes for attractors.
 */
export async function evaluationVaaAt(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws[],
  horizon: number,
  epsilon: number,
): Promise<number[]> {
  const states = finalStates(path, warmed, data, draws, horizon);
  try {
    const out: number[] = [];
    for (const perDraw of states) {
      let sum = 0;
      for (const s of perDraw) sum += await readVaa('warmup', s, epsilon);
      out.push(sum / perDraw.length);
    }
    return out;
  } finally {
    tf.dispose(states);
  }
}
