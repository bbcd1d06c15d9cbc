/** What one warmup step did, passed to `onStep` and kept in the report. */
export interface WarmupStepInfo {
  /** Step index, from 0. */
  step: number;
  /** The stabilisation length T drawn for this step. */
  stabilisationSteps: number;
  /** VAA\* of each warmed layer this step (before the optimizer update), in layer order. */
  vaaStar: number[];
  /**
   * The loss `mean_l (VAA*_l − target)²` of this step (with `mode: 'robust'`, collapsed
   * layers' terms include their escape term `min(λ_l + 0.2, 0)²`).
   */
  loss: number;
  /** Wall time of the step in milliseconds (forward, backward and update). */
  ms: number;
  /** The same figures per warmed layer, with how it is doing so far (see {@link WarmupLayerProgress}). */
  perLayer: WarmupLayerProgress[];
}

/** How one warmed layer is doing after a step (part of {@link WarmupStepInfo}). */
export interface WarmupLayerProgress {
  /** Layer name. */
  layer: string;
  /** VAA\* of the layer this step (before the optimizer update). */
  vaaStar: number;
  /**
   * Stabilisation length the layer ran this step: the step's T, or with
   * `mode: 'robust'` the layer's own (adaptive) length.
   */
  stabilisationSteps: number;
  /**
   * Steps the layer's states ran without gradients before its stabilisation length this step:
   * the burn-in of `mode: 'robust'`'s slow-point remedy (see `WarmupOptions.mode`); 0 in
   * `'paper'` and for layers not found merging at 2 000 steps.
   */
  burnInSteps: number;
  /** Mean VAA\* over the last 10 steps (fewer at the start), this one included. */
  recentMean: number;
  /**
   * Whether the layer has reached `target − verdictTolerance`: the mean VAA\* over 10
   * consecutive steps, ending at or after the step where the stabilisation length stops
   * growing (step 20 with the defaults; shorter stabilisations give a high VAA\* before any
   * warmup), was at least that.
   */
  reached: boolean;
}

/**
 * Whether warmup did its job on one layer (part of {@link WarmupReport}). With
 * `threshold = target − verdictTolerance` (0.8 by default):
 *
 * - `reached`: during warmup, the mean VAA\* over 10 consecutive steps once the stabilisation
 *   length stopped growing (see {@link WarmupLayerProgress.reached}), or the final weights'
 *   VAA\*, was ≥ threshold;
 * - `held`: the final weights' VAA\* at the full stabilisation length (`vaaStarAfter`, a mean
 *   over 2 fixed evaluation draws) is ≥ threshold;
 * - `multistable`: the exact VAA of the layer at `verdictHorizon` steps (`vaaAfter`) is
 *   ≥ threshold, i.e. most final states are still distinct after a long time, not slow points
 *   drifting together (`null` when `verdictHorizon` is 0);
 * - `ok`: held, and not found monostable at the horizon.
 */
export interface WarmupLayerVerdict {
  layer: string;
  reached: boolean;
  held: boolean;
  multistable: boolean | null;
  ok: boolean;
  /** Mean VAA\* over the last 10 steps (`null` when no step ran). */
  recentMean: number | null;
  /**
   * VAA\* at the full stabilisation length before and after warmup, the mean over 2 fixed
   * evaluation draws (batch of `batchSize` sequences, prefixes, constant input): with few input
   * features one constant input can make a layer look multistable or monostable on its own.
   */
  vaaStarBefore: number;
  vaaStarAfter: number;
  /**
   * Exact VAA of this layer alone (its own sampled starting states and constant input, as in
   * warmup) after `verdictHorizon` steps, before and after warmup, the mean over the same 2
   * draws; `null` when skipped.
   */
  vaaBefore: number | null;
  vaaAfter: number | null;
}

/** The result of {@link warmup}. */
export interface WarmupReport {
  /** Names of the warmed layers, in model order. */
  layers: string[];
  /** One entry per completed step. */
  history: WarmupStepInfo[];
  /**
   * VAA\* of each warmed layer before the first step and after the last, measured on the same
   * fixed batch, prefixes and constant inputs at the maximum stabilisation length.
   */
  vaaStarBefore: number[];
  vaaStarAfter: number[];
  /** Steps completed (fewer than requested when aborted). */
  stepsCompleted: number;
  /** Whether `signal` stopped warmup early. */
  aborted: boolean;
  /** Total wall time in milliseconds, including the before/after measurements. */
  durationMs: number;
  /**
   * Whether warmup did its job: every warmed layer's verdict is `ok` (its VAA\* at the full
   * stabilisation length is near the target and, unless `verdictHorizon` is 0, its VAA at the
   * long horizon is too). `false` tells you the model is not (or not reliably) multistable:
   * check `verdict` and see the guide (docs/warmup-on-your-model.md) for what to try.
   */
  ok: boolean;
  /** Per warmed layer, in `layers` order: reached, held, multistable, and the figures behind them. */
  verdict: WarmupLayerVerdict[];
  /** The horizon the verdict's VAA was measured at (0: not measured). */
  verdictHorizon: number;
  /** Wall time of the verdict's measurements (VAA\* and VAA on its evaluation draws, before and after), in milliseconds. */
  verdictMs: number;
  /**
   * With `restoreBest`: the step whose weights were kept (−1: the weights from before
   * warmup, when no step beat them); `null` otherwise.
   */
  restoredStep: number | null;
}
