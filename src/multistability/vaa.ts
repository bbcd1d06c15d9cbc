/**
 * VAA, the exact measure of multistability (see the [method guide](../../docs/method.md#vaa)).
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError } from '../errors';
import { DEFAULT_VAA_EPSILON, asFloat32, validateStatesAndEpsilon } from './validate_states';

/**
 * Largest `[rows, n, d]` block of pairwise differences materialised at once (4 Mi float32 =
 * 16 MiB). VAA is never differentiated, so it can walk the rows in blocks and keep memory
 * bounded for any `n` and `d`; warmup-size inputs (n = 32) fit in a single block.
 */
const MAX_BLOCK_ELEMENTS = 1 << 22;

/**
 * VAA (variability amongst attractors): the fraction of distinct final states amongst `n`
 * trajectories, each ε-cluster of final states counting once.
 *
 *     VAA = (1/n) · Σ_i 1 / |{ j : ‖s_j − s_i‖₂ < ε }|
 *
 * Each ε-cluster contributes exactly 1/n, so VAA ≈ (number of distinct attractors reached) / n:
 * `1/n` when every trajectory ends in the same equilibrium (monostable), `1` when all `n` end in
 * distinct places. The count is exact: squared distances are computed from direct differences
 * (never the Gram-matrix shortcut, whose float32 error exceeds ε) and compared with ε², so no
 * square root rounds the comparison; the sum of the reciprocals is taken in float64.
 *
 * Introduced by Lambrechts, De Geeter, Vecoven, Ernst and Drion, "Warming up recurrent neural
 * networks to maximise reachable multistability greatly improves learning", Neural Networks
 * 2023 (arXiv 2106.01001). Use {@link vaaStar} (its differentiable surrogate) inside a loss.
 *
 * **Why a plain `number`.** VAA is piecewise constant (its gradient is zero wherever it exists),
 * so a tensor result would be of no use to autodiff; it is a metric to log or compare. Rejecting
 * NaN/Infinity needs the data anyway, so the function performs one small synchronous read
 * (`n + 1` floats) and returns the value. It does not dispose `states`, and leaves no tensor
 * behind. On GPU backends prefer {@link vaaAsync}, which reads asynchronously.
 *
 * Cost: O(n²·d) time; memory is bounded (rows are processed in blocks of at most 4 Mi
 * differences).
 *
 * @param states Final states, shape `[n, d]`: one row per trajectory (the states of all layers
 *   concatenated). Any real dtype; computed in float32.
 * @param epsilon Radius ε of the balls inside which two states count as the same attractor.
 *   Default `1e-4`. Must be a positive finite number, and should be well above the float32
 *   resolution of the states (~1e-7 for unit-scale values).
 * @returns VAA, in `[1/n, 1]`.
 * @throws {ShapeError} `states` is not of rank 2, or has no row or no column.
 * @throws {InvalidArgumentError} `epsilon` is not a positive finite number, or `states` is not
 *   a real numeric tensor.
 * @throws {NonFiniteError} `states` contains NaN or ±Infinity.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { vaa } from 'tfjs-warmup-rnn';
 *
 * // Two attractors reached by four trajectories: VAA = 2/4.
 * const states = tf.tensor2d([[0, 0], [0, 0.00003], [1, 1], [1, 1]]);
 * console.log(vaa(states)); // 0.5
 * states.dispose();
 * ```
 */
export function vaa(states: tf.Tensor2D, epsilon: number = DEFAULT_VAA_EPSILON): number {
  validateStatesAndEpsilon('vaa', states, epsilon);
  return vaaInBlocks(states, epsilon, MAX_BLOCK_ELEMENTS);
}

/**
 * {@link vaa} without a synchronous read: the same value, as a promise. Prefer it on GPU
 * backends (webgl, webgpu), where `dataSync` stalls the pipeline and, on tfjs 4.22's webgpu
 * backend, can lose the device; {@link measureVaa} uses it.
 *
 * @param states Final states, shape `[n, d]` (see {@link vaa}).
 * @param epsilon Radius ε of the attractor balls. Default `1e-4`.
 * @returns A promise of VAA, in `[1/n, 1]`.
 * @throws {ShapeError} (synchronously) `states` is not of rank 2, or has no row or no column.
 * @throws {InvalidArgumentError} (synchronously) bad `epsilon` or a non-numeric tensor.
 * @throws {NonFiniteError} (the promise rejects) `states` contains NaN or ±Infinity.
 */
export function vaaAsync(states: tf.Tensor2D, epsilon: number = DEFAULT_VAA_EPSILON): Promise<number> {
  validateStatesAndEpsilon('vaaAsync', states, epsilon);
  return readVaa('vaaAsync', states, epsilon);
}

/** {@link vaaAsync} on validated arguments; errors are prefixed with `fn`. Internal. */
export function readVaa(fn: string, states: tf.Tensor2D, epsilon: number): Promise<number> {
  const summary = vaaSummary(states, epsilon, MAX_BLOCK_ELEMENTS);
  return summary.data().then(
    (values) => {
      summary.dispose();
      return vaaFromSummary(fn, values, states.shape[0], states.shape[1]);
    },
    (error: unknown) => {
      summary.dispose();
      throw error;
    },
  );
}

/**
 * {@link vaa} on validated arguments, materialising at most `maxBlockElements` pairwise
 * differences at once (at least one row per block). Internal: not exported from the package.
 */
export function vaaInBlocks(states: tf.Tensor2D, epsilon: number, maxBlockElements: number): number {
  const summary = vaaSummary(states, epsilon, maxBlockElements);
  const values = summary.dataSync();
  summary.dispose();
  return vaaFromSummary('vaa', values, states.shape[0], states.shape[1]);
}

/**
 * Per-row cluster sizes |{j : ‖s_j − s_i‖² < ε²}| (exact small integers in float32), then one
 * more entry that is 0 when every state is finite and NaN otherwise (x − x): `[n + 1]`.
 */
function vaaSummary(states: tf.Tensor2D, epsilon: number, maxBlockElements: number): tf.Tensor1D {
  const [n, d] = states.shape;
  const rowsPerBlock = Math.max(1, Math.floor(maxBlockElements / (n * d)));
  return tf.tidy(() => {
    const x = asFloat32(states);
    const epsilonSquared = tf.scalar(epsilon * epsilon);
    const counts: tf.Tensor1D[] = [];
    for (let start = 0; start < n; start += rowsPerBlock) {
      const size = Math.min(rowsPerBlock, n - start);
      counts.push(
        tf.tidy(() => {
          const rows = size === n ? x : tf.slice(x, [start, 0], [size, d]);
          const squared = tf.sum(tf.square(tf.sub(tf.expandDims(x, 0), tf.expandDims(rows, 1))), -1);
          return tf.sum(tf.cast(tf.less(squared, epsilonSquared), 'float32'), 1) as tf.Tensor1D;
        }),
      );
    }
    const finiteFlag = tf.reshape(tf.sum(tf.sub(x, x)), [1]);
    return tf.concat([...counts, finiteFlag]) as tf.Tensor1D;
  });
}

function vaaFromSummary(fn: string, values: ArrayLike<number>, n: number, d: number): number {
  if (values[n] !== 0) {
    throw new NonFiniteError(
      `${fn}: states contain NaN or ±Infinity (shape [${n}, ${d}]); VAA is only defined for ` +
        'finite states. Did the recurrent state diverge?',
    );
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += 1 / values[i];
  return sum / n;
}
