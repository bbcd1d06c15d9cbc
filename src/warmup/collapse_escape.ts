import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '../utils/seeded_random';

/** Steps m over which the escape measures the expansion rate. */
export const ESCAPE_STEPS = 10;
/** Size of the perturbations (per coordinate, standard deviation). */
const PERTURBATION = 1e-2;

/**
 * Whether a layer's final states collapsed to one equilibrium: VAA\* below 2/n (fewer than two
 * ε-clusters' worth), where VAA\*'s gradient is (almost) exactly zero. The robust mode's one
 * test of collapse, used by the escape and the adaptive horizon.
 */
export function isCollapsed(vaaStar: number, batchSize: number): boolean {
  return vaaStar < 2 / batchSize;
}

/**
 * State of the collapse escape (`mode: 'robust'`, see {@link WarmupOptions.mode}):
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

  /** Records which layers ended this step collapsed (see {@link isCollapsed}). */
  update(collapsed: boolean[]): void {
    collapsed.forEach((c, l) => (this.collapsed[l] = c));
  }
}
