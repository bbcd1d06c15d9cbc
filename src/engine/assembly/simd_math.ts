// Vectorised exp / sigmoid / tanh for float32, accurate to ≈ 3e-7 relative error over the whole
// float range (saturation and subnormal results included; NaN in → NaN out).
//
// exp: Cody–Waite range reduction x = n·ln2 + r (|r| ≤ ln2/2), a degree-7 polynomial for e^r
// (Cephes expf's minimax coefficients), and 2^n applied in two exact halves so that results in the
// subnormal range (x down to −103.97) are rounded once instead of flushing to zero.
// sigmoid: from t = e^−|x| ∈ (0, 1], 1/(1+t) for x ≥ 0 and t/(1+t) for x < 0 — never overflows,
// and sigmoid(−100) is the subnormal it should be instead of 0.
// tanh: an odd polynomial (Cephes tanhf) for |x| < 0.625, where (1−t)/(1+t) would cancel;
// (1−t)/(1+t) with t = e^−2|x| above, carrying the sign of x.
// The scalar versions run the vector code on a splat and read lane 0, so they are bit-identical
// to a lane of the vector versions by construction (the engine mixes both for tails).

// Inputs are clamped to [EXP_LO, EXP_HI]: e^89 overflows to +Infinity, e^−104 rounds to 0.
// wasm's f32x4.min/max propagate NaN, so NaN survives the clamp.
const EXP_HI: f32 = 89.0;
const EXP_LO: f32 = -104.0;
const LOG2E: f32 = 1.44269504088896341;
// ln2 split in two: LN2_HI has few significant bits, so n·LN2_HI is exact for |n| ≤ 150.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// Cephes expf: e^r ≈ 1 + r + r²·P(r), |r| ≤ ln2/2.
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
// Cephes tanhf: tanh(x) ≈ x + x·z·Q(z), z = x², for |x| < 0.625.
const TANH_SMALL: f32 = 0.625;
const Q0: f32 = -5.70498872745e-3;
const Q1: f32 = 2.06390887954e-2;
const Q2: f32 = -5.37397155531e-2;
const Q3: f32 = 1.33314422036e-1;
const Q4: f32 = -3.33332819422e-1;

/** e^x per lane. */
@inline export function expV(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const nf = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  // r = x − n·ln2 in two steps; the first is exact.
  let r = f32x4.sub(xc, f32x4.mul(nf, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(nf, f32x4.splat(LN2_LO)));
  const r2 = f32x4.mul(r, r);
  let p = f32x4.splat(P0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  // 2^n = 2^n1 · 2^n2 with n1 = n >> 1: both halves are normal floats for n ∈ [−150, 129], the
  // first product is exact, the second rounds once (into the subnormals, or to ±Infinity).
  const n = i32x4.trunc_sat_f32x4_s(nf);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** 1 / (1 + e^−x) per lane. */
@inline export function sigmoidV(x: v128): v128 {
  const t = expV(f32x4.neg(f32x4.abs(x)));
  // One division for both signs (divisions dominate the cost): 1/(1+t) for x ≥ 0, t/(1+t) for
  // x < 0. NaN compares false and takes 1/(1+NaN) = NaN.
  const numerator = v128.bitselect(t, f32x4.splat(1.0), f32x4.lt(x, f32x4.splat(0.0)));
  return f32x4.div(numerator, f32x4.add(t, f32x4.splat(1.0)));
}

/** tanh(x) per lane. */
@inline export function tanhV(x: v128): v128 {
  // Computed on |x|, the sign of x put back at the end (tanh is odd; −0 stays −0).
  const ax = f32x4.abs(x);
  // Small |x|: odd polynomial keeps full relative accuracy down to the subnormals.
  const z = f32x4.mul(ax, ax);
  let q = f32x4.splat(Q0);
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(Q1));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(Q2));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(Q3));
  q = f32x4.add(f32x4.mul(q, z), f32x4.splat(Q4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, z), ax), ax);
  // Large |x|: (1 − t)/(1 + t), t = e^−2|x| ∈ [0, 0.29); saturates to exactly 1.
  const t = expV(f32x4.neg(f32x4.add(ax, ax)));
  const one = f32x4.splat(1.0);
  const large = f32x4.div(f32x4.sub(one, t), f32x4.add(one, t));
  // NaN compares false and takes `large`, which is NaN.
  const mag = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(TANH_SMALL)));
  return v128.or(mag, v128.and(x, i32x4.splat(0x80000000)));
}

/** e^x, bit-identical to one lane of {@link expV}. */
export function expF(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** Logistic sigmoid, bit-identical to one lane of {@link sigmoidV}. */
export function sigmoidF(x: f32): f32 {
  return f32x4.extract_lane(sigmoidV(f32x4.splat(x)), 0);
}

/** tanh, bit-identical to one lane of {@link tanhV}. */
export function tanhF(x: f32): f32 {
  return f32x4.extract_lane(tanhV(f32x4.splat(x)), 0);
}

/** dst[i] = sigmoid(src[i]) for n floats; src == dst allowed. */
export function sigmoidArray(src: usize, dst: usize, n: i32): void {
  const end = src + (<usize>n << 2);
  const end4 = src + (<usize>(n & ~3) << 2);
  while (src < end4) {
    v128.store(dst, sigmoidV(v128.load(src)));
    src += 16;
    dst += 16;
  }
  while (src < end) {
    store<f32>(dst, sigmoidF(load<f32>(src)));
    src += 4;
    dst += 4;
  }
}

/** dst[i] = tanh(src[i]) for n floats; src == dst allowed. */
export function tanhArray(src: usize, dst: usize, n: i32): void {
  const end = src + (<usize>n << 2);
  const end4 = src + (<usize>(n & ~3) << 2);
  while (src < end4) {
    v128.store(dst, tanhV(v128.load(src)));
    src += 16;
    dst += 16;
  }
  while (src < end) {
    store<f32>(dst, tanhF(load<f32>(src)));
    src += 4;
    dst += 4;
  }
}
