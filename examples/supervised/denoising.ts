/**
 * The denoising example (docs/method.md#denoising): options, data and task definition; the CLI
 * is examples/denoising.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { DENOISING_DEFAULTS, denoising } from '../../src/tasks/index';
import * as cli from '../common/cli';
import type { SupervisedData, SupervisedTask } from '../common/supervised';
import {
  resolveSupervised,
  supervisedSetters,
  supervisedUsage,
  type SupervisedOptions,
} from '../common/supervised_args';
import { formatMse } from '../demo/format';

export interface DenoisingOptions extends SupervisedOptions {
  /** Sequence length L. */
  length: number;
}

export const DENOISING_DEFAULT_OPTIONS: Readonly<DenoisingOptions> = Object.freeze({
  cells: ['gru'],
  variants: ['none', 'warmup'],
  seeds: [0],
  length: 100,
  units: 32,
  warmupSteps: 100,
  epochs: 10,
  trainSamples: 1024,
  validSamples: 256,
  testSamples: 512,
  batchSize: 32,
  learningRate: 1e-3,
  vaaSteps: 2000,
  backend: 'wasm',
  out: 'example-reports/denoising',
  quick: false,
}) as Readonly<DenoisingOptions>;

export const DENOISING_QUICK_OPTIONS: Readonly<DenoisingOptions> = Object.freeze({
  ...DENOISING_DEFAULT_OPTIONS,
  length: 15,
  units: 4,
  warmupSteps: 2,
  epochs: 1,
  trainSamples: 32,
  validSamples: 16,
  testSamples: 16,
  batchSize: 16,
  vaaSteps: 20,
  out: 'example-reports/denoising-quick',
  quick: true,
}) as Readonly<DenoisingOptions>;

export const DENOISING_USAGE = `Usage: npm run example:denoising -- [options]

Denoising (docs/method.md#denoising): output, at the last ${DENOISING_DEFAULTS.marked} steps, the ${DENOISING_DEFAULTS.marked} noise values marked earlier in the
sequence. Plain vs warmed-up two-layer recurrent networks (same initial weights), MSE loss,
Adam; prints VAA before/after warmup, validation MSE per epoch, test MSE and wall times.
Predicting 0 gives MSE ≈ 1.

  --length N            sequence length L ≥ ${DENOISING_DEFAULTS.pad + DENOISING_DEFAULTS.marked} (default ${DENOISING_DEFAULT_OPTIONS.length})
${supervisedUsage(DENOISING_DEFAULT_OPTIONS)}`;

export function parseDenoisingArgs(
  argv: readonly string[],
): { help: true } | { help: false; options: DenoisingOptions } {
  const setters: Record<string, cli.Setter<DenoisingOptions>> = {
    ...supervisedSetters<DenoisingOptions>(),
    '--length': (o, v, f) => {
      o.length = cli.integer(f, v, DENOISING_DEFAULTS.pad + DENOISING_DEFAULTS.marked);
    },
  };
  const parsed = cli.parseArgv<DenoisingOptions>(argv, { usage: DENOISING_USAGE, setters });
  if (parsed.help) return parsed;
  const base = parsed.quick ? DENOISING_QUICK_OPTIONS : DENOISING_DEFAULT_OPTIONS;
  return { help: false, options: resolveSupervised(base, parsed.explicit, parsed.quick, DENOISING_USAGE) };
}

/** Reads the last `marked` steps of the `[n, L, 1]` output as `[n, marked]`. */
function readout(prediction: tf.Tensor): tf.Tensor2D {
  const [n, L] = prediction.shape;
  const marked = DENOISING_DEFAULTS.marked;
  return tf.reshape(tf.slice(prediction, [0, L - marked, 0], [n, marked, 1]), [n, marked]);
}

export const DENOISING_TASK: SupervisedTask = {
  name: 'denoising',
  features: 2,
  outputUnits: 1,
  sequenceOutput: true,
  loss: (y, prediction) => tf.losses.meanSquaredError(y, readout(prediction)) as tf.Scalar,
  metricName: 'MSE',
  metricSum: (y, prediction) =>
    tf.div(tf.sum(tf.squaredDifference(readout(prediction), y)), DENOISING_DEFAULTS.marked) as tf.Scalar,
  formatMetric: formatMse,
  metricScale: 'log',
  chanceLevel: { value: 1, label: 'MSE 1 = predicting 0 (learned nothing)' },
};

/** Training, validation and test sets from different seeds (shared by all cells and variants). */
export function denoisingData(
  options: Pick<DenoisingOptions, 'length' | 'trainSamples' | 'validSamples' | 'testSamples'>,
  seed: number,
): SupervisedData {
  const make = (samples: number, split: string) =>
    denoising({ samples, length: options.length, seed: `denoising/${split}/${seed}` });
  const train = make(options.trainSamples, 'train');
  const valid = make(options.validSamples, 'valid');
  const test = make(options.testSamples, 'test');
  return {
    x: train.inputs,
    y: train.targets,
    validX: valid.inputs,
    validY: valid.targets,
    testX: test.inputs,
    testY: test.targets,
  };
}
