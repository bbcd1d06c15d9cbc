import type { WarmupLayerProgress, WarmupLayerVerdict, WarmupStepInfo } from './warmup_report';

/** What the verdict compares against (from the resolved options). */
export interface VerdictCriteria {
  target: number;
  /** A layer counts as at its target when its VAA\* (or VAA) is ≥ `target − tolerance`. */
  tolerance: number;
  /** Steps over which `recentMean` is taken. */
  holdSteps: number;
}

/** The threshold a layer's VAA\* and VAA must reach: `target − tolerance`. */
export function verdictThreshold(c: VerdictCriteria): number {
  return c.target - c.tolerance;
}

/**
 * Per-layer progress after a step, from the history so far (the step included): this step's
 * VAA\*, the mean over the last `holdSteps` steps, and whether any step so far reached the
 * threshold.
 */
export function layerProgress(layers: string[], history: WarmupStepInfo[], vaaStar: number[], c: VerdictCriteria): WarmupLayerProgress[] {
  const threshold = verdictThreshold(c);
  const recent = history.slice(-(c.holdSteps - 1));
  return layers.map((layer, l) => {
    const values = [...recent.map((h) => h.vaaStar[l]), vaaStar[l]];
    const recentMean = values.reduce((s, v) => s + v, 0) / values.length;
    const reached = vaaStar[l] >= threshold || history.some((h) => h.vaaStar[l] >= threshold);
    return { layer, vaaStar: vaaStar[l], recentMean, reached };
  });
}

/**
 * The per-layer verdict (see {@link WarmupLayerVerdict}): reached (some step's VAA\* ≥
 * threshold), held (the final weights' VAA\* at the full stabilisation length ≥ threshold),
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
    const reached = history.some((h) => h.vaaStar[l] >= threshold) || vaaStarAfter[l] >= threshold;
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
