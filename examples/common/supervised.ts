/**
 * Plain vs warmed-up supervised runs for the task examples (denoising, sequential MNIST), in
 * the demo's format: VAA at initialisation and after warmup, the validation metric before
 * training and after each epoch, the final test metric, warmup and training wall times.
 */
import * as tf from '@tensorflow/tfjs';
import { brc, doubleRNN, gru, lstm, measureVaa, nbrc, warmup } from '../../src/index';
import { formatDuration, formatVaa, summariseCurve } from '../demo/format';
import { hashSeed, mulberry32, shuffledIndices, withSeededMathRandom } from './random';
import { groupBy, mean } from './summary';

export const SUPERVISED_CELLS = ['gru', 'lstm', 'nbrc', 'brc'] as const;
export type SupervisedCell = (typeof SUPERVISED_CELLS)[number];
/** `none`: plain; `warmup`: the whole stack warmed up; `double`: double layers, only their first halves warmed up. */
export const SUPERVISED_VARIANTS = ['none', 'warmup', 'double'] as const;
export type SupervisedVariant = (typeof SUPERVISED_VARIANTS)[number];

/** How a task reads the network's output. */
export interface SupervisedTask {
  /** Task name, used in seeds and labels. */
  name: string;
  /** Input features per step. */
  features: number;
  /** Units of the dense head. */
  outputUnits: number;
  /** Whether the last recurrent layer returns every step (the head then runs on each step). */
  sequenceOutput: boolean;
  /** Training loss: a scalar mean over the batch. */
  loss: (y: tf.Tensor, prediction: tf.Tensor) => tf.Scalar;
  /** Name of the evaluation metric (e.g. `MSE`, `accuracy`). */
  metricName: string;
  /** Sum over the batch's examples of the per-example metric. */
  metricSum: (y: tf.Tensor, prediction: tf.Tensor) => tf.Scalar;
  /** Formats a metric value. */
  formatMetric: (value: number) => string;
  /** Axis of the metric's learning curves: `log` for errors, `linear` for accuracies. */
  metricScale: 'log' | 'linear';
  /** What a network that learned nothing scores, drawn as a reference line. */
  chanceLevel: { value: number; label: string };
}

/** The data of one seed (shared by every cell and variant of that seed). */
export interface SupervisedData {
  x: tf.Tensor3D;
  y: tf.Tensor;
  validX: tf.Tensor3D;
  validY: tf.Tensor;
  testX: tf.Tensor3D;
  testY: tf.Tensor;
}

export interface SupervisedRunSpec {
  cell: SupervisedCell;
  variant: SupervisedVariant;
  seed: number;
  units: number;
  warmupSteps: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Stabilisation length T of the VAA measurements; 0 = do not measure. */
  vaaSteps: number;
}

export interface SupervisedResult {
  cell: SupervisedCell;
  variant: SupervisedVariant;
  seed: number;
  vaaInit: number | null;
  vaaAfterWarmup: number | null;
  /** Validation metric before training (index 0) and after each epoch. */
  valMetric: number[];
  testMetric: number;
  warmupMs: number;
  trainMs: number;
}

export interface SupervisedProgress {
  phase: 'vaa-init' | 'warmup' | 'vaa-after' | 'train' | 'test';
  epoch?: number;
  metric?: number;
}

type RecurrentFactory = (args: {
  units: number;
  returnSequences?: boolean;
  inputShape?: [null, number];
}) => tf.layers.Layer;
const FACTORIES: Record<SupervisedCell, RecurrentFactory> = { gru, lstm, nbrc, brc };

/**
 * `recurrent(units, sequences) → recurrent(units) → dense(outputUnits)`, weights seeded by
 * (task, cell, seed): the `none` and `warmup` variants of a cell and seed start from the same
 * weights. The `double` variant uses `doubleRNN({ cell, units })` for both recurrent layers (two
 * halves of `units / 2`; warmup trains only the first), seeded separately.
 */
export function buildSupervisedModel(
  task: SupervisedTask,
  cell: SupervisedCell,
  units: number,
  seed: number,
  variant: SupervisedVariant = 'none',
): tf.Sequential {
  const make: RecurrentFactory = variant === 'double' ? (args) => doubleRNN({ cell, ...args }) : FACTORIES[cell];
  const family = variant === 'double' ? '/double' : '';
  return withSeededMathRandom(hashSeed(`${task.name}/${cell}${family}/${units}/${seed}`), () =>
    tf.sequential({
      layers: [
        make({ units, returnSequences: true, inputShape: [null, task.features] }),
        make({ units, returnSequences: task.sequenceOutput }),
        tf.layers.dense({ units: task.outputUnits }),
      ],
    }),
  );
}

/** The task's metric on `(x, y)`, in batches, without gradients. */
export async function evaluateMetric(
  task: SupervisedTask,
  model: tf.LayersModel,
  x: tf.Tensor3D,
  y: tf.Tensor,
  batchSize = 128,
): Promise<number> {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const part = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0, 0], [size, -1, -1]);
      const yb = tf.slice(y, start, size);
      return task.metricSum(yb, model.predict(xb) as tf.Tensor);
    });
    sum += (await part.data())[0];
    part.dispose();
  }
  return sum / n;
}

/** One run: VAA, warmup (variant `warmup`), training with Adam, test. */
export async function runSupervised(
  task: SupervisedTask,
  data: SupervisedData,
  spec: SupervisedRunSpec,
  onProgress?: (p: SupervisedProgress) => void,
): Promise<SupervisedResult> {
  const model = buildSupervisedModel(task, spec.cell, spec.units, spec.seed, spec.variant);
  const n = data.x.shape[0];
  const result: SupervisedResult = {
    cell: spec.cell,
    variant: spec.variant,
    seed: spec.seed,
    vaaInit: null,
    vaaAfterWarmup: null,
    valMetric: [],
    testMetric: NaN,
    warmupMs: 0,
    trainMs: 0,
  };
  const optimizer = tf.train.adam(spec.learningRate);
  try {
    const vaaOptions = { samples: Math.min(32, n), steps: spec.vaaSteps, seed: spec.seed };
    if (spec.vaaSteps > 0) {
      onProgress?.({ phase: 'vaa-init' });
      result.vaaInit = await measureVaa(model, data.x, vaaOptions);
    }
    if (spec.variant !== 'none') {
      onProgress?.({ phase: 'warmup' });
      const started = performance.now();
      await warmup(model, data.x, { steps: spec.warmupSteps, batchSize: Math.min(32, n), seed: spec.seed });
      result.warmupMs = performance.now() - started;
      if (spec.vaaSteps > 0) {
        onProgress?.({ phase: 'vaa-after' });
        result.vaaAfterWarmup = await measureVaa(model, data.x, vaaOptions);
      }
    }
    const started = performance.now();
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const random = mulberry32(hashSeed(`${task.name}/shuffle/${spec.seed}`));
    const batches = Math.ceil(n / spec.batchSize);
    result.valMetric.push(await evaluateMetric(task, model, data.validX, data.validY));
    for (let epoch = 1; epoch <= spec.epochs; epoch++) {
      const order = shuffledIndices(n, random);
      for (let b = 0; b < batches; b++) {
        const indices = order.subarray(b * spec.batchSize, Math.min(n, (b + 1) * spec.batchSize));
        tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const xb = tf.gather(data.x, index);
          const yb = tf.gather(data.y, index);
          optimizer.minimize(() => task.loss(yb, model.apply(xb, { training: true }) as tf.Tensor), false, variables);
        });
        if (b % 8 === 7) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const metric = await evaluateMetric(task, model, data.validX, data.validY);
      if (!Number.isFinite(metric))
        throw new Error(`${task.name}: validation ${task.metricName} is ${metric} after epoch ${epoch}.`);
      result.valMetric.push(metric);
      onProgress?.({ phase: 'train', epoch, metric });
    }
    result.trainMs = performance.now() - started;
    onProgress?.({ phase: 'test' });
    result.testMetric = await evaluateMetric(task, model, data.testX, data.testY);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return result;
}

export function resultHeaders(task: SupervisedTask): string[] {
  return [
    'cell',
    'variant',
    'seed',
    'VAA init',
    'VAA warmed',
    `val ${task.metricName} (start → ¼ → ½ → ¾ → end)`,
    `test ${task.metricName}`,
    'warmup',
    'training',
  ];
}

export function resultRows(task: SupervisedTask, results: readonly SupervisedResult[]): string[][] {
  return results.map((r) => [
    r.cell,
    r.variant,
    String(r.seed),
    formatVaa(r.vaaInit),
    formatVaa(r.vaaAfterWarmup),
    summariseCurve(r.valMetric, task.formatMetric),
    task.formatMetric(r.testMetric),
    r.variant === 'none' ? '–' : formatDuration(r.warmupMs),
    formatDuration(r.trainMs),
  ]);
}

export function summaryHeaders(task: SupervisedTask): string[] {
  return [
    'cell',
    'variant',
    'seeds',
    'mean VAA init',
    'mean VAA warmed',
    `test ${task.metricName} per seed`,
    `mean test ${task.metricName}`,
    'mean warmup',
    'mean training',
  ];
}

/** One row per (cell, variant), in the order they first appear. */
export function summaryRows(task: SupervisedTask, results: readonly SupervisedResult[]): string[][] {
  return groupBy(results, (r) => `${r.cell}/${r.variant}`).map((runs) => {
    const init = runs.map((r) => r.vaaInit).filter((v): v is number => v != null);
    const warmed = runs.map((r) => r.vaaAfterWarmup).filter((v): v is number => v != null);
    return [
      runs[0].cell,
      runs[0].variant,
      String(runs.length),
      init.length === 0 ? '–' : formatVaa(mean(init)),
      warmed.length === 0 ? '–' : formatVaa(mean(warmed)),
      runs.map((r) => task.formatMetric(r.testMetric)).join(', '),
      task.formatMetric(mean(runs.map((r) => r.testMetric))),
      runs[0].variant === 'none' ? '–' : formatDuration(mean(runs.map((r) => r.warmupMs))),
      formatDuration(mean(runs.map((r) => r.trainMs))),
    ];
  });
}
