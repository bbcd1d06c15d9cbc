import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors';
import { SeededRandom } from '../../utils/seeded_random';
import { writeOrthogonalMatrix } from './haar_orthogonal';
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
 * Computed in float64 outside tfjs (Stewart's product of random Householder reflections: the
 * same distribution as the Q of a Gaussian matrix's QR, formed in blocks, on the recurrence
 * engine's WebAssembly kernel once it is loaded and in JavaScript before, with bit-identical
 * results), so every block is orthonormal to float64 rounding before the float32 cast, whatever
 * the backend, and a seed gives the same weights whichever path runs. tfjs-layers' `orthogonal` is not
 * used: it relies on chained tensor methods that exist only when the union package
 * `@tensorflow/tfjs` is loaded, and it is far slower (docs/benchmarks.md, `npm run bench:init`:
 * about 0.5 s of CPU for a 1 024-unit GRU and 4 s for a 2 048-unit one on a 2-core server;
 * about 3× that in a browser that builds the model before the engine has compiled: there,
 * `await ready()` before building a large model gets the engine's speed). On the engine, a block
 * borrows `8·units²` bytes of its WebAssembly memory, which keeps that size afterwards
 * (WebAssembly memory cannot shrink; the engine reuses it for recurrences).
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
    const values = new Float32Array(rows * cols);
    for (let b = 0; b < cols / this.blockSize; b++) {
      const target = { values, offset: b * this.blockSize, stride: cols, scale: this.gain };
      writeOrthogonalMatrix(target, rows, this.blockSize, random);
    }
    return tf.tensor2d(values, [rows, cols]);
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = { blockSize: this.blockSize, gain: this.gain };
    if (this.seed !== undefined) config.seed = this.seed;
    return config;
  }
}
