/**
 * Layer benchmark cases: a pair of layers ("ours" and its baseline) fed the same input, and
 * the two measured workloads, forward and forward+backward.
 *
 *  - GRU vs tf.layers.gru, LSTM vs tf.layers.lstm: equal arguments (GRU `resetAfter: false`,
 *    both `recurrentActivation: 'sigmoid'`) and identical weights (`baseline.setWeights(
 *    ours.getWeights())`); the pair is checked to agree before it is timed.
 *  - BRC vs our GRU, nBRC vs our GRU: our GRU with its defaults (reset-after, sigmoid); each
 *    layer keeps its own initial weights (the cells differ, nothing to copy).
 *
 * All layers return the last output only (`returnSequences: false`).
 */
import * as tf from '@tensorflow/tfjs';
import { brc, gru, lstm, nbrc } from '../src/index';
import type { Job, JobPair, TimingPlan } from './timing';

export type Family = 'GRU' | 'LSTM' | 'BRC' | 'nBRC';
export const FAMILIES: readonly Family[] = ['GRU', 'LSTM', 'BRC', 'nBRC'];

export type Mode = 'forward' | 'forward+backward';
export const MODES: readonly Mode[] = ['forward', 'forward+backward'];

export interface Sizes {
  batch: number;
  time: number;
  features: number;
}

export interface CaseSpec {
  family: Family;
  units: number;
}

/** Largest absolute differences between ours and the baseline (identical-weight pairs only). */
export interface Agreement {
  output: number;
  gradients: number;
}

export interface LayerPair {
  spec: CaseSpec;
  oursName: string;
  baselineName: string;
  ours: tf.layers.Layer;
  baseline: tf.layers.Layer;
  /** The full input, `[batch, time, features]`. */
  x: tf.Tensor3D;
  /** The input, or its first `steps` steps (cached; freed by `dispose`). */
  input(steps: number | null): tf.Tensor3D;
  /**
   * Present when the two layers share weights and must compute the same function; measured on
   * the first {@link CHECK_STEPS} steps of the input.
   */
  agreement: Agreement | null;
  dispose(): void;
}

/** Length of the input prefix on which the identical-weight pairs are checked to agree. */
export const CHECK_STEPS = 10;

export function caseLabel(spec: CaseSpec): string {
  return `${spec.family} ${spec.units}u`;
}

export function caseList(unitsList: readonly number[]): CaseSpec[] {
  return unitsList.flatMap((units) => FAMILIES.map((family) => ({ family, units })));
}

/**
 * Recurrent initializer of the built-ins, whose weights are overwritten with ours anyway: their
 * default ('orthogonal', a QR decomposition in tfjs ops) takes minutes at 256 units on the cpu
 * backend (about 4 min for tf.layers.gru here) and would only slow the benchmark down.
 */
const CHEAP_INIT = 'glorotUniform';

export function makePair(spec: CaseSpec, sizes: Sizes, seed = 1): LayerPair {
  const { units } = spec;
  let ours: tf.layers.Layer;
  let baseline: tf.layers.Layer;
  let oursName: string;
  let baselineName: string;
  let shared = false;
  switch (spec.family) {
    case 'GRU':
      ours = gru({ units, resetAfter: false, recurrentActivation: 'sigmoid' });
      baseline = tf.layers.gru({ units, recurrentActivation: 'sigmoid', recurrentInitializer: CHEAP_INIT });
      oursName = 'gru (resetAfter: false)';
      baselineName = 'tf.layers.gru';
      shared = true;
      break;
    case 'LSTM':
      ours = lstm({ units, recurrentActivation: 'sigmoid' });
      baseline = tf.layers.lstm({ units, recurrentActivation: 'sigmoid', recurrentInitializer: CHEAP_INIT });
      oursName = 'lstm';
      baselineName = 'tf.layers.lstm';
      shared = true;
      break;
    case 'BRC':
      ours = brc({ units });
      baseline = gru({ units });
      oursName = 'brc';
      baselineName = 'our gru (defaults)';
      break;
    case 'nBRC':
      ours = nbrc({ units });
      baseline = gru({ units });
      oursName = 'nbrc';
      baselineName = 'our gru (defaults)';
      break;
  }
  const x = tf.randomNormal([sizes.batch, sizes.time, sizes.features], 0, 1, 'float32', seed) as tf.Tensor3D;
  const prefixes = new Map<number, tf.Tensor3D>();
  const input = (steps: number | null): tf.Tensor3D => {
    if (steps == null || steps >= sizes.time) return x;
    let prefix = prefixes.get(steps);
    if (prefix == null) {
      prefix = tf.slice(x, [0, 0, 0], [sizes.batch, steps, sizes.features]);
      prefixes.set(steps, prefix);
    }
    return prefix;
  };
  const probe = input(CHECK_STEPS);
  // Eager apply builds both layers; the outputs are thrown away.
  tf.dispose([ours.apply(probe) as tf.Tensor, baseline.apply(probe) as tf.Tensor]);
  let agreement: Agreement | null = null;
  if (shared) {
    const weights = ours.getWeights();
    baseline.setWeights(weights);
    agreement = measureAgreement(ours, baseline, probe);
  }
  return {
    spec,
    oursName,
    baselineName,
    ours,
    baseline,
    x,
    input,
    agreement,
    dispose() {
      x.dispose();
      tf.dispose([...prefixes.values()]);
      ours.dispose();
      baseline.dispose();
    },
  };
}

function trainableVariables(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => w.read() as tf.Variable);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function measureAgreement(ours: tf.layers.Layer, baseline: tf.layers.Layer, x: tf.Tensor3D): Agreement {
  const output = tf.tidy(() => maxAbsDiff(ours.apply(x) as tf.Tensor, baseline.apply(x) as tf.Tensor));
  const gradsOf = (layer: tf.layers.Layer) => {
    const vars = trainableVariables(layer);
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor), vars);
    value.dispose();
    return vars.map((v) => grads[v.name]);
  };
  const a = gradsOf(ours);
  const b = gradsOf(baseline);
  const gradients = Math.max(...a.map((g, i) => maxAbsDiff(g, b[i])));
  tf.dispose([...a, ...b]);
  return { output, gradients };
}

/**
 * Forward: `layer.apply(x)` inside `tf.tidy`, then a read of the (small, `[batch, units]`)
 * output to wait for the result.
 */
export function forwardJob(layer: tf.layers.Layer, x: tf.Tensor3D): Job {
  return async () => {
    const y = tf.tidy(() => layer.apply(x) as tf.Tensor);
    await y.data();
    y.dispose();
  };
}

/**
 * Forward+backward: `tf.variableGrads(() => tf.sum(layer.apply(x)), trainableVariables)`,
 * then a read of every gradient. No optimizer update (the weights stay as they are, so every
 * repetition does the same work).
 */
export function trainJob(layer: tf.layers.Layer, x: tf.Tensor3D): Job {
  const vars = trainableVariables(layer);
  return async () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, vars);
    const list = Object.values(grads);
    await Promise.all(list.map((g) => g.data()));
    tf.dispose([value, ...list]);
  };
}

export function jobFor(mode: Mode, layer: tf.layers.Layer, x: tf.Tensor3D): Job {
  return mode === 'forward' ? forwardJob(layer, x) : trainJob(layer, x);
}

/** The timed jobs of a pair in one mode, and their warm-up jobs (on a prefix if the plan says so). */
export function jobPair(pair: LayerPair, mode: Mode, plan: TimingPlan): JobPair {
  const warm = pair.input(plan.warmupSteps);
  return {
    ours: jobFor(mode, pair.ours, pair.x),
    baseline: jobFor(mode, pair.baseline, pair.x),
    oursWarmup: jobFor(mode, pair.ours, warm),
    baselineWarmup: jobFor(mode, pair.baseline, warm),
  };
}
