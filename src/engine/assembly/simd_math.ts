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

// Every constant is read from static memory with one v128.load32_splat: V8 builds a v128.const
// from immediates with three instructions each time it is used and does not hoist it out of
// loops, which made the constants alone a third of an activation's instructions.
const SIGN: f32 = -0.0; // the sign bit alone
const MAGIC: f32 = 12582912.0; // 1.5·2^23: adding it rounds |v| < 2^22 to an integer in the low bits
const K = memory.data<f32>([
  EXP_HI, EXP_LO, LOG2E, LN2_HI, LN2_LO, P0, P1, P2, P3, P4, P5, 1.0, MAGIC, SIGN, -2.0,
  Q0, Q1, Q2, Q3, Q4, TANH_SMALL, 0.0,
]);
const K_EXP_HI = 0, K_EXP_LO = 1, K_LOG2E = 2, K_LN2_HI = 3, K_LN2_LO = 4;
const K_P0 = 5, K_P1 = 6, K_P2 = 7, K_P3 = 8, K_P4 = 9, K_P5 = 10, K_ONE = 11, K_MAGIC = 12;
const K_SIGN = 13, K_MINUS_TWO = 14, K_Q0 = 15, K_Q1 = 16, K_Q2 = 17, K_Q3 = 18, K_Q4 = 19;
const K_TANH_SMALL = 20, K_ZERO = 21;

@inline function k(i: i32): v128 {
  return v128.load32_splat(K + (<usize>i << 2));
}

/** e^x per lane. */
@inline export function expV(x: v128): v128 {
  // pmin/pmax are single instructions (min/max are not: they order ±0 and NaN); both return
  // their first operand when it is NaN, so NaN survives the clamp.
  const xc = f32x4.pmax(f32x4.pmin(x, k(K_EXP_HI)), k(K_EXP_LO));
  // n = round-to-nearest-even(x·log2e) through the magic constant: the sum's low mantissa bits
  // are n (two's complement), and subtracting the constant back is exact. Same n as
  // f32x4.nearest, without the float→int conversion V8 lowers to several instructions.
  const magic = k(K_MAGIC);
  const kf = f32x4.add(f32x4.mul(xc, k(K_LOG2E)), magic);
  const nf = f32x4.sub(kf, magic);
  // r = x − n·ln2 in two steps; the first is exact.
  let r = f32x4.sub(xc, f32x4.mul(nf, k(K_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(nf, k(K_LN2_LO)));
  const r2 = f32x4.mul(r, r);
  let p = k(K_P0);
  p = f32x4.add(f32x4.mul(p, r), k(K_P1));
  p = f32x4.add(f32x4.mul(p, r), k(K_P2));
  p = f32x4.add(f32x4.mul(p, r), k(K_P3));
  p = f32x4.add(f32x4.mul(p, r), k(K_P4));
  p = f32x4.add(f32x4.mul(p, r), k(K_P5));
  const one = k(K_ONE);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), one);
  // 2^n = 2^n1 · 2^n2 with n1 = n >> 1: both halves are normal floats for n ∈ [−150, 129], the
  // first product is exact, the second rounds once (into the subnormals, or to ±Infinity).
  const n = i32x4.sub(kf, magic);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  // (n + 127) << 23 = (n << 23) + bits(1.0)
  const s1 = i32x4.add(i32x4.shl(n1, 23), one);
  const s2 = i32x4.add(i32x4.shl(n2, 23), one);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** 1 / (1 + e^−x) per lane. */
@inline export function sigmoidV(x: v128): v128 {
  const t = expV(v128.or(x, k(K_SIGN))); // e^−|x|
  // One division for both signs (divisions dominate the cost): 1/(1+t) for x ≥ 0, t/(1+t) for
  // x < 0. NaN compares false and takes 1/(1+NaN) = NaN.
  const one = k(K_ONE);
  const numerator = v128.bitselect(t, one, f32x4.lt(x, k(K_ZERO)));
  return f32x4.div(numerator, f32x4.add(t, one));
}

/** tanh(x) per lane. */
@inline export function tanhV(x: v128): v128 {
  // Computed on |x|, the sign of x put back at the end (tanh is odd; −0 stays −0).
  const sign = k(K_SIGN);
  const ax = v128.andnot(x, sign);
  // Small |x|: odd polynomial keeps full relative accuracy down to the subnormals.
  const z = f32x4.mul(ax, ax);
  let q = k(K_Q0);
  q = f32x4.add(f32x4.mul(q, z), k(K_Q1));
  q = f32x4.add(f32x4.mul(q, z), k(K_Q2));
  q = f32x4.add(f32x4.mul(q, z), k(K_Q3));
  q = f32x4.add(f32x4.mul(q, z), k(K_Q4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, z), ax), ax);
  // Large |x|: (1 − t)/(1 + t), t = e^−2|x| ∈ [0, 0.29); saturates to exactly 1.
  const t = expV(f32x4.mul(ax, k(K_MINUS_TWO)));
  const one = k(K_ONE);
  const large = f32x4.div(f32x4.sub(one, t), f32x4.add(one, t));
  // NaN compares false and takes `large`, which is NaN.
  const mag = v128.bitselect(small, large, f32x4.lt(ax, k(K_TANH_SMALL)));
  return v128.or(mag, v128.and(x, sign));
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
