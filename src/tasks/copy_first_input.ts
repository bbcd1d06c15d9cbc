import * as tf from '@tensorflow/tfjs-core';
import type { Seed } from '../utils/seeded_random';
import { checkInteger, checkOptions, checkSeed, rngFromSeedOption } from '../utils/validate_options';
import { checkTensorSize } from './tensor_size';

/** Options of {@link copyFirstInput}. */
export interface CopyFirstInputOptions {
  /** Number of sequences (≥ 1). Required. */
  samples: number;
  /** Sequence length L (≥ 1; the paper uses 100 … 600). Required. */
  length: number;
  /**
   * Seed (safe integer or string). The same seed gives the same data on every platform and
   * backend; sample `i` is the same whatever `samples` is (generating 10 samples gives the first
   * 10 of 1000). Default: a fresh random seed, so that two calls without a seed (for example a
   * training and a test set) differ.
   */
  seed?: Seed;
}

/** A generated regression data set. Dispose both tensors when done (`tf.dispose(data)`; a type alias, not an interface, so that it is a `tf.TensorContainer`). */
export type CopyFirstInputData = {
  /** `[samples, length, 1]` float32, every value drawn from N(0, 1). */
  inputs: tf.Tensor3D;
  /** `[samples, 1]` float32: the first input of each sequence, `inputs[:, 0, :]`, exactly. */
  targets: tf.Tensor2D;
};

const OPTION_NAMES = ['samples', 'length', 'seed'] as const;

/**
 * The *copy first input* benchmark ([method guide](../../docs/method.md#copy-first-input);
 * Lambrechts et al. 2023, arXiv 2106.01001): one feature `x_t ~ N(0, 1)` for `t = 1 … L`, and
 * the target, read only at the last step, is `x_1`. Predicting 0 gives MSE ≈ 1, so MSE ≈ 1
 * means "learned nothing".
 *
 * Values are drawn sample by sample, in time order, from one seeded stream (`SeededRandom`)
 * (Box–Muller normals), then stored as float32; the target is the very same float32 value as
 * `inputs[i, 0, 0]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { copyFirstInput } from 'tfjs-warmup-rnn/tasks';
 *
 * const { inputs, targets } = copyFirstInput({ samples: 1024, length: 300, seed: 1 });
 * const model = tf.sequential({ layers: [
 *   tf.layers.gru({ units: 32, returnSequences: true, inputShape: [300, 1] }),
 *   tf.layers.gru({ units: 32 }),
 *   tf.layers.dense({ units: 1 }),
 * ]});
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
 * await model.fit(inputs, targets, { batchSize: 32, epochs: 1 });
 * tf.dispose([inputs, targets]);
 * ```
 */
export function copyFirstInput(options: CopyFirstInputOptions): CopyFirstInputData {
  const fn = 'copyFirstInput';
  const opts = checkOptions<CopyFirstInputOptions>(fn, options, OPTION_NAMES, ['samples', 'length']);
  const samples = checkInteger(fn, 'samples', opts.samples, 1);
  const length = checkInteger(fn, 'length', opts.length, 1);
  checkSeed(fn, 'seed', opts.seed);
  checkTensorSize(fn, 'samples × length', samples * length);
  const rng = rngFromSeedOption(fn, 'seed', opts.seed);

  const x = rng.fillNormal(new Float32Array(samples * length));
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) y[i] = x[i * length];
  return {
    inputs: tf.tensor3d(x, [samples, length, 1], 'float32'),
    targets: tf.tensor2d(y, [samples, 1], 'float32'),
  };
}
