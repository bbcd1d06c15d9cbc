// The input projection of a whole sequence, z = x·W + b, and its gradients, for a layer's input
// as the layer receives it: x is batch-major `[batch, time, features]`, while the recurrence
// reads z time-major `[time, batch, width]` (one step's rows contiguous). Instead of a transpose,
// each step's rows of x are read through a row stride of `time·features` floats; with `reverse`
// (goBackwards) step t reads x's step `time − 1 − t`. dX is written back in x's own layout.
import { matmulAdd, matmulTransAAdd, matmulTransBAdd } from './matmul';
import { activeRowsAt, at, columnSums, copy, zero } from './elementwise';

@inline function sourceStep(t: i32, time: i32, reverse: i32): i32 {
  return reverse ? time - 1 - t : t;
}

/**
 * out[t, b, :] = x[b, s(t), :]·W + bias, with s(t) = t, or time − 1 − t when `reverse`.
 * `bias` 0: none. `out` is `[time, batch, width]`, W `[features, width]`. With `active` (see
 * elementwise.ts) only step t's first active[t] rows are formed; the kernels read no others.
 */
export function projectSequence(
  time: i32, batch: i32, features: i32, width: i32,
  x: usize, reverse: i32, kernel: usize, bias: usize, out: usize, active: usize,
): void {
  const rowStride = time * features;
  for (let t = 0; t < time; t++) {
    const o = at(out, t * batch * width);
    const rows = activeRowsAt(active, t, batch);
    if (bias != 0) {
      for (let b = 0; b < rows; b++) copy(at(o, b * width), bias, width);
    } else {
      zero(o, rows * width);
    }
    matmulAdd(rows, features, width, at(x, sourceStep(t, time, reverse) * features), rowStride, kernel, width, o, width);
  }
}

/**
 * The gradients of {@link projectSequence} from dZ `[time, batch, width]`:
 * dX (x's layout) = dZ·Wᵀ, dW = Σ_t x_tᵀ·dZ_t, dBias = Σ_rows dZ (`dBias` 0: none).
 * All three are overwritten. With `active`, the rows beyond active[t] have dZ = 0 (the kernels
 * write zeros there): their products are skipped and their dX rows stay 0.
 */
export function projectSequenceBackward(
  time: i32, batch: i32, features: i32, width: i32,
  x: usize, reverse: i32, kernel: usize, dz: usize,
  dx: usize, dKernel: usize, dBias: usize, active: usize,
): void {
  const rowStride = time * features;
  zero(dx, batch * rowStride);
  zero(dKernel, features * width);
  for (let t = 0; t < time; t++) {
    const dzt = at(dz, t * batch * width);
    const xt = at(x, sourceStep(t, time, reverse) * features);
    const rows = activeRowsAt(active, t, batch);
    matmulTransBAdd(rows, width, features, dzt, width, kernel, width, at(dx, sourceStep(t, time, reverse) * features), rowStride);
    matmulTransAAdd(features, rows, width, xt, rowStride, dzt, width, dKernel, width);
  }
  if (dBias != 0) columnSums(dBias, dz, width, time * batch, width);
}
