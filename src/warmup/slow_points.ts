/** Horizon (constant-input steps) at which the slow-point remedy probes each layer's VAA. */
export const PROBE_HORIZON = 2000;
/** Steps between two probes (from the first step at the full stabilisation length). */
export const PROBE_EVERY = 10;
/** Longest burn-in, in steps. */
export const MAX_BURN_IN = 2000;

/**
 * Burn-in lengths of the slow-point remedy (`mode: 'robust'`, see {@link WarmupOptions.mode}).
 *
 * Why: VAA\* after at most `stabilisationMax` steps counts states that still drift apart from
 * one another — slow points, where the dynamics are slow but no attractor holds them — as
 * distinct attractors, so a layer can reach its target at 200 steps while its states merge
 * before 2 000 or 10 000 (measured on 2×16 nBRC and LSTM). Every {@link PROBE_EVERY} steps the
 * remedy measures each layer's exact VAA after {@link PROBE_HORIZON} steps on the verdict's
 * fixed evaluation draws (no gradient); a layer at its threshold at `stabilisationMax` steps
 * but below it at the probe's horizon gets a burn-in (first `stabilisationMax` steps, then
 * doubled at each such probe, up to {@link MAX_BURN_IN}): its states run that many steps of
 * the step's constant input without gradients before the usual stabilisation length, so the
 * loss sees where the states have drifted to and pushes them apart there. A layer that
 * collapses (VAA\* < 2/n, no gradient) has its burn-in halved, and dropped below
 * `stabilisationMax`. A layer never found merged at the probe's horizon never burns in.
 */
export class SlowPointRemedy {
  private readonly burn: number[];

  constructor(
    layers: number,
    private readonly stabilisationMax: number,
    /** First step whose stabilisation length can reach `stabilisationMax`. */
    private readonly firstProbe: number,
    /** The verdict's threshold `target − verdictTolerance`. */
    private readonly threshold: number,
  ) {
    this.burn = new Array<number>(layers).fill(0);
  }

  /** Current burn-in per layer (0: none). */
  get burnIn(): readonly number[] {
    return this.burn;
  }

  /** Whether any layer burns in. */
  get active(): boolean {
    return this.burn.some((b) => b > 0);
  }

  /** Halves the burn-in of the layers that collapsed on this step. */
  collapsed(collapsed: boolean[]): void {
    collapsed.forEach((c, l) => {
      if (!c) return;
      const half = Math.floor(this.burn[l] / 2);
      this.burn[l] = half < this.stabilisationMax ? 0 : half;
    });
  }

  /** Whether a probe is due after `step` (none after the last step: it could change nothing). */
  probeDue(step: number, steps: number): boolean {
    return step >= this.firstProbe && step < steps - 1 && (step - this.firstProbe) % PROBE_EVERY === 0;
  }

  /**
   * Updates the burn-ins from a probe: per layer, VAA\* at `stabilisationMax` steps and VAA at
   * {@link PROBE_HORIZON} steps.
   */
  probed(vaaStar: number[], vaa: number[]): void {
    vaa.forEach((v, l) => {
      if (v < this.threshold && vaaStar[l] >= this.threshold) {
        this.burn[l] = Math.min(MAX_BURN_IN, this.burn[l] === 0 ? this.stabilisationMax : 2 * this.burn[l]);
      }
    });
  }
}
