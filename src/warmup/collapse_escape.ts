import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '../utils/seeded_random';

/** Steps m over which the escape measures the expansion rate. */
export const ESCAPE_STEPS = 10;
/** Size of the perturbations (per coordinate, standard deviation). */
const PERTURBATION = 1e-2;

/**
 * State of the collapse escape (`escapeCollapse`, see {@link WarmupOptions.escapeCollapse}):
 * which layers ended their last step collapsed, and the perturbations, drawn from their own
 * random stream so the paper's draws stay the same.
 */
export class CollapseEscape {
  readonly collapsed: boolean[];

  constructor(
    layers: number,
    private readonly random: SeededRandom,
  ) {
    this.collapsed = new Array<boolean>(layers).fill(false);
  }

  /** `N(0, PERTURBATION²)` perturbations shaped like the given states (tensors owned by the caller's scope). */
  perturbations(states: tf.Tensor2D[]): tf.Tensor2D[] {
    return states.map((s) => {
      const values = new Float32Array(s.size);
      this.random.fillNormal(values, 0, PERTURBATION);
      return tf.tensor2d(values, s.shape);
    });
  }

  /** A layer counts as collapsed when its VAA\* is below 2/n (its states form one ε-cluster). */
  update(vaaStar: number[], batchSize: number): void {
    vaaStar.forEach((v, l) => (this.collapsed[l] = v < 2 / batchSize));
  }
}
