import * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '../utils/seeded_random';

/** Steps m over which the escape measures the expansion rate. */
export const ESCAPE_STEPS = 10;
/**
 * Expansion rate (mean log growth per step) the escape term pushes a layer up to:
 * `min(λ − ESCAPE_TARGET_RATE, 0)²`. Not 0: a rate pushed all the way to 0 leaves the layer's
 * dynamics marginally stable after a collapse; measured on LSTM 2×32 learning copy-first-input
 * (L = 100, seeds 0–19, test MSE < 0.1), the target 0 gave 12 of 20, −0.1 13 of 20, −0.2 19 of
 * 20 and no escape 17 of 20, while 2×16 LSTM stacks ended multistable on 39, 36, 37 and 32 of
 * 40 seeds (docs/results.md, "The collapse escape per cell").
 */
export const ESCAPE_TARGET_RATE = -0.2;
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
