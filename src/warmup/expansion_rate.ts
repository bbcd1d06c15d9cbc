import * as tf from '@tensorflow/tfjs-core';
import type { PathEntry } from '../multistability/recurrent_path';

/**
 * Finite-time expansion rate of a layer around its final states, for the collapse escape
 * (`mode: 'robust'`, see {@link WarmupOptions.mode}):
 *
 *     λ = (1/m) · mean_i log( ‖F^m(s_i + η_i) − F^m(s_i)‖ / ‖η_i‖ )
 *
 * where `F` is one step of the layer under the step's constant input, `s_i` its final states
 * (h and c for LSTM) and `η_i` small fixed perturbations. λ < 0: nearby states merge (the
 * layer contracts to one equilibrium); λ > 0: they separate. Unlike VAA\*, whose gradient is
 * exactly zero once every final state is within ε of the others, λ keeps a gradient on a
 * collapsed layer, since it measures growth relative to the perturbation. Differentiable with
 * respect to the layer's weights and the final states.
 *
 * @param perturbations one `[n, size]` tensor per state, the `η_i` (not disposed).
 */
export function expansionRate(
  entry: PathEntry,
  input: tf.Tensor2D,
  final: tf.Tensor2D[],
  perturbations: tf.Tensor2D[],
  steps: number,
): tf.Scalar {
  return tf.tidy(() => {
    const n = final[0].shape[0];
    const start = final.map((s, k) => tf.concat([s, tf.add(s, perturbations[k])], 0) as tf.Tensor2D);
    const end = entry.capable.runConstantInput(input, start, steps, { differentiable: true });
    const gap = tf.concat(
      end.map((e) => {
        const [reference, perturbed] = tf.split(e, [n, n], 0);
        return tf.sub(perturbed, reference);
      }),
      1,
    );
    const initial = tf.sqrt(tf.sum(tf.square(tf.concat(perturbations, 1)), 1));
    // A floor at 1e-4 of the perturbation (λ ≥ ln(1e-4)/m) keeps log and the gradient bounded
    // when the perturbation vanished in float32 rounding (a strongly contracting layer).
    const grown = tf.sqrt(tf.add(tf.sum(tf.square(gap), 1), tf.square(tf.mul(initial, 1e-4))));
    return tf.div(tf.mean(tf.sub(tf.log(grown), tf.log(initial))), steps) as tf.Scalar;
  });
}
