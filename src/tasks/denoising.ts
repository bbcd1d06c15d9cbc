import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';
import type { Seed } from '../utils/seeded_random';
import { checkInteger, checkOptions, checkSeed, rngFromSeedOption } from '../utils/validate_options';
import { checkTensorSize } from './tensor_size';

/** Options of {@link denoising}. */
export interface DenoisingOptions {
  /** Number of sequences (≥ 1). Required. */
  samples: number;
  /** Sequence length L. Required; must satisfy `L − pad ≥ marked`. */
  length: number;
  /**
   * Number of final steps in which no position is marked: marks are drawn in `[0, L − pad)`.
   * Default 5. Must be ≥ `marked`, so that no mark falls on the read-out steps.
   */
  pad?: number;
  /** Number of marked positions per sequence, and of targets (≥ 1). Default 5. */
  marked?: number;
  /**
   * Seed (safe integer or string). The same seed gives the same data on every platform and
   * backend; sample `i` is the same whatever `samples` is, and the noise channel does not depend
   * on `pad` or `marked`. Default: a fresh random seed, so that two calls without a seed differ.
   */
  seed?: Seed;
}

/** A generated denoising data set. Dispose both tensors when done (`tf.dispose(data)`; a type alias, not an interface, so that it is a `tf.TensorContainer`). */
export type DenoisingData = {
  /**
   * `[samples, L, 2]` float32. Channel 0: noise, N(0, 1) at every step. Channel 1: marker,
   * `1` at the `marked` chosen positions (distinct, in `[0, L − pad)`), `−1` at step `L − marked`
   * (the first read-out step), `0` elsewhere.
   */
  inputs: tf.Tensor3D;
  /**
   * `[samples, marked]` float32: the noise values at the marked positions, in time order
   * (column `k` is the `k`-th mark from the start). Column `k` is meant to be read at step
   * `L − marked + k` (the last `marked` steps). For a per-step output `[samples, marked, 1]`,
   * use `tf.expandDims(targets, 2)`.
   */
  targets: tf.Tensor2D;
};

const OPTION_NAMES = ['samples', 'length', 'pad', 'marked', 'seed'] as const;

/**
 * Default `pad` and `marked` of {@link denoising} (the paper's; see the
 * [method guide](../../docs/method.md#denoising)).
 */
export const DENOISING_DEFAULTS = Object.freeze({ pad: 5, marked: 5 });

/**
 * The *denoising* benchmark ([method guide](../../docs/method.md#denoising); Lambrechts et al.
 * 2023, arXiv 2106.01001; after Jing et al. 2019): a noise channel `N(0, 1)` and a marker
 * channel that is `1` at `marked` distinct random positions in `[0, L − pad)` and `−1` at step
 * `L − marked`. The network must output the `marked` marked noise values, in time order, during
 * the last `marked` steps (the `−1` marks the first of them).
 *
 * With the defaults (`pad = marked = 5`) this is exactly the paper's "−1 at position L − 5". For
 * other values the `−1` goes at `L − marked`, as in the paper's reference implementation (where
 * it is placed `marked` steps from the end, at the first read-out step).
 *
 * **Targets and read-out.** `targets` is `[samples, marked]`; target `k` belongs to step
 * `L − marked + k`. Two ways to train on it:
 * - *per step, as in the paper*: a last recurrent layer with `returnSequences: true`, then
 *   `tf.layers.dense({ units: 1 })` (one output per step, `[samples, L, 1]`), then keep the last
 *   `marked` steps (tfjs-layers has no `cropping1D`, so reshape to `[L, 1, 1]`, crop with
 *   `tf.layers.cropping2D({ cropping: [[L − marked, 0], [0, 0]] })` and reshape to `[marked]`),
 *   as in the example below;
 * - *last step*: a last-step recurrent output followed by `tf.layers.dense({ units: marked })`.
 *
 * Draws: noise from the seed's child stream `'noise'` (sample by sample, in time order), mark
 * positions from its child stream `'marks'`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { denoising } from 'tfjs-warmup-rnn/tasks';
 *
 * const L = 200;
 * const { inputs, targets } = denoising({ samples: 512, length: L, seed: 3 });
 * const model = tf.sequential({ layers: [
 *   tf.layers.gru({ units: 32, returnSequences: true, inputShape: [L, 2] }),
 *   tf.layers.gru({ units: 32, returnSequences: true }),
 *   tf.layers.dense({ units: 1 }),                            // [batch, L, 1]
 *   tf.layers.reshape({ targetShape: [L, 1, 1] }),
 *   tf.layers.cropping2D({ cropping: [[L - 5, 0], [0, 0]] }), // the last 5 steps
 *   tf.layers.reshape({ targetShape: [5] }),                  // [batch, 5], like targets
 * ]});
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * await model.fit(inputs, targets, { batchSize: 32, epochs: 1 });
 * tf.dispose([inputs, targets]);
 * ```
 */
export function denoising(options: DenoisingOptions): DenoisingData {
  const fn = 'denoising';
  const opts = checkOptions<DenoisingOptions>(fn, options, OPTION_NAMES, ['samples', 'length']);
  const samples = checkInteger(fn, 'samples', opts.samples, 1);
  const length = checkInteger(fn, 'length', opts.length, 1);
  const marked = checkInteger(fn, 'marked', opts.marked ?? DENOISING_DEFAULTS.marked, 1);
  const pad = checkInteger(fn, 'pad', opts.pad ?? DENOISING_DEFAULTS.pad, 0);
  checkSeed(fn, 'seed', opts.seed);
  if (pad < marked) {
    throw new InvalidArgumentError(
      `${fn}: option 'pad' must be >= 'marked' (${marked}) so that no mark falls on the last ${marked} read-out steps, received pad=${pad}.`,
    );
  }
  if (length - pad < marked) {
    throw new InvalidArgumentError(
      `${fn}: option 'length' must be >= pad + marked = ${pad + marked} to fit ${marked} distinct marks in [0, length - pad), received length=${length}.`,
    );
  }
  checkTensorSize(fn, 'samples × length × 2', samples * length * 2);
  const rng = rngFromSeedOption(fn, 'seed', opts.seed);
  const noiseRng = rng.child('noise');
  const marksRng = rng.child('marks');

  const noise = noiseRng.fillNormal(new Float32Array(samples * length));
  const x = new Float32Array(samples * length * 2);
  const y = new Float32Array(samples * marked);
  const readStart = length - marked;
  for (let i = 0; i < samples; i++) {
    const base = i * length;
    for (let t = 0; t < length; t++) x[(base + t) * 2] = noise[base + t];
    x[(base + readStart) * 2 + 1] = -1;
    const positions = marksRng.sample(length - pad, marked).sort((a, b) => a - b);
    for (let k = 0; k < marked; k++) {
      x[(base + positions[k]) * 2 + 1] = 1;
      y[i * marked + k] = noise[base + positions[k]];
    }
  }
  return {
    inputs: tf.tensor3d(x, [samples, length, 2], 'float32'),
    targets: tf.tensor2d(y, [samples, marked], 'float32'),
  };
}
