import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';
import type { SequenceInput } from '../multistability/sequence_inputs';
import type { Seed } from '../utils/seeded_random';
import { checkInteger, checkOptions, checkSeed, describeValue } from '../utils/validate_options';

/**
 * The constant input u under which fixed points of `h ↦ F(h, u)` are sought: `'random'`
 * (u ~ N(0, I), drawn from `seed` exactly as `measureVaa` draws it, so the same seed gives the
 * same u), `'zero'`, or a given vector of the first recurrent layer's input size.
 */
export type ConstantInputChoice = 'random' | 'zero' | ArrayLike<number>;

/** Options of {@link findFixedPoints}. Exactly one of `inputs` and `startingStates` is required. */
export interface FindFixedPointsOptions {
  /**
   * Input sequences `[n, time, features]` (or a list of `[time_i, features]`): the model's inputs,
   * or the analysed layer's own input sequences. Starting states are drawn from them as warmup
   * and `measureVaa` draw them: the state after a random prefix `c_i ~ Uniform{1 … length_i}` of
   * each of `samples` sequences.
   */
  inputs?: SequenceInput;
  /** Starting states `[n, dimension]` given directly (instead of `inputs`). */
  startingStates?: tf.Tensor2D;
  /** Number of sequences drawn from `inputs` (at most their number). Default `min(32, n)`. */
  samples?: number;
  /** Standard deviation of Gaussian noise added to each starting state. Default 0. */
  noise?: number;
  /** The constant input u (see {@link ConstantInputChoice}). Default `'random'`. */
  input?: ConstantInputChoice;
  /** Seed of the draws (sequences, prefixes, u, noise). Default: random. */
  seed?: Seed;
  /** Most Adam iterations (FixedPointFinder's `max_iters`). Default 5 000. */
  maxIterations?: number;
  /** Adam's learning rate, multiplied by 0.7 every 500 iterations. Default 0.01. */
  learningRate?: number;
  /**
   * q below which a point is a fixed point, and below which optimisation of a point may stop
   * (FixedPointFinder's `tol_q` is 1e-12 in float64; float32 evaluation of F has a floor near
   * `dimension · 1e-14`). Default 1e-10.
   */
  tolerance?: number;
  /**
   * Optimisation may also stop once every q improves by less than this times the learning rate
   * per iteration (FixedPointFinder's `tol_dq`, 1e-20 there in float64; q in float32 stalls far
   * above that). Default 1e-12.
   */
  progressTolerance?: number;
  /** q up to which a point that is not fixed is kept as a *slow point*; above it, it is discarded. Default 1e-6. */
  slowTolerance?: number;
  /** Two points closer than this in every coordinate are one point (`tol_unique`). Default 1e-3. */
  uniqueTolerance?: number;
  /**
   * Points farther from the starting states' centroid than this many times the starting states'
   * mean distance to it are discarded (`outlier_distance_scale`). Default 10.
   */
  outlierDistanceScale?: number;
  /**
   * Steps of the map run from every starting state; the states reached are refined as extra
   * candidates, so attractors are found even where minimising q is too slow (flat landscapes of
   * strongly gated cells). 0 disables. Default 300.
   */
  trajectorySteps?: number;
  /** Newton steps that refine each candidate after Adam (each accepted only if it lowers q). Default 8. */
  newtonSteps?: number;
  /** Number of leading Jacobian modes (largest |λ|, with eigenvectors) reported per point. Default 3. */
  leadingModes?: number;
}

/** Defaults of {@link findFixedPoints}. */
export const FIXED_POINT_DEFAULTS = {
  samples: 32,
  noise: 0,
  input: 'random',
  maxIterations: 5000,
  learningRate: 0.01,
  tolerance: 1e-10,
  progressTolerance: 1e-12,
  slowTolerance: 1e-6,
  uniqueTolerance: 1e-3,
  outlierDistanceScale: 10,
  trajectorySteps: 300,
  newtonSteps: 8,
  leadingModes: 3,
} as const;

/** Options after validation, with defaults filled in (internal). */
export interface ResolvedFixedPointOptions {
  inputs: SequenceInput | null;
  startingStates: tf.Tensor2D | null;
  samples: number | null;
  noise: number;
  input: 'random' | 'zero' | Float32Array;
  seed: Seed | undefined;
  maxIterations: number;
  learningRate: number;
  tolerance: number;
  progressTolerance: number;
  slowTolerance: number;
  uniqueTolerance: number;
  outlierDistanceScale: number;
  trajectorySteps: number;
  newtonSteps: number;
  leadingModes: number;
}

export const FIXED_POINT_OPTION_NAMES: (keyof FindFixedPointsOptions)[] = [
  'inputs',
  'startingStates',
  'samples',
  'noise',
  'input',
  'seed',
  'maxIterations',
  'learningRate',
  'tolerance',
  'progressTolerance',
  'slowTolerance',
  'uniqueTolerance',
  'outlierDistanceScale',
  'trajectorySteps',
  'newtonSteps',
  'leadingModes',
];

/** Validates {@link FindFixedPointsOptions} (types and ranges; shapes are checked against the system later). */
export function resolveFixedPointOptions(
  fn: string,
  options: unknown,
  extraNames: string[] = [],
): ResolvedFixedPointOptions {
  const o = checkOptions<FindFixedPointsOptions & Record<string, unknown>>(fn, options ?? {}, [
    ...FIXED_POINT_OPTION_NAMES,
    ...extraNames,
  ]);
  const hasInputs = o.inputs !== undefined;
  const hasStates = o.startingStates !== undefined;
  if (hasInputs === hasStates) {
    throw new InvalidArgumentError(
      `${fn}: give exactly one of the options 'inputs' (sequences) and 'startingStates' (a [n, dimension] tensor).`,
    );
  }
  if (hasStates && !(o.startingStates instanceof tf.Tensor && o.startingStates.rank === 2)) {
    throw new InvalidArgumentError(
      `${fn}: option 'startingStates' must be a [n, dimension] tensor, received ${describeValue(o.startingStates)}.`,
    );
  }
  const positive = (name: keyof FindFixedPointsOptions, fallback: number, allowZero = false): number => {
    const v = o[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      throw new InvalidArgumentError(
        `${fn}: option '${name}' must be a ${allowZero ? 'non-negative' : 'positive'} finite number, received ${describeValue(v)}.`,
      );
    }
    return v;
  };
  const tolerance = positive('tolerance', FIXED_POINT_DEFAULTS.tolerance);
  const slowTolerance = positive('slowTolerance', FIXED_POINT_DEFAULTS.slowTolerance);
  if (slowTolerance < tolerance) {
    throw new InvalidArgumentError(
      `${fn}: option 'slowTolerance' (${slowTolerance}) must not be below 'tolerance' (${tolerance}).`,
    );
  }
  return {
    inputs: hasInputs ? (o.inputs as SequenceInput) : null,
    startingStates: hasStates ? (o.startingStates as tf.Tensor2D) : null,
    samples: o.samples === undefined ? null : checkInteger(fn, 'samples', o.samples, 1),
    noise: positive('noise', FIXED_POINT_DEFAULTS.noise, true),
    input: resolveInputChoice(fn, o.input),
    seed: checkSeed(fn, 'seed', o.seed),
    maxIterations:
      o.maxIterations === undefined
        ? FIXED_POINT_DEFAULTS.maxIterations
        : checkInteger(fn, 'maxIterations', o.maxIterations, 0),
    learningRate: positive('learningRate', FIXED_POINT_DEFAULTS.learningRate),
    tolerance,
    progressTolerance: positive('progressTolerance', FIXED_POINT_DEFAULTS.progressTolerance, true),
    slowTolerance,
    uniqueTolerance: positive('uniqueTolerance', FIXED_POINT_DEFAULTS.uniqueTolerance),
    outlierDistanceScale: positive('outlierDistanceScale', FIXED_POINT_DEFAULTS.outlierDistanceScale),
    trajectorySteps:
      o.trajectorySteps === undefined
        ? FIXED_POINT_DEFAULTS.trajectorySteps
        : checkInteger(fn, 'trajectorySteps', o.trajectorySteps, 0),
    newtonSteps:
      o.newtonSteps === undefined
        ? FIXED_POINT_DEFAULTS.newtonSteps
        : checkInteger(fn, 'newtonSteps', o.newtonSteps, 0),
    leadingModes:
      o.leadingModes === undefined
        ? FIXED_POINT_DEFAULTS.leadingModes
        : checkInteger(fn, 'leadingModes', o.leadingModes, 0),
  };
}

function resolveInputChoice(fn: string, value: unknown): 'random' | 'zero' | Float32Array {
  if (value === undefined) return FIXED_POINT_DEFAULTS.input;
  if (value === 'random' || value === 'zero') return value;
  const isList = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!isList) {
    throw new InvalidArgumentError(
      `${fn}: option 'input' must be 'random', 'zero' or an array of numbers, received ${describeValue(value)}.`,
    );
  }
  const vector = Float32Array.from(value as ArrayLike<number>);
  if (vector.some((v) => !Number.isFinite(v))) {
    throw new InvalidArgumentError(`${fn}: option 'input' contains NaN or ±Infinity.`);
  }
  return vector;
}
