// Shared pieces of every kernel: addressing, 4-or-1-lane loads and stores, the activations
// and their derivatives from outputs, and the mask / carry arithmetic of the time loop.
//
// Every elementwise body is written once over v128 and run with `w = 4` on full vectors and
// `w = 1` on a row's tail (units need not be a multiple of 4): the tail splats one value into
// a vector and stores lane 0, so both paths compute bit-identical values.
import { sigmoidV, tanhV } from './simd_math';

// Activation codes; the TypeScript side (src/engine/engine_cells.ts) uses the same numbers.
export const TANH: i32 = 0;
export const SIGMOID: i32 = 1;
export const HARD_SIGMOID: i32 = 2;
export const RELU: i32 = 3;
export const LINEAR: i32 = 4;
export const SOFTSIGN: i32 = 5;

/** Byte address of element `i` of a float32 array at `p`. */
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline export function ld(p: usize, w: i32): v128 {
  return w == 4 ? v128.load(p) : f32x4.splat(load<f32>(p));
}

@inline export function st(p: usize, v: v128, w: i32): void {
  if (w == 4) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

@inline export function splat(x: f32): v128 {
  return f32x4.splat(x);
}

// Constants for the activations' vector code, read from static memory with one load each (V8
// rebuilds a v128.const from immediates with three instructions at every use, in every loop).
const CONSTANTS = memory.data<f32>([1.0, 0.2, 0.5]);
@inline export function one(): v128 {
  return v128.load32_splat(CONSTANTS);
}
@inline function pointTwo(): v128 {
  return v128.load32_splat(CONSTANTS + 4);
}
@inline function half(): v128 {
  return v128.load32_splat(CONSTANTS + 8);
}

/**
 * y = f(x) for activation `code`. Inlined where it is used; with `code` a compile-time constant
 * the other activations' branches disappear, so each kernel compiles its loops twice: once for
 * the default activations (tanh, sigmoid) with constant codes, once with the codes as run-time
 * values for everything else.
 */
@inline export function activate(code: i32, x: v128): v128 {
  if (code == TANH) return tanhV(x);
  if (code == SIGMOID) return sigmoidV(x);
  if (code == HARD_SIGMOID) {
    // tfjs-layers: clip(0.2 x + 0.5, 0, 1)
    return f32x4.pmin(f32x4.pmax(f32x4.add(f32x4.mul(x, pointTwo()), half()), splat(0)), one());
  }
  if (code == RELU) return f32x4.pmax(x, splat(0));
  if (code == SOFTSIGN) return f32x4.div(x, f32x4.add(one(), f32x4.abs(x)));
  return x;
}

/** f'(x) written through y = f(x) (the backward pass keeps outputs, not pre-activations). */
@inline export function derivative(code: i32, y: v128): v128 {
  if (code == TANH) return f32x4.sub(one(), f32x4.mul(y, y));
  if (code == SIGMOID) return f32x4.mul(y, f32x4.sub(one(), y));
  if (code == HARD_SIGMOID) {
    return v128.and(v128.and(f32x4.gt(y, splat(0)), f32x4.lt(y, one())), pointTwo());
  }
  if (code == RELU) return v128.and(f32x4.gt(y, splat(0)), one());
  if (code == SOFTSIGN) {
    const d = f32x4.sub(one(), f32x4.abs(y));
    return f32x4.mul(d, d);
  }
  return one();
}

/** dst[i] = src[i] for n floats. */
export function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
}

/** n floats of zero. */
export function zero(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 2);
}

/** acc[i] += x[i] for n floats. */
export function addInto(acc: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(acc, i), f32x4.add(v128.load(at(acc, i)), v128.load(at(x, i))));
  for (; i < n; i++) store<f32>(at(acc, i), load<f32>(at(acc, i)) + load<f32>(at(x, i)));
}

/** Copies `rows` rows of `n` floats between matrices of row strides `ldd` and `lds`. */
export function copyRows(dst: usize, ldd: i32, src: usize, lds: i32, rows: i32, n: i32): void {
  // Contiguous blocks in one copy: each memory.copy is a call out of the compiled code in V8.
  if (ldd == n && lds == n) copy(dst, src, rows * n);
  else for (let r = 0; r < rows; r++) copy(at(dst, r * ldd), at(src, r * lds), n);
}

/**
 * The masked step (as the op path): next = next·m + previous·(1 − m), with m the step's mask
 * value of each batch row (`mask` points at the step's `[batch]` values).
 */
export function blendMasked(next: usize, previous: usize, mask: usize, batch: i32, units: i32): void {
  for (let b = 0; b < batch; b++) {
    const m = load<f32>(at(mask, b));
    const mv = splat(m);
    const sv = splat(<f32>1 - m);
    const n = at(next, b * units);
    const p = at(previous, b * units);
    let j = 0;
    for (; j + 4 <= units; j += 4) blendCols(n, p, mv, sv, j, 4);
    for (; j < units; j++) blendCols(n, p, mv, sv, j, 1);
  }
}

@inline function blendCols(n: usize, p: usize, mv: v128, sv: v128, j: i32, w: i32): void {
  st(at(n, j), f32x4.add(f32x4.mul(ld(at(n, j), w), mv), f32x4.mul(ld(at(p, j), w), sv)), w);
}

/**
 * Start of a backward step for one state: dNew = dy + carry; then, with a mask, the kernel sees
 * dStep = dNew·m and the carry keeps dNew·(1 − m) for the previous state (the kernel adds its
 * own part to `carry` after this). Without a mask dStep is dNew and the carry is cleared.
 */
export function startBackwardStep(
  dy: usize, carry: usize, dNew: usize, dStep: usize, mask: usize, batch: i32, units: i32,
): void {
  const n = batch * units;
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(dNew, i), f32x4.add(v128.load(at(dy, i)), v128.load(at(carry, i))));
  for (; i < n; i++) store<f32>(at(dNew, i), load<f32>(at(dy, i)) + load<f32>(at(carry, i)));
  if (mask == 0) {
    if (dStep != dNew) copy(dStep, dNew, n);
    zero(carry, n);
    return;
  }
  for (let b = 0; b < batch; b++) {
    const m = load<f32>(at(mask, b));
    const mv = splat(m);
    const sv = splat(<f32>1 - m);
    const dn = at(dNew, b * units);
    const ds = at(dStep, b * units);
    const c = at(carry, b * units);
    let j = 0;
    for (; j + 4 <= units; j += 4) splitCols(dn, ds, c, mv, sv, j, 4);
    for (; j < units; j++) splitCols(dn, ds, c, mv, sv, j, 1);
  }
}

@inline function splitCols(dn: usize, ds: usize, c: usize, mv: v128, sv: v128, j: i32, w: i32): void {
  const d = ld(at(dn, j), w);
  st(at(ds, j), f32x4.mul(d, mv), w);
  st(at(c, j), f32x4.mul(d, sv), w);
}

/** out[j] = Σ_rows x[r, j] for a `[rows, n]` matrix with row stride `ld` (bias gradients). */
export function columnSums(out: usize, x: usize, ld: i32, rows: i32, n: i32): void {
  zero(out, n);
  for (let r = 0; r < rows; r++) addInto(out, at(x, r * ld), n);
}

// Skipping fully masked rows. With a mask, the engine's caller passes `active` (`[time]` i32):
// active[t] = 1 + the last batch row whose mask is nonzero at step t (0 when none). Rows from
// active[t] on are fully masked at step t, so the kernels neither multiply nor activate them:
// forward they keep the previous state, backward their gradient passes through the carry and
// their rows of the gates' gradients are zero. Their saved intermediates are never written and
// must never be read. A batch sorted by length (longest first) then costs only its real steps.

/** The rows step `t` computes: `batch` when `active` is 0 (no mask), else active[t]. */
@inline export function activeRowsAt(active: usize, t: i32, batch: i32): i32 {
  return active == 0 ? batch : load<i32>(active + (<usize>t << 2));
}

/** Rows [rows, batch) of a `[batch, width]` block set to zero (the skipped rows' gradients). */
export function zeroRowsFrom(p: usize, width: i32, rows: i32, batch: i32): void {
  if (rows < batch) zero(at(p, rows * width), (batch - rows) * width);
}

/** Rows [rows, batch) of `next` copied from `previous`: the skipped rows keep their state. */
export function carryRowsFrom(next: usize, previous: usize, units: i32, rows: i32, batch: i32): void {
  if (rows < batch) copy(at(next, rows * units), at(previous, rows * units), (batch - rows) * units);
}

/**
 * Packs the computed rows of a `[time, batch, width]` array (step t's first active[t] rows)
 * into `[rows, width]` at `dst` and returns the number of rows. `dst` may be `src` (the copy
 * moves rows down only). A parameter gradient Σ_t h_tᵀ·d_t then runs as one product over the
 * rows that were computed, with none of the skipped rows' zeros.
 */
export function compactSteps(dst: usize, src: usize, width: i32, batch: i32, time: i32, active: usize): i32 {
  let rows = 0;
  for (let t = 0; t < time; t++) {
    const n = load<i32>(active + (<usize>t << 2));
    if (n > 0 && (dst != src || rows != t * batch)) copy(at(dst, rows * width), at(src, t * batch * width), n * width);
    rows += n;
  }
  return rows;
}

/**
 * Rows of a backward's parameter-gradient product Σ_t h_tᵀ·d_t: every row (time · batch)
 * without skipped rows (`active` = 0); with them, only the computed rows, packed (see
 * {@link compactSteps}) from `dGates` into `dRecurrent` (in place when they are the same) and in
 * place in `states` (neither is read after this).
 */
export function packComputedRows(
  dRecurrent: usize, dGates: usize, gates: i32, states: usize, units: i32, batch: i32, time: i32, active: usize,
): i32 {
  if (active == 0) return time * batch;
  compactSteps(states, states, units, batch, time, active);
  return compactSteps(dRecurrent, dGates, gates, batch, time, active);
}
