import * as tf from '@tensorflow/tfjs-core';

/** How {@link splitColumns} may cut, chosen by the caller. */
export interface SplitOptions {
  /**
   * Whether gradients may be recorded through the blocks: `true` in code the tape records (a
   * cell's `call` inside `tf.layers.rnn`), `false` inside a `tf.customGrad` forward or backward
   * pass (the fused recurrence), where tfjs records nothing and wasm can cut from the data.
   */
  readonly differentiable: boolean;
}

/**
 * Splits `[rows, Σ sizes]` into column blocks. Column blocks of a row-major matrix are strided,
 * and strided slices are what some tfjs 4.22 backends do worst (quirks `cpuStridedSliceSlow`
 * and `wasmSliceCopiesWholeInput`, see `tfjs_quirks.ts`):
 *
 * - cpu: the blocks are moved to the leading axis with one transpose, then cut as contiguous
 *   slices ({@link splitColumnsByTranspose}).
 * - wasm: `tf.slice`s when `differentiable`; otherwise one read of the data and a new tensor
 *   per block ({@link splitColumnsFromData}).
 * - elsewhere (webgl, webgpu, node): one `tf.split` kernel.
 */
export function splitColumns(x: tf.Tensor2D, sizes: number[], { differentiable }: SplitOptions): tf.Tensor2D[] {
  const backend = tf.getBackend();
  if (backend === 'cpu') return splitColumnsByTranspose(x, sizes);
  if (backend === 'wasm') return differentiable ? splitColumnsBySlices(x, sizes) : splitColumnsFromData(x, sizes);
  return tf.split(x, sizes, 1) as tf.Tensor2D[];
}

/** Differentiable column blocks as `tf.slice`s (wasm: cheaper than its `SplitV`, see docs/benchmarks.md). */
function splitColumnsBySlices(x: tf.Tensor2D, sizes: number[]): tf.Tensor2D[] {
  const rows = x.shape[0];
  let begin = 0;
  return sizes.map((size) => {
    const block = tf.slice(x, [0, begin], [rows, size]) as tf.Tensor2D;
    begin += size;
    return block;
  });
}

/**
 * {@link splitColumns} on wasm when not differentiable: one synchronous read (wasm memory
 * is CPU memory: a copy, no stall) and one new tensor per block — not differentiable.
 */
export function splitColumnsFromData(x: tf.Tensor2D, sizes: number[]): tf.Tensor2D[] {
  const [rows, width] = x.shape;
  checkSizes(sizes, width);
  const data = x.dataSync() as Float32Array;
  let begin = 0;
  return sizes.map((size) => {
    const block = new Float32Array(rows * size);
    for (let r = 0; r < rows; r++) block.set(data.subarray(r * width + begin, r * width + begin + size), r * size);
    begin += size;
    return tf.tensor2d(block, [rows, size], 'float32');
  });
}

/**
 * {@link splitColumns} through `[rows, k, g] → [k, rows, g]` (g = the gcd of the sizes):
 * contiguous slices of the transposed tensor, re-joined along columns where a block spans
 * several g-wide pieces (column concatenation is cheap on cpu).
 */
export function splitColumnsByTranspose(x: tf.Tensor2D, sizes: number[]): tf.Tensor2D[] {
  const [rows, width] = x.shape;
  checkSizes(sizes, width);
  const piece = sizes.reduce(gcd);
  return tf.tidy(() => {
    const pieces = tf.unstack(tf.transpose(tf.reshape(x, [rows, width / piece, piece]), [1, 0, 2])) as tf.Tensor2D[];
    let next = 0;
    return sizes.map((size) => {
      const count = size / piece;
      const parts = pieces.slice(next, (next += count));
      return count === 1 ? parts[0] : (tf.concat(parts, 1) as tf.Tensor2D);
    });
  });
}

function checkSizes(sizes: number[], width: number): void {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== width || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(`splitColumns: sizes [${sizes}] do not split ${width} columns.`);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
