/**
 * Accuracy of the engine's vectorised exp / sigmoid / tanh (src/engine/assembly/simd_math.ts):
 * max relative error ≤ 1e-6 against float64 values computed from Math.exp / Math.expm1 over the
 * whole float32 range — random bit patterns (every exponent), a dense grid over the active range,
 * and edge cases (±0, subnormals, saturation, overflow/underflow bounds, ±Infinity, NaN).
 * Where the exact value is below the smallest normal float32 the result can only be as exact as
 * the subnormal grid, so there the error must stay within one subnormal step (2^-149) — which is
 * what "does not underflow early" means. The scalar functions must be bit-identical to a lane.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/random';
import { compileMathModule, type MathModule } from './math_module';

const MAX_REL = 1e-6;
const FLT_MIN = 2 ** -126;
const FLT_MAX = 3.4028234663852886e38;
const SUBNORMAL_STEP = 2 ** -149;

let mod: MathModule;
beforeAll(async () => {
  mod = await compileMathModule();
});

const refExp = (x: number): number => Math.exp(x);
const refSigmoid = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};
// tanh|x| = −expm1(−2|x|) / (2 + expm1(−2|x|)): no cancellation near 0.
const refTanh = (x: number): number => {
  if (x === 0) return x;
  const t = Math.expm1(-2 * Math.abs(x));
  const y = -t / (2 + t);
  return x < 0 ? -y : y;
};

const EDGES: number[] = (() => {
  const v = [
    0,
    -0,
    2 ** -149,
    2 ** -140,
    2 ** -127,
    FLT_MIN,
    1e-30,
    1e-20,
    1e-10,
    1e-7,
    1e-4,
    1e-3,
    0.01,
    0.1,
    0.3,
    0.5,
    0.6,
    0.624,
    0.625,
    0.626,
    0.7,
    1,
    2,
    3,
    5,
    8,
    9,
    9.01,
    9.1,
    10,
    15,
    16,
    16.7,
    17,
    20,
    30,
    40,
    50,
    80,
    87,
    87.33,
    87.34,
    88,
    88.5,
    88.72,
    88.7228,
    88.7229,
    88.73,
    89,
    90,
    100,
    103,
    103.9,
    103.97,
    103.98,
    104,
    105,
    200,
    1e10,
    1e30,
    FLT_MAX,
    Infinity,
  ];
  const out: number[] = [];
  for (const x of v) {
    const f = Math.fround(x);
    // The float32 neighbours of each edge too.
    const buf = new Float32Array([f]);
    const bits = new Int32Array(buf.buffer);
    for (const d of [-2, -1, 0, 1, 2]) {
      const b = new Int32Array([bits[0] + d]);
      const g = new Float32Array(b.buffer)[0];
      if (Number.isFinite(g) || g === Infinity) out.push(g, -g);
    }
  }
  // Every ±k·ln2 boundary of the range reduction's rounding, and around it.
  for (let k = -151; k <= 129; k++) {
    const y = (k + 0.5) * Math.LN2;
    out.push(Math.fround(y), Math.fround(y * (1 + 2 ** -23)), Math.fround(y * (1 - 2 ** -23)));
  }
  return out;
})();

function sweepInputs(): Float32Array {
  const rand = mulberry32(12345);
  const nBits = 600_000;
  const nGrid = 600_000;
  const xs = new Float32Array(nBits + nGrid + EDGES.length);
  const bits = new Uint32Array(xs.buffer, 0, nBits);
  for (let i = 0; i < nBits; i++) {
    let b = (rand() * 4294967296) >>> 0;
    if ((b & 0x7f800000) === 0x7f800000) b &= 0xbfffffff; // no NaN/Infinity here: edges cover them
    bits[i] = b;
  }
  // Dense grid over the range where none of the three saturates: [−110, 110].
  for (let i = 0; i < nGrid; i++) xs[nBits + i] = -110 + (220 * (i + rand())) / nGrid;
  xs.set(EDGES, nBits + nGrid);
  return xs;
}

type Fn = 'exp' | 'sigmoid' | 'tanh';
const REF: Record<Fn, (x: number) => number> = { exp: refExp, sigmoid: refSigmoid, tanh: refTanh };

function runArray(fn: Fn, xs: Float32Array, inPlace = false): Float32Array {
  const n = xs.length;
  const src = mod.reserve(n * 8 + 64);
  const dst = inPlace ? src : src + n * 4 + 16; // dst deliberately not 16-byte aligned relative to src
  new Float32Array(mod.memory.buffer, src, n).set(xs);
  const call = fn === 'exp' ? mod.expArray : fn === 'sigmoid' ? mod.sigmoidArray : mod.tanhArray;
  call(src, dst, n);
  return new Float32Array(mod.memory.buffer, dst, n).slice();
}

/** Largest violation factor: error / allowed error (≤ 1 passes), and the worst input. */
function worst(fn: Fn, xs: Float32Array, ys: Float32Array): { factor: number; x: number; y: number; ref: number } {
  const ref = REF[fn];
  let w = { factor: 0, x: NaN, y: NaN, ref: NaN };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    const r = ref(x);
    let factor: number;
    if (Number.isNaN(x)) factor = Number.isNaN(y) ? 0 : Infinity;
    else if (!Number.isFinite(Math.fround(r))) factor = y === Math.fround(r) ? 0 : Infinity;
    else if (Math.abs(r) < FLT_MIN) factor = Math.abs(y - r) / SUBNORMAL_STEP;
    else factor = Math.abs(y - r) / (MAX_REL * Math.abs(r));
    if (!(factor <= w.factor)) w = { factor, x, y, ref: r };
  }
  return w;
}

describe('engine simd_math: float32-accurate exp, sigmoid, tanh', () => {
  const xs = sweepInputs();

  it('sweeps ≥ 1e6 points', () => {
    expect(xs.length).toBeGreaterThanOrEqual(1_000_000);
  });

  for (const fn of ['exp', 'sigmoid', 'tanh'] as const) {
    it(`${fn}: max relative error ≤ 1e-6 over the float range (subnormal results within one step)`, () => {
      const ys = runArray(fn, xs);
      const w = worst(fn, xs, ys);
      expect(w.factor, `${fn}(${w.x}) = ${w.y}, float64 ${w.ref}`).toBeLessThanOrEqual(1);
    });
  }

  it('NaN in → NaN out, whatever the payload and sign', () => {
    const nanBits = new Uint32Array([0x7fc00000, 0xffc00000, 0x7f800001, 0x7fffffff, 0xffffffff, 0x7fa00000]);
    const nans = new Float32Array(nanBits.buffer);
    for (const fn of ['exp', 'sigmoid', 'tanh'] as const) {
      const ys = runArray(fn, nans);
      for (const y of ys) expect(Number.isNaN(y), fn).toBe(true);
    }
    expect(Number.isNaN(mod.sigmoidF(NaN))).toBe(true);
    expect(Number.isNaN(mod.tanhF(NaN))).toBe(true);
  });

  it('saturation and signs are exact where the float32 answer is exact', () => {
    expect(runArray('exp', new Float32Array([-Infinity, Infinity, 0, -200, 200]))).toEqual(
      new Float32Array([0, Infinity, 1, 0, Infinity]),
    );
    const s = runArray('sigmoid', new Float32Array([-Infinity, Infinity, 0, 20, 200]));
    expect(Array.from(s)).toEqual([0, 1, 0.5, 1, 1]);
    const t = runArray('tanh', new Float32Array([-Infinity, Infinity, 0, -0, 10, -10]));
    expect(Array.from(t)).toEqual([-1, 1, 0, -0, 1, -1]);
    expect(Object.is(t[3], -0)).toBe(true);
  });

  it('sigmoid of very negative x does not underflow early', () => {
    const x = new Float32Array([-88, -95, -100, -103]);
    const y = runArray('sigmoid', x);
    for (let i = 0; i < x.length; i++) {
      expect(y[i]).toBeGreaterThan(0);
      expect(Math.abs(y[i] - refSigmoid(x[i]))).toBeLessThanOrEqual(SUBNORMAL_STEP);
    }
  });

  it('tanh keeps its relative accuracy near 0', () => {
    const x = new Float32Array([1e-38, 1e-30, 1e-12, 3e-8, 1e-5, 1e-3]);
    const y = runArray('tanh', x);
    for (let i = 0; i < x.length; i++) {
      expect(Math.abs(y[i] - refTanh(x[i])) / refTanh(x[i])).toBeLessThanOrEqual(MAX_REL);
    }
  });

  it('scalar sigmoidF/tanhF are bit-identical to a lane of the vector versions', () => {
    const sample = xs.subarray(0, 200_000);
    const vs = runArray('sigmoid', sample);
    const vt = runArray('tanh', sample);
    let diff = 0;
    for (let i = 0; i < sample.length; i++) {
      if (!Object.is(mod.sigmoidF(sample[i]), vs[i])) diff++;
      if (!Object.is(mod.tanhF(sample[i]), vt[i])) diff++;
    }
    expect(diff).toBe(0);
  });

  it('array functions handle tails (n not a multiple of 4) and src == dst', () => {
    for (const n of [0, 1, 2, 3, 5, 6, 7, 9, 31]) {
      const x = xs.subarray(600_000, 600_000 + n);
      for (const fn of ['sigmoid', 'tanh'] as const) {
        const out = runArray(fn, x);
        const inPlace = runArray(fn, x, true);
        expect(inPlace).toEqual(out);
        for (let i = 0; i < n; i++) {
          const s = fn === 'sigmoid' ? mod.sigmoidF(x[i]) : mod.tanhF(x[i]);
          expect(Object.is(out[i], s)).toBe(true);
        }
      }
    }
  });
});
