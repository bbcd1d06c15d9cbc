/**
 * Per-layer stabilisation lengths of the adaptive horizon (`mode: 'robust'`, see
 * {@link WarmupOptions.mode}).
 *
 * Why: VAA\*'s closeness is exactly 1 for every pair of final states closer than ε, so a layer
 * whose final states have all merged within ε after T steps (VAA\* = 1/n) gets an exactly zero
 * gradient, and a contracting layer merges its states faster the longer T is. With the paper's
 * single T drawn up to `stabilisationMax`, such a layer is in that dead zone on most steps and
 * cannot be pushed out. Here each layer has its own cap on T: halved below the length at which
 * the layer was found collapsed, grown again by `stabilisationIncrement` each step the layer
 * reaches the verdict's threshold, never above the paper's `T_max` of the step. A layer that
 * never collapses runs exactly the paper's T.
 */
export class AdaptiveHorizon {
  private readonly caps: number[];

  constructor(
    layers: number,
    private readonly max: number,
    private readonly increment: number,
    /** VAA\* at or above which a layer's cap grows. */
    private readonly healthyFrom: number,
  ) {
    this.caps = new Array<number>(layers).fill(max);
  }

  /**
   * Each layer's length for this step, from the step's drawn `t ~ Uniform{1 … tMax}`: the same
   * draw rescaled to `Uniform{1 … min(tMax, cap_l)}`, so layers without a reduced cap run `t`.
   */
  lengths(t: number, tMax: number): number[] {
    return this.caps.map((cap) => (cap >= tMax ? t : Math.max(1, Math.ceil((t * cap) / tMax))));
  }

  /** Updates the caps from this step's VAA\* per layer, which layers collapsed, and the lengths they ran. */
  update(vaaStar: number[], collapsed: boolean[], lengths: number[]): void {
    vaaStar.forEach((v, l) => {
      if (collapsed[l]) this.caps[l] = Math.max(1, Math.floor(lengths[l] / 2));
      else if (v >= this.healthyFrom) this.caps[l] = Math.min(this.max, this.caps[l] + this.increment);
    });
  }

  /** Current caps, per layer. */
  get current(): readonly number[] {
    return this.caps;
  }
}
