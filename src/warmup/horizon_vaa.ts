import * as tf from '@tensorflow/tfjs-core';
import { readVaa } from '../multistability/vaa';
import type { PathEntry, RecurrentPath } from '../multistability/recurrent_path';
import type { SequenceInputs } from '../multistability/sequence_inputs';
import { runPathOverSequence, statesAtPrefix } from '../multistability/starting_states';
import type { StepDraws } from './layer_vaa_star';

/**
 * Exact VAA of every warmed layer at a long stabilisation length `horizon`, each layer alone
 * (as warmup sees it: its own sampled starting states, its own constant input `u_l` from
 * `draws`), without gradients; the constant-input run goes in chunks so memory stays flat.
 * VAA ≈ (distinct final states) / n (see the [method guide](../../docs/method.md#vaa)): it
 * exposes slow points that VAA\* at warmup's short lengths takes for attractors.
 */
export async function warmedLayersVaaAt(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws,
  horizon: number,
  epsilon: number,
): Promise<number[]> {
  const starts = tf.tidy(() => {
    const { x } = data.batch(draws.indices);
    const all = runPathOverSequence(path, x);
    return warmed.map((entry) => {
      const sampled = statesAtPrefix(all[path.entries.indexOf(entry)], draws.prefixLengths);
      return entry.capable.warmupStateIndices.map((i) => sampled[i]);
    });
  });
  const out: number[] = [];
  try {
    for (const [j, entry] of warmed.entries()) {
      const final = entry.capable.runConstantInput(draws.constantInputs[j], starts[j], horizon, { differentiable: false });
      const states = final.length === 1 ? final[0] : (tf.concat(final, 1) as tf.Tensor2D);
      try {
        out.push(await readVaa('warmup', states, epsilon));
      } finally {
        tf.dispose(final);
        states.dispose();
      }
    }
  } finally {
    tf.dispose(starts);
  }
  return out;
}
