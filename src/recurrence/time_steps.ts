import * as tf from '@tensorflow/tfjs-core';

/**
 * Splits a time-major `[time, batch, width]` tensor into its `time` steps, `[batch, width]`
 * each, for use inside the recurrence (where no gradient is recorded).
 *
 * Why not `tf.unstack` everywhere: in tfjs 4.22 the wasm backend's `Slice` kernel (used by
 * `Unpack` and `SplitV`) first copies the *whole* input out of the wasm heap, so T slices cost
 * O(T²) — over a second for 100 steps of a 32×768 projection — and its `GatherV2` takes
 * ~2.6 ms per step. On wasm the data are already in (synchronous) CPU memory, so one read and
 * T small tensor creations are by far the cheapest. Elsewhere slices are cheap (views on cpu,
 * shallow slices on webgl, no GPU read-back) and `tf.unstack` is used.
 */
export function splitTimeSteps(x: tf.Tensor): tf.Tensor2D[] {
  if (tf.getBackend() !== 'wasm') return tf.unstack(x) as tf.Tensor2D[];
  const [time, batch, width] = x.shape as [number, number, number];
  const data = x.dataSync() as Float32Array;
  const size = batch * width;
  return Array.from({ length: time }, (_, t) =>
    tf.tensor2d(data.subarray(t * size, (t + 1) * size), [batch, width], 'float32'),
  );
}

/**
 * Splits `[rows, Σ sizes]` into column blocks. Column blocks of a row-major matrix are strided,
 * and strided slices are what some tfjs 4.22 backends do worst:
 *
 * - cpu: `tf.split` / `tf.slice` of columns walk every element through generic index
 *   arithmetic: ~4.3 ms for four blocks of a 32×128 matrix, ~42 ms for 32×1024. Moving the
 *   blocks to the leading axis with one transpose, then taking contiguous slices, costs
 *   0.65 ms and 3.3 ms.
 * - wasm: `SplitV` costs ~1.7 ms for four blocks of a 32×1024 matrix, and each `tf.slice` still
 *   copies the whole input: the blocks are cut from one read of the data instead.
 * - elsewhere (webgl, webgpu, node): one `tf.split` kernel.
 */
export function splitColumns(x: tf.Tensor2D, sizes: number[]): tf.Tensor2D[] {
  const backend = tf.getBackend();
  if (backend === 'cpu') return splitColumnsByTranspose(x, sizes);
  if (backend === 'wasm') return untapedDepth > 0 ? splitColumnsFromData(x, sizes) : splitColumnsBySlices(x, sizes);
  return tf.split(x, sizes, 1) as tf.Tensor2D[];
}

/** > 0 while {@link withoutTape} runs: kernels may then split without recording gradients. */
let untapedDepth = 0;

/**
 * Runs `f` in a context where no gradient is recorded through the kernels' splits (the forward
 * and backward passes of the fused recurrence: inside `tf.customGrad`, tfjs records nothing).
 * Outside it — e.g. a cell's `call` inside `tf.layers.rnn`, where autodiff tapes every op —
 * splits stay differentiable.
 */
export function withoutTape<T>(f: () => T): T {
  untapedDepth++;
  try {
    return f();
  } finally {
    untapedDepth--;
  }
}

/** Differentiable column blocks as `tf.slice`s (wasm: cheaper than its `SplitV`). */
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
 * {@link splitColumns} on wasm inside {@link withoutTape}: one synchronous read (wasm memory
 * is CPU memory: a copy, no stall) and one new tensor per block — not differentiable. tfjs 4.22's wasm `Slice` copies its whole input out of
 * the heap on every call (~0.17 ms per block of a 32×1024 matrix, the second most expensive op
 * of an LSTM forward step at 256 units) and `SplitV` is slower still.
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
 * several g-wide pieces (column concatenation is cheap on cpu: ~0.1 ms for 32×128).
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
