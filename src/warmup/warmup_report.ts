/** What one warmup step did, passed to `onStep` and kept in the report. */
export interface WarmupStepInfo {
  /** Step index, from 0. */
  step: number;
  /** The stabilisation length T drawn for this step. */
  stabilisationSteps: number;
  /** VAA\* of each warmed layer this step (before the optimizer update), in layer order. */
  vaaStar: number[];
  /** The loss `mean_l (VAA*_l − target)²` of this step. */
  loss: number;
  /** Wall time of the step in milliseconds (forward, backward and update). */
  ms: number;
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
}
