import type { WarmupLayerProgress, WarmupLayerVerdict, WarmupStepInfo } from './warmup_report';

/** What the verdict compares against (from the resolved options). */
export interface VerdictCriteria {
  target: number;
  /** A layer counts as at its target when its VAA\* (or VAA) is ≥ `target − tolerance`. */
  tolerance: number;
  /** Steps over which `recentMean` is taken. */
  holdSteps: number;
  /**
   * First step whose stabilisation length can reach `stabilisationMax`: earlier steps run
   * short stabilisations, whose VAA\* is high before any warmup, so they do not count as
   * reaching the target.
   */
  fullFrom: number;
}

/** First step k with `min(1 + increment·k, max) = max` (Infinity when never). */
export function firstFullStep(increment: number, max: number): number {
  if (max <= 1) return 0;
  return increment === 0 ? Infinity : Math.ceil((max - 1) / increment);
}

/** The threshold a layer's VAA\* and VAA must reach: `target − tolerance`. */
export function verdictThreshold(c: VerdictCriteria): number {
  return c.target - c.tolerance;
}

/**
 * Whether layer `l` reached the threshold during warmup: the mean VAA\* over `holdSteps`
 * consecutive steps (a running mean: each step draws its own stabilisation length), ending at
 * a step at or after `fullFrom`, was ≥ threshold.
 */
function reachedInHistory(values: number[], c: VerdictCriteria): boolean {
  const threshold = verdictThreshold(c);
  let sum = 0;
  for (let k = 0; k < values.length; k++) {
    sum += values[k];
    if (k >= c.holdSteps) sum -= values[k - c.holdSteps];
    const count = Math.min(k + 1, c.holdSteps);
    if (k >= c.fullFrom && sum / count >= threshold) return true;
  }
  return false;
}

/**
 * Per-layer progress after a step, from the history so far (the step included): this step's
 * VAA\*, stabilisation length and burn-in, the mean VAA\* over the last `holdSteps` steps, and whether
 * the layer has reached the threshold so far.
 */
export function layerProgress(
  layers: string[],
  history: WarmupStepInfo[],
  vaaStar: number[],
  stabilisationSteps: number[],
  burnInSteps: readonly number[],
  c: VerdictCriteria,
): WarmupLayerProgress[] {
  return layers.map((layer, l) => {
    const values = [...history.map((h) => h.vaaStar[l]), vaaStar[l]];
    const recent = values.slice(-c.holdSteps);
    const recentMean = recent.reduce((s, v) => s + v, 0) / recent.length;
    return {
      layer,
      vaaStar: vaaStar[l],
      stabilisationSteps: stabilisationSteps[l],
      burnInSteps: burnInSteps[l],
      recentMean,
      reached: reachedInHistory(values, c),
    };
  });
}

/**
 * The per-layer verdict (see {@link WarmupLayerVerdict}): reached (a running mean of VAA\*
 * after the stabilisation ramp, or the final weights' VAA\*, ≥ threshold), held (the final weights' VAA\* at the full stabilisation length ≥ threshold),
 * multistable at the horizon (VAA ≥ threshold; `null` when not measured), ok (held and not
 * found monostable at the horizon).
 */
export function layerVerdicts(
  layers: string[],
  history: WarmupStepInfo[],
  vaaStarBefore: number[],
  vaaStarAfter: number[],
  vaaBefore: number[] | null,
  vaaAfter: number[] | null,
  c: VerdictCriteria,
): WarmupLayerVerdict[] {
  const threshold = verdictThreshold(c);
  return layers.map((layer, l) => {
    const last = history.slice(-c.holdSteps);
    const recentMean = last.length === 0 ? null : last.reduce((s, h) => s + h.vaaStar[l], 0) / last.length;
    const reached =
      reachedInHistory(
        history.map((h) => h.vaaStar[l]),
        c,
      ) || vaaStarAfter[l] >= threshold;
    const held = vaaStarAfter[l] >= threshold;
    const multistable = vaaAfter == null ? null : vaaAfter[l] >= threshold;
    return {
      layer,
      reached,
      held,
      multistable,
      ok: held && multistable !== false,
      recentMean,
      vaaStarBefore: vaaStarBefore[l],
      vaaStarAfter: vaaStarAfter[l],
      vaaBefore: vaaBefore == null ? null : vaaBefore[l],
      vaaAfter: vaaAfter == null ? null : vaaAfter[l],
    };
  });
}
