import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors';
import { SeededRandom } from '../../utils/seeded_random';
import { SerializableInitializer } from './serializable_initializer';

/** Options of {@link BlockOrthogonal}. */
export interface BlockOrthogonalArgs {
  /** Width of one gate block; the last axis of the weight must be a multiple of it. */
  blockSize: number;
  /** Multiplies every block. Default 1. */
  gain?: number;
  /** Seed; without it each call draws different matrices. */
  seed?: number;
}

/**
 * Orthogonal initialization applied separately to each gate block of a fused recurrent kernel
 * `[units, G·units]`, so each gate's recurrent matrix is orthogonal (as PyTorch and the
 * warmup paper's reference do), rather than the fused matrix as a whole.
 *
 * Written in plain JavaScript (QR by Householder reflections in float64) instead of using
 * tfjs-layers' `orthogonal`, which relies on chained tensor methods that exist only when the
 * union package `@tensorflow/tfjs` is loaded.
 */
export class BlockOrthogonal extends SerializableInitializer {
  /** @nocollapse */
  static className = 'WarmupRnnBlockOrthogonal';
  readonly blockSize: number;
  readonly gain: number;
  readonly seed: number | undefined;
  private calls = 0;

  constructor(args: BlockOrthogonalArgs) {
    super();
    if (!Number.isInteger(args.blockSize) || args.blockSize < 1) {
      throw new InvalidArgumentError(`BlockOrthogonal: blockSize must be a positive integer, got ${args.blockSize}.`);
    }
    this.blockSize = args.blockSize;
    this.gain = args.gain ?? 1;
    this.seed = args.seed;
  }

  apply(shape: number[]): tf.Tensor {
    if (shape.length !== 2 || shape[1] % this.blockSize !== 0) {
      throw new InvalidArgumentError(
        `BlockOrthogonal: expected a 2-D shape whose last axis is a multiple of ${this.blockSize}, got [${shape}].`,
      );
    }
    const [rows, cols] = shape;
    // A fixed seed gives the same matrices for the same call index (reproducible models).
    const random = new SeededRandom(this.seed).child(this.calls++);
    const out = new Float32Array(rows * cols);
    for (let b = 0; b < cols / this.blockSize; b++) {
      const block = orthogonalMatrix(rows, this.blockSize, random);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < this.blockSize; j++) {
          out[i * cols + b * this.blockSize + j] = this.gain * block[i * this.blockSize + j];
        }
      }
    }
    return tf.tensor2d(out, [rows, cols]);
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = { blockSize: this.blockSize, gain: this.gain };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}

/**
 * A random `rows × cols` matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols),
 * uniformly distributed: QR of a Gaussian matrix with R's diagonal signs folded into Q.
 */
export function orthogonalMatrix(rows: number, cols: number, random: SeededRandom): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  // a: m × n, column-major for convenient column operations.
  const a = new Float64Array(m * n);
  for (let k = 0; k < a.length; k++) a[k] = random.normal();
  const q = householderQ(a, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = q[j * m + i];
      if (tall) out[i * cols + j] = v;
      else out[j * cols + i] = v;
    }
  }
  return out;
}

/** Thin Q (m × n, column-major) of the QR decomposition of `a`, with diag(R) made positive. */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = a.slice();
  const vs: Float64Array[] = [];
  const signs: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[k * m + i] ** 2;
    norm = Math.sqrt(norm);
    const x0 = r[k * m + k];
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[k * m + i];
    v[k] -= alpha;
    let vNorm = 0;
    for (let i = k; i < m; i++) vNorm += v[i] ** 2;
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = k; i < m; i++) v[i] /= vNorm;
    vs.push(v);
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * r[j * m + i];
      for (let i = k; i < m; i++) r[j * m + i] -= 2 * v[i] * dot;
    }
    signs.push(r[k * m + k] >= 0 ? 1 : -1);
  }
  // Q = H_0 H_1 … H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * q[j * m + i];
      for (let i = k; i < m; i++) q[j * m + i] -= 2 * v[i] * dot;
    }
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) q[j * m + i] *= signs[j];
  return q;
}
