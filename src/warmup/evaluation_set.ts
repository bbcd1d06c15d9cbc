import * as tf from '@tensorflow/tfjs-core';
import { readVaa } from '../multistability/vaa';
import { vaaStar } from '../multistability/vaa_star';
import type { PathEntry, RecurrentPath } from '../multistability/recurrent_path';
import type { SequenceInputs } from '../multistability/sequence_inputs';
import { prefixStatesOnPath } from '../multistability/starting_states';
import type { SeededRandom } from '../utils/seeded_random';
import type { StepDraws } from './layer_vaa_star';
import { drawStep } from './step_draws';

/** Draws in the evaluation set of the verdict and of `restoreBest`. */
export const EVALUATION_DRAWS = 2;

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
 * Starting states of every warmed layer for all draws at once (one batch of
 * `draws × batchSize` rows), and each row's constant input: `[layer]` lists.
 */
function startAll(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws[],
): { starts: tf.Tensor2D[][]; inputs: tf.Tensor2D[] } {
  const n = draws[0].indices.length;
  return tf.tidy(() => {
    const { x } = data.batch(draws.flatMap((d) => d.indices));
    const prefixStates = prefixStatesOnPath(
      path,
      warmed,
      x,
      draws.flatMap((d) => d.prefixLengths),
    );
    const starts = warmed.map((entry, j) => {
      const sampled = prefixStates[j];
      return entry.capable.warmupStateIndices.map((i) => sampled[i]);
    });
    const inputs = warmed.map(
      (_, j) => tf.concat(draws.map((d) => tf.tile(d.constantInputs[j], [n, 1]))) as tf.Tensor2D,
    );
    return { starts, inputs };
  });
}

/** Splits a layer's final warmup states into one `[batchSize, stateSize]` tensor per draw. */
function perDraw(final: tf.Tensor2D[], draws: number): tf.Tensor2D[] {
  return tf.tidy(() => tf.split(final.length === 1 ? final[0] : tf.concat(final, 1), draws, 0) as tf.Tensor2D[]);
}

/**
 * Per warmed layer, the mean over the draws of VAA\* after the draws' stabilisation length
 * and, when `horizon` > 0, of the exact VAA after `horizon` steps (see the
 * [method guide](../../docs/method.md#vaa)), which exposes slow points that VAA\* at warmup's
 * short lengths takes for attractors. One constant-input run per layer serves both lengths
 * (it continues from the shorter to the longer), without gradients.
 */
export async function evaluateLayers(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws[],
  horizon: number,
  epsilon: number,
): Promise<{ vaaStar: number[]; vaa: number[] | null }> {
  const short = draws[0].stabilisationSteps;
  const { starts, inputs } = startAll(path, warmed, data, draws);
  const vaaStarOut: number[] = [];
  const vaaOut: number[] = [];
  try {
    for (const [j, entry] of warmed.entries()) {
      // Run to the shorter length, then on to the longer one.
      const lengths = horizon === 0 ? [short] : [Math.min(short, horizon), Math.max(short, horizon)];
      let states = starts[j];
      let done = 0;
      for (const length of lengths) {
        const next =
          length === done
            ? states.map((t) => tf.clone(t))
            : entry.capable.runConstantInput(inputs[j], states, length - done, { differentiable: false });
        if (states !== starts[j]) tf.dispose(states);
        states = next;
        done = length;
        const groups = perDraw(states, draws.length);
        try {
          if (length === short) {
            const mean = tf.tidy(() => tf.mean(tf.stack(groups.map((g) => vaaStar(g, epsilon)))));
            vaaStarOut[j] = (await mean.data())[0];
            mean.dispose();
          }
          if (horizon > 0 && length === horizon) {
            let sum = 0;
            for (const g of groups) sum += await readVaa('warmup', g, epsilon);
            vaaOut[j] = sum / groups.length;
          }
        } finally {
          tf.dispose(groups);
        }
      }
      if (states !== starts[j]) tf.dispose(states);
    }
  } finally {
    tf.dispose(starts);
    tf.dispose(inputs);
  }
  return { vaaStar: vaaStarOut, vaa: horizon === 0 ? null : vaaOut };
}
