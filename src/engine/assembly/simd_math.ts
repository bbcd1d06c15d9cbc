// Vectorised exp / sigmoid / tanh for float32, accurate to ≈ 3e-7 relative error over the whole
// float range (saturation and subnormal results included; NaN in → NaN out).
//
// All three rest on one reduction: x = n·ln2 + r (Cody–Waite, |r| ≤ ln2/2) and
// e^r − 1 ≈ q(r) = r + r²·P(r), with P a degree-4 minimax fit (relative error 1.3e-8 on the
// interval, far below float32's own rounding of the operations around it).
// exp: (1 + q)·2^n, with 2^n applied in two exact halves so that results in the subnormal range
// (x down to −103.97) are rounded once instead of flushing to zero.
// sigmoid: from t = e^−|x| ∈ (0, 1], 1/(1+t) for x ≥ 0 and t/(1+t) for x < 0 — never overflows,
// and sigmoid(−100) is the subnormal it should be instead of 0.
// tanh: from m = e^−2|x| − 1 = 2^n·q + (2^n − 1) (exact to the last rounding, n = 0 leaves q
// itself, so there is no cancellation near 0), tanh|x| = −m / (2 + m), carrying the sign of x.
// The scalar versions run the vector code on a splat and read lane 0, so they are bit-identical
// to a lane of the vector versions by construction (the engine mixes both for tails).

// exp's input is clamped to [EXP_LO, EXP_HI]: e^89 overflows to +Infinity, e^−104 rounds to 0.
const EXP_HI: f32 = 89.0;
const EXP_LO: f32 = -104.0;
// tanh's −2|x| is clamped at TANH_LO: below it tanh|x| rounds to exactly 1 (and 2^n stays a
// normal float, so tanh needs no two-step scaling).
const TANH_LO: f32 = -20.0;
const LOG2E: f32 = 1.44269504088896341;
// ln2 split in two: LN2_HI has few significant bits, so n·LN2_HI is exact for |n| ≤ 150.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// P(r) ≈ (e^r − 1 − r)/r² on |r| ≤ ln2/2, degree 4: minimax of the relative error of e^r − 1
// (1.3e-8, Lawson's algorithm in float64), so q is as accurate near r = 0 as e^r is elsewhere.
const P0: f32 = 0.4999999701976776;
const P1: f32 = 0.1666654348373413;
const P2: f32 = 0.04166720062494278;
const P3: f32 = 0.008366589434444904;
const P4: f32 = 0.0013882509665563703;
const SIGN: f32 = -0.0; // the sign bit alone
const MAGIC: f32 = 12582912.0; // 1.5·2^23: adding it rounds |v| < 2^22 to an integer in the low bits

// Every constant is read from static memory with one v128.load32_splat: V8 builds a v128.const
// from immediates with three instructions each time it is used and does not hoist it out of
// loops, which made the constants alone a third of an activation's instructions.
const K = memory.data<f32>([
  EXP_HI, EXP_LO, TANH_LO, LOG2E, LN2_HI, LN2_LO, P0, P1, P2, P3, P4, 1.0, 2.0, MAGIC, SIGN, -2.0, 0.0,
]);
const K_EXP_HI = 0, K_EXP_LO = 1, K_TANH_LO = 2, K_LOG2E = 3, K_LN2_HI = 4, K_LN2_LO = 5;
const K_P0 = 6, K_P1 = 7, K_P2 = 8, K_P3 = 9, K_P4 = 10, K_ONE = 11, K_TWO = 12, K_MAGIC = 13;
const K_SIGN = 14, K_MINUS_TWO = 15, K_ZERO = 16;

@inline function k(i: i32): v128 {
  return v128.load32_splat(K + (<usize>i << 2));
}

// The reduction of a clamped x, in two parts. `shifted(x)` = x·log2e + 1.5·2^23: adding the
// magic constant rounds x·log2e to the nearest integer n (ties to even, as f32x4.nearest) and
// leaves n in the low mantissa bits, so `exponentOf` reads n as an integer with one subtraction —
// V8 lowers the float→int conversion to several instructions. `expm1Reduced` returns
// q = e^r − 1 for r = x − n·ln2.
@inline function shifted(xc: v128): v128 {
  return f32x4.add(f32x4.mul(xc, k(K_LOG2E)), k(K_MAGIC));
}

@inline function exponentOf(kf: v128): v128 {
  return i32x4.sub(kf, k(K_MAGIC));
}

@inline function expm1Reduced(xc: v128, kf: v128): v128 {
  const nf = f32x4.sub(kf, k(K_MAGIC)); // exact
  // r = x − n·ln2 in two steps; the first is exact.
  let r = f32x4.sub(xc, f32x4.mul(nf, k(K_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(nf, k(K_LN2_LO)));
  let p = k(K_P4);
  p = f32x4.add(f32x4.mul(p, r), k(K_P3));
  p = f32x4.add(f32x4.mul(p, r), k(K_P2));
  p = f32x4.add(f32x4.mul(p, r), k(K_P1));
  p = f32x4.add(f32x4.mul(p, r), k(K_P0));
  return f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r);
}

// e^x for x ≤ EXP_HI (already clamped above, or NaN).
@inline function expBelowHi(x: v128): v128 {
  // pmax is one instruction (max is not: it orders ±0 and NaN); it returns its first operand
  // when that is NaN, so NaN survives the clamp.
  const one = k(K_ONE);
  const xc = f32x4.pmax(x, k(K_EXP_LO));
  const kf = shifted(xc);
  const p = f32x4.add(expm1Reduced(xc, kf), one);
  // 2^n = 2^n1 · 2^n2 with n1 = n >> 1: both halves are normal floats for n ∈ [−150, 129], the
  // first product is exact, the second rounds once (into the subnormals, or to ±Infinity).
  // (n + 127) << 23 = (n << 23) + bits(1.0).
  const n = exponentOf(kf);
  const n1 = i32x4.shr_s(n, 1);
  const s1 = i32x4.add(i32x4.shl(n1, 23), one);
  const s2 = i32x4.add(i32x4.shl(i32x4.sub(n, n1), 23), one);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** e^x per lane. */
@inline export function expV(x: v128): v128 {
  return expBelowHi(f32x4.pmin(x, k(K_EXP_HI)));
}

/** 1 / (1 + e^−x) per lane. */
@inline export function sigmoidV(x: v128): v128 {
  const t = expBelowHi(v128.or(x, k(K_SIGN))); // e^−|x|
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
  const y = f32x4.pmax(f32x4.mul(v128.andnot(x, sign), k(K_MINUS_TWO)), k(K_TANH_LO)); // −2|x|
  const kf = shifted(y);
  const q = expm1Reduced(y, kf);
  const s = i32x4.add(i32x4.shl(exponentOf(kf), 23), k(K_ONE)); // 2^n, n ∈ [−29, 0]
  // m = e^y − 1 ∈ [−1, 0]: s·q is exact and so is s − 1 for n ≥ −24, the sum rounds once.
  const m = f32x4.add(f32x4.mul(s, q), f32x4.sub(s, k(K_ONE)));
  // tanh|x| = −m / (2 + m); −m as m without its sign bit, so that x = ±0 gives +0 here.
  // NaN stays NaN through every step.
  const mag = f32x4.div(v128.andnot(m, sign), f32x4.add(m, k(K_TWO)));
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
