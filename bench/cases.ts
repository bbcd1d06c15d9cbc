/**
 * Layer benchmark cases: the layers a row of the report times, fed the same input, and the two
 * measured workloads, forward and forward+backward.
 *
 *  - GRU and LSTM rows time one layer of ours on two paths — the whole-sequence WebAssembly
 *    engine (`engine`) and the tfjs-op path (`ops`, forced with `setEngineMode('ops')`) — and
 *    `tf.layers.gru` / `tf.layers.lstm` (`builtin`) with equal arguments (GRU `resetAfter:
 *    false`, both `recurrentActivation: 'sigmoid'`) and identical weights
 *    (`builtin.setWeights(ours.getWeights())`); they are checked to agree before being timed.
 *  - BRC and nBRC rows time the layer against our GRU with its defaults (reset-after, sigmoid),
 *    both on the default path; each keeps its own initial weights (the cells differ).
 *
 * All layers return the last output only (`returnSequences: false`).
 */
import * as tf from '@tensorflow/tfjs';
import { brc, gru, lstm, nbrc } from '../src/index';
import { onMode, onPath, type Path } from './engine';
import type { Job, TimedJob, TimingPlan } from './timing';

export type Family = 'GRU' | 'LSTM' | 'BRC' | 'nBRC';

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
  /** Sequence length and input features of this row. */
  time: number;
  features: number;
}

/** The timed columns: our layer on the engine / on the op path, the tfjs built-in, our GRU. */
export type Column = 'engine' | 'ops' | 'builtin' | 'ours' | 'gru';

/** Largest absolute differences of outputs and weight gradients between two columns. */
export interface Agreement {
  output: number;
  gradients: number;
}

export interface ColumnLayer {
  column: Column;
  /** What the column is, for the table. */
  label: string;
  layer: tf.layers.Layer;
  /** The engine mode the column runs under (checked), or null for layers the switch ignores. */
  path: Path | null;
}

export interface LayerCase {
  spec: CaseSpec;
  columns: ColumnLayer[];
  /** The full input, `[batch, time, features]`. */
  x: tf.Tensor3D;
  /** The input, or its first `steps` steps (cached; freed by `dispose`). */
  input(steps: number | null): tf.Tensor3D;
  /** engine vs ops and engine vs builtin (GRU/LSTM rows; builtin only where it is built). */
  agreement: { ops: Agreement | null; builtin: Agreement | null };
  dispose(): void;
}

/** Length of the input prefix on which columns that share weights are checked to agree. */
export const CHECK_STEPS = 10;

export function caseLabel(spec: CaseSpec): string {
  return `${spec.family} ${spec.units}u`;
}

export const isEngineRow = (spec: CaseSpec): boolean => spec.family === 'GRU' || spec.family === 'LSTM';

/**
 * Recurrent initializer of the built-ins, whose weights are overwritten with ours anyway: their
 * default ('orthogonal', a QR decomposition in tfjs ops) takes minutes at 256 units on the cpu
 * backend (about 4 min for tf.layers.gru here) and would only slow the benchmark down.
 */
const CHEAP_INIT = 'glorotUniform';

/**
 * Builds the layers of a row. `withBuiltin: false` leaves the tfjs built-in out (the cpu backend
 * at large sizes, where one pass takes tens of seconds).
 */
export function makeCase(spec: CaseSpec, batch: number, withBuiltin: boolean, seed = 1): LayerCase {
  const { units } = spec;
  const columns: ColumnLayer[] = [];
  let ours: tf.layers.Layer;
  switch (spec.family) {
    case 'GRU':
    case 'LSTM': {
      const isGru = spec.family === 'GRU';
      ours = isGru
        ? gru({ units, resetAfter: false, recurrentActivation: 'sigmoid' })
        : lstm({ units, recurrentActivation: 'sigmoid' });
      const name = isGru ? 'gru (resetAfter: false)' : 'lstm';
      columns.push({ column: 'engine', label: `${name}, engine`, layer: ours, path: 'engine' });
      columns.push({ column: 'ops', label: `${name}, tfjs ops`, layer: ours, path: 'ops' });
      if (withBuiltin) {
        const builtin = isGru
          ? tf.layers.gru({ units, recurrentActivation: 'sigmoid', recurrentInitializer: CHEAP_INIT })
          : tf.layers.lstm({ units, recurrentActivation: 'sigmoid', recurrentInitializer: CHEAP_INIT });
        columns.push({
          column: 'builtin',
          label: isGru ? 'tf.layers.gru' : 'tf.layers.lstm',
          layer: builtin,
          path: null,
        });
      }
      break;
    }
    case 'BRC':
    case 'nBRC':
      ours = spec.family === 'BRC' ? brc({ units }) : nbrc({ units });
      columns.push({ column: 'ours', label: spec.family === 'BRC' ? 'brc' : 'nbrc', layer: ours, path: 'engine' });
      columns.push({ column: 'gru', label: 'our gru (defaults)', layer: gru({ units }), path: 'engine' });
      break;
  }
  const x = tf.randomNormal([batch, spec.time, spec.features], 0, 1, 'float32', seed) as tf.Tensor3D;
  const prefixes = new Map<number, tf.Tensor3D>();
  const input = (steps: number | null): tf.Tensor3D => {
    if (steps == null || steps >= spec.time) return x;
    let prefix = prefixes.get(steps);
    if (prefix == null) {
      prefix = tf.slice(x, [0, 0, 0], [batch, steps, spec.features]);
      prefixes.set(steps, prefix);
    }
    return prefix;
  };
  const probe = input(CHECK_STEPS);
  // Eager apply builds every layer; the outputs are thrown away.
  const distinct = [...new Set(columns.map((c) => c.layer))];
  tf.dispose(distinct.map((l) => l.apply(probe) as tf.Tensor));
  const agreement: LayerCase['agreement'] = { ops: null, builtin: null };
  if (isEngineRow(spec)) {
    const builtin = columns.find((c) => c.column === 'builtin');
    if (builtin != null) builtin.layer.setWeights(ours.getWeights());
    agreement.ops = measureAgreement(columns[0], columns[1], probe);
    if (builtin != null) agreement.builtin = measureAgreement(columns[0], builtin, probe);
  }
  return {
    spec,
    columns,
    x,
    input,
    agreement,
    dispose() {
      x.dispose();
      tf.dispose([...prefixes.values()]);
      for (const l of distinct) l.dispose();
    },
  };
}

function trainableVariables(layer: tf.layers.Layer): tf.Variable[] {
  return layer.trainableWeights.map((w) => w.read() as tf.Variable);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function measureAgreement(a: ColumnLayer, b: ColumnLayer, x: tf.Tensor3D): Agreement {
  const outputOf = (c: ColumnLayer) => onMode(c.path, () => c.layer.apply(x) as tf.Tensor);
  const ya = outputOf(a);
  const yb = outputOf(b);
  const output = maxAbsDiff(ya, yb);
  tf.dispose([ya, yb]);
  const gradsOf = (c: ColumnLayer) =>
    onMode(c.path, () => {
      const vars = trainableVariables(c.layer);
      const { value, grads } = tf.variableGrads(() => tf.sum(c.layer.apply(x) as tf.Tensor), vars);
      value.dispose();
      return vars.map((v) => grads[v.name]);
    });
  const ga = gradsOf(a);
  const gb = gradsOf(b);
  const gradients = Math.max(...ga.map((g, i) => maxAbsDiff(g, gb[i])));
  tf.dispose([...ga, ...gb]);
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

/** The timed job of every column in one mode, with its warm-up job (on a prefix if the plan says so). */
export function caseJobs(c: LayerCase, mode: Mode, plan: TimingPlan): Record<string, TimedJob> {
  const warm = c.input(plan.warmupSteps);
  const jobs: Record<string, TimedJob> = {};
  for (const col of c.columns) {
    const wrap = (job: Job): Job => (col.path == null ? job : onPath(col.path, job));
    jobs[col.column] = { run: wrap(jobFor(mode, col.layer, c.x)), warmup: wrap(jobFor(mode, col.layer, warm)) };
  }
  return jobs;
}
