import type * as tf from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors';
import type { Seed } from '../utils/seeded_random';
import {
  checkBoolean,
  checkFiniteNumber,
  checkInteger,
  checkOptions,
  checkSeed,
  describeValue,
} from '../utils/validate_options';
import type { WarmupStepInfo } from './warmup_report';

/**
 * Options of {@link warmup}. Every default is the paper's (see the
 * [method guide](../../docs/method.md#warmup-algorithm)).
 */
export interface WarmupOptions {
  /**
   * Number of gradient steps. Default 100. BRC layers need about 1 000 with `mode: 'robust'`:
   * measured, 29 of 30 2×16 BRC stacks ended multistable with 1 000 steps, 4 of 40 with 100
   * (docs/results.md, "The collapse escape per cell").
   */
  steps?: number;
  /**
   * Learning rate of the default Adam optimizer. Default 1e-2 (`mode: 'robust'`: 5e-2). Not
   * allowed with `optimizer`.
   */
  learningRate?: number;
  /** Sequences per step; at most the number of input sequences. Default 32. */
  batchSize?: number;
  /** The VAA\* each layer is pushed to: the loss is `mean_l (VAA*_l − target)²`. In (0, 1]. Default 0.95. */
  target?: number;
  /** ε of VAA\* (see the [method guide](../../docs/method.md#vaa-star)). Default 1e-4. */
  epsilon?: number;
  /**
   * Growth of the stabilisation length: at step k, `T ~ Uniform{1 … T_max}` with
   * `T_max = min(1 + stabilisationIncrement·k, stabilisationMax)`. Default 10.
   */
  stabilisationIncrement?: number;
  /** Upper bound of the stabilisation length T_max. Default 200. */
  stabilisationMax?: number;
  /**
   * Seed of every random draw (batches, prefix lengths, stabilisation lengths, constant
   * inputs): the same seed on the same backend gives the same result. Default: random.
   */
  seed?: Seed;
  /**
   * Optimizer to use instead of `Adam(learningRate)`. After a successful warmup it keeps the
   * state warmup gave it (step count, moments). When warmup fails and rolls the weights back,
   * its state is put back too, through `getWeights`/`setWeights` (every `tf.train` optimizer of
   * tfjs 4.22 except `adamax`, whose state cannot be saved and is then left as warmup left it).
   * tfjs optimizers match accumulators to variables by position: do not reuse one across
   * `warmup` and `fit` (they update different sets of variables).
   */
  optimizer?: tf.Optimizer;
  /** Called after each step with its figures; may return a promise, which is awaited. */
  onStep?: (info: WarmupStepInfo) => void | Promise<void>;
  /** Stops cleanly after the current step; the weights of the last completed step are kept. */
  signal?: AbortSignal;
  /**
   * Which recurrent layers to warm up (names or layer objects). Default: every warmup-capable
   * layer of the model. Recurrent layers not listed keep their weights, and so do recurrent
   * layers warmup cannot drive (`tf.layers.bidirectional`, `tf.layers.rnn`, wrappers and nested
   * models around a recurrent layer), which cannot be listed.
   */
  layers?: Array<string | layers.Layer>;
  /**
   * Keep the best weights instead of the last ones: after every step from the one where the
   * stabilisation length reaches `stabilisationMax`, measure each layer's VAA\* at that full
   * length on the verdict's fixed evaluation draws (the mean over 2 draws, each with its own
   * constant input), and at the end restore the weights whose
   * `mean_l (VAA*_l − target)²` was lowest (the weights from before warmup count too). Costs
   * one forward evaluation per step (≈ 35–45 % more time). Measured on 2×16 LSTM, GRU and
   * nBRC over 5 seeds each it gave no higher VAA than the default; on LSTM learning at
   * copy-first-input L = 100 it learned on 4 of 4 seeds against the default's 3 (4 seeds: a hint) (docs/results.md, "Warmup modes and the
   * verdict"); see the guide (docs/warmup-on-your-model.md, "Modes") for when to use it.
   * Default false (the paper's algorithm keeps the last weights).
   */
  restoreBest?: boolean;
  /**
   * Which warmup algorithm runs.
   *
   * - `'paper'` (default): the paper's algorithm, as described above.
   * - `'robust'`: the paper's loss and schedule with remedies for the two ways its warmup
   *   fails. **Collapsed layers** (final states all within ε of each other, VAA\* < 2/n),
   *   where VAA\*'s gradient is exactly zero so the paper's warmup cannot push them out: an
   *   **adaptive horizon** (each layer has its own cap on the stabilisation length, halved
   *   below the length at which it collapsed and grown back by `stabilisationIncrement` per
   *   step once its VAA\* reaches `target − verdictTolerance`, so a collapsed layer trains
   *   where it still has a gradient); an **escape term** (the next step adds
   *   `min(λ + 0.2, 0)²` to that layer's loss, λ being the mean log growth per step of small
   *   perturbations of its final states over 10 steps, which has a gradient where VAA\* has
   *   none and pushes the layer out of strong contraction; on GRU and LSTM layers, see
   *   {@link WarmupOptions.collapseEscape}); and a default learning rate of 5e-2 instead of
   *   1e-2 (at 1e-2 the two remedies helped little; measured). **Slow points** (states still
   *   distinct after `stabilisationMax` steps that merge later): every 10 steps once the
   *   stabilisation length is full, a **probe** measures each layer's exact VAA after 2 000
   *   steps of constant input on the verdict's evaluation draws (no gradient); a layer at the
   *   threshold at `stabilisationMax` steps but below it at 2 000 gets a **burn-in**: on the
   *   following steps its states first run `stabilisationMax` steps of the step's constant
   *   input without gradients (twice as many after each further such probe, up to 2 000;
   *   halved when the layer collapses, dropped below `stabilisationMax`), then the step's
   *   stabilisation length with gradients, so the loss pushes the states apart where they
   *   have drifted to (`info.perLayer[l].burnInSteps`). With the same learning rate, a layer
   *   that never collapses and is never found merging at 2 000 steps trains exactly as in
   *   `'paper'`. Costs up to 10 extra stabilisation steps per collapsed layer and step, the
   *   probes (8 runs of 2 000 steps of each layer on 2 × `batchSize` states, without
   *   gradients) and the burn-ins. Measured on 2-layer models, stack VAA ≥ 0.5 at 2 000 and
   *   10 000 steps, figures per cell and seed range in docs/results.md ("Warmup modes and the
   *   verdict", "Slow points"); when to use it: the guide (docs/warmup-on-your-model.md,
   *   "Modes").
   */
  mode?: WarmupMode;
  /**
   * Whether `mode: 'robust'` adds its collapse escape term (see {@link WarmupOptions.mode}) to
   * a collapsed layer's loss. Default: each layer's own choice
   * ({@link WarmupCapable.warmupCollapseEscape}): on for GRU and LSTM layers, whose warmup
   * fails by collapsing to one equilibrium, off for BRC and nBRC, whose failures are slow
   * points (measured on 2-layer models over 40 seeds: docs/results.md, "The collapse escape
   * per cell"). Only with `mode: 'robust'`.
   */
  collapseEscape?: boolean;
  /**
   * Long horizon (stabilisation steps) at which the verdict measures each warmed layer's exact
   * VAA before and after warmup, to expose slow points that VAA\* at ≤ `stabilisationMax` steps
   * takes for attractors. 0 skips that measurement (the verdict then judges VAA\* alone).
   * Default 2000.
   */
  verdictHorizon?: number;
  /**
   * A layer's verdict counts VAA\* (and VAA) as at the target when ≥ `target − verdictTolerance`.
   * In [0, target). Default 0.15 (0.8 with the default target).
   */
  verdictTolerance?: number;
}

/** Values of {@link WarmupOptions.mode}. */
export type WarmupMode = 'paper' | 'robust';

const MODES: readonly WarmupMode[] = ['paper', 'robust'];

/** {@link WarmupOptions} with defaults applied. */
export interface ResolvedWarmupOptions {
  steps: number;
  learningRate: number;
  batchSize: number;
  target: number;
  epsilon: number;
  stabilisationIncrement: number;
  stabilisationMax: number;
  seed: Seed | undefined;
  optimizer: tf.Optimizer | undefined;
  onStep: ((info: WarmupStepInfo) => void | Promise<void>) | undefined;
  signal: AbortSignal | undefined;
  layers: Array<string | layers.Layer> | undefined;
  restoreBest: boolean;
  mode: WarmupMode;
  collapseEscape: boolean | undefined;
  verdictHorizon: number;
  verdictTolerance: number;
}

/** The paper's defaults (see the [method guide](../../docs/method.md#warmup-algorithm)). */
export const WARMUP_DEFAULTS = Object.freeze({
  steps: 100,
  learningRate: 1e-2,
  /** The default learning rate of `mode: 'robust'` (measured: docs/results.md). */
  robustLearningRate: 5e-2,
  batchSize: 32,
  target: 0.95,
  epsilon: 1e-4,
  stabilisationIncrement: 10,
  stabilisationMax: 200,
  restoreBest: false,
  mode: 'paper' as WarmupMode,
  verdictHorizon: 2000,
  verdictTolerance: 0.15,
});

const OPTION_NAMES: (keyof WarmupOptions)[] = [
  'steps',
  'learningRate',
  'batchSize',
  'target',
  'epsilon',
  'stabilisationIncrement',
  'stabilisationMax',
  'seed',
  'optimizer',
  'onStep',
  'signal',
  'layers',
  'restoreBest',
  'mode',
  'collapseEscape',
  'verdictHorizon',
  'verdictTolerance',
];

/**
 * Checks every option (unknown names included) and applies the defaults. Throws
 * {@link InvalidArgumentError} naming the option.
 */
export function resolveWarmupOptions(options: unknown): ResolvedWarmupOptions {
  const fn = 'warmup';
  const o = checkOptions<WarmupOptions>(fn, options ?? {}, OPTION_NAMES);
  const positive = (name: keyof WarmupOptions, value: unknown, fallback: number): number => {
    if (value === undefined) return fallback;
    const v = checkFiniteNumber(fn, name, value);
    if (v <= 0) throw new InvalidArgumentError(`${fn}: option '${name}' must be > 0, received ${v}.`);
    return v;
  };
  const integer = (name: keyof WarmupOptions, value: unknown, fallback: number, min: number): number =>
    value === undefined ? fallback : checkInteger(fn, name, value, min);

  if (o.optimizer !== undefined && o.learningRate !== undefined) {
    throw new InvalidArgumentError(
      `${fn}: pass either 'optimizer' or 'learningRate', not both (learningRate configures the default Adam).`,
    );
  }
  if (
    o.optimizer !== undefined &&
    (typeof o.optimizer !== 'object' ||
      o.optimizer === null ||
      typeof (o.optimizer as tf.Optimizer).computeGradients !== 'function' ||
      typeof (o.optimizer as tf.Optimizer).applyGradients !== 'function')
  ) {
    throw new InvalidArgumentError(
      `${fn}: option 'optimizer' must be a tf.Optimizer, received ${describeValue(o.optimizer)}.`,
    );
  }
  if (o.onStep !== undefined && typeof o.onStep !== 'function') {
    throw new InvalidArgumentError(`${fn}: option 'onStep' must be a function, received ${describeValue(o.onStep)}.`);
  }
  if (
    o.signal !== undefined &&
    (typeof o.signal !== 'object' || o.signal === null || typeof o.signal.aborted !== 'boolean')
  ) {
    throw new InvalidArgumentError(
      `${fn}: option 'signal' must be an AbortSignal, received ${describeValue(o.signal)}.`,
    );
  }
  if (o.layers !== undefined && (!Array.isArray(o.layers) || o.layers.length === 0)) {
    throw new InvalidArgumentError(
      `${fn}: option 'layers' must be a non-empty array of layer names or layers, received ${describeValue(o.layers)}.`,
    );
  }
  const target = positive('target', o.target, WARMUP_DEFAULTS.target);
  if (target > 1) throw new InvalidArgumentError(`${fn}: option 'target' must be in (0, 1], received ${target}.`);
  const stabilisationMax = integer('stabilisationMax', o.stabilisationMax, WARMUP_DEFAULTS.stabilisationMax, 1);
  const restoreBest =
    o.restoreBest === undefined ? WARMUP_DEFAULTS.restoreBest : checkBoolean(fn, 'restoreBest', o.restoreBest);
  if (o.mode !== undefined && !MODES.includes(o.mode)) {
    throw new InvalidArgumentError(
      `${fn}: option 'mode' must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, received ${describeValue(o.mode)}.`,
    );
  }
  if (o.collapseEscape !== undefined && o.mode !== 'robust') {
    throw new InvalidArgumentError(
      `${fn}: option 'collapseEscape' applies only to mode 'robust' (received mode ${describeValue(o.mode ?? WARMUP_DEFAULTS.mode)}).`,
    );
  }
  const collapseEscape =
    o.collapseEscape === undefined ? undefined : checkBoolean(fn, 'collapseEscape', o.collapseEscape);
  const verdictHorizon = integer('verdictHorizon', o.verdictHorizon, WARMUP_DEFAULTS.verdictHorizon, 0);
  const verdictTolerance =
    o.verdictTolerance === undefined
      ? WARMUP_DEFAULTS.verdictTolerance
      : checkFiniteNumber(fn, 'verdictTolerance', o.verdictTolerance);
  if (verdictTolerance < 0 || verdictTolerance >= target) {
    throw new InvalidArgumentError(
      `${fn}: option 'verdictTolerance' must be in [0, target) = [0, ${target}), received ${verdictTolerance}.`,
    );
  }
  return {
    steps: integer('steps', o.steps, WARMUP_DEFAULTS.steps, 1),
    learningRate: positive(
      'learningRate',
      o.learningRate,
      o.mode === 'robust' ? WARMUP_DEFAULTS.robustLearningRate : WARMUP_DEFAULTS.learningRate,
    ),
    batchSize: integer('batchSize', o.batchSize, WARMUP_DEFAULTS.batchSize, 2),
    target,
    epsilon: positive('epsilon', o.epsilon, WARMUP_DEFAULTS.epsilon),
    stabilisationIncrement: integer(
      'stabilisationIncrement',
      o.stabilisationIncrement,
      WARMUP_DEFAULTS.stabilisationIncrement,
      0,
    ),
    stabilisationMax,
    seed: checkSeed(fn, 'seed', o.seed),
    optimizer: o.optimizer,
    onStep: o.onStep,
    signal: o.signal,
    layers: o.layers,
    restoreBest,
    mode: o.mode ?? WARMUP_DEFAULTS.mode,
    collapseEscape,
    verdictHorizon,
    verdictTolerance,
  };
}
