import { SeededRandom, type Seed } from '../utils/seeded_random';
import { checkSeed } from '../utils/validate_options';

/** Number of pixels of an MNIST image (28 × 28), the length of a sequential-MNIST sequence. */
export const MNIST_PIXELS = 784;

/** Number of MNIST classes (digits 0 … 9). */
export const MNIST_CLASSES = 10;

/**
 * Seed of the default permuted-MNIST pixel permutation (`permuted: true` in
 * {@link sequentialMnist}): 210601001, after the paper's arXiv number 2106.01001.
 */
export const DEFAULT_MNIST_PERMUTATION_SEED = 210601001;

/**
 * The fixed pixel permutation of permuted MNIST for a seed: an `Int32Array` of length 784
 * holding each of `0 … 783` once. A permuted sequence reads pixel `perm[t]` of the row-major
 * 28 × 28 image at step `t` (`permuted[t] = image[perm[t]]`).
 *
 * Pure JavaScript (seeded Fisher–Yates), so the same seed gives the same permutation on every
 * platform and backend. (The paper's reference code uses a fixed numpy permutation instead; pass
 * it as `permuted: { permutation }` to {@link sequentialMnist} to reproduce it exactly.)
 *
 * @param seed Default {@link DEFAULT_MNIST_PERMUTATION_SEED}.
 * @example
 * ```ts
 * const perm = mnistPermutation();      // the default permutation
 * const other = mnistPermutation(7);    // another fixed permutation
 * ```
 */
export function mnistPermutation(seed: Seed = DEFAULT_MNIST_PERMUTATION_SEED): Int32Array {
  const checked = checkSeed('mnistPermutation', 'seed', seed) ?? DEFAULT_MNIST_PERMUTATION_SEED;
  return new SeededRandom(checked).permutation(MNIST_PIXELS);
}
