/**
 * The engine's SIMD matrix products (src/engine/assembly/matmul.ts) against a float64 naive
 * reference: every small shape (m, k, n not multiples of the 4×8 tile), leading dimensions wider
 * than the matrices, unaligned pointers, accumulation into C, and the long-k AᵀB of parameter
 * gradients. Integer-valued inputs make float32 sums exact, so indexing errors show as exact
 * mismatches; random reals check accuracy against the float32 error bound of blocked summation.
 * Elements outside the product (C's padding, memory after C) must stay untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/random';
import { compileMathModule, type MathModule } from './math_module';

// ABtPacked: A·Bᵀ with B packed once by packTransposedB (the backward's recurrent kernel).
type Variant = 'AB' | 'AtB' | 'ABt' | 'ABtPacked';
let mod: MathModule;
beforeAll(async () => {
  mod = await compileMathModule();
});

interface Case {
  variant: Variant;
  m: number;
  k: number;
  n: number;
  /** Extra elements per row beyond the stored width (ld = width + pad). */
  pad: [number, number, number];
  integers: boolean;
  seed: number;
}

const CANARY = 12345.5;

/** Runs one product in wasm memory; returns [maxFactor, message] (factor ≤ 1 passes). */
function check(c: Case): { factor: number; what: string } {
  const { variant, m, k, n, pad, integers } = c;
  const rand = mulberry32(c.seed);
  const val = integers ? () => Math.floor(rand() * 5) - 2 : () => rand() * 2 - 1;
  // Stored shapes: A is [m×k] (AB, ABt) or [k×m] (AtB); B is [k×n] (AB, AtB) or [n×k] (ABt).
  const [aRows, aCols] = variant === 'AtB' ? [k, m] : [m, k];
  const transB = variant === 'ABt' || variant === 'ABtPacked';
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + pad[0];
  const ldb = bCols + pad[1];
  const ldc = n + pad[2];
  const aLen = aRows * lda;
  const bLen = bRows * ldb;
  const cLen = m * ldc;
  const tail = 8;
  // Float offsets chosen so that the three matrices are not 16-byte aligned.
  const packedLen = k * Math.ceil(n / 8) * 8;
  const base = mod.reserve((aLen + bLen + cLen + tail + 16 + packedLen + 4) * 4);
  const aOff = 1;
  const bOff = aOff + aLen + 2;
  const cOff = bOff + bLen + 3;
  const mem = new Float32Array(mod.memory.buffer, base, cOff + cLen + tail);
  const A = new Float32Array(aLen);
  const B = new Float32Array(bLen);
  const C0 = new Float32Array(cLen + tail);
  for (let i = 0; i < aLen; i++) A[i] = val();
  for (let i = 0; i < bLen; i++) B[i] = val();
  for (let i = 0; i < cLen; i++) C0[i] = i % ldc < n ? val() : CANARY;
  C0.fill(CANARY, cLen);
  mem.set(A, aOff);
  mem.set(B, bOff);
  mem.set(C0, cOff);
  const [aPtr, bPtr, cPtr] = [base + aOff * 4, base + bOff * 4, base + cOff * 4];
  if (variant === 'ABtPacked') {
    const space = base + (cOff + cLen + tail + 4) * 4;
    if (mod.packTransposedB(k, n, bPtr, ldb, space, packedLen - 1) !== 0) {
      return { factor: Infinity, what: 'packed into less space than it needs' };
    }
    const packed = mod.packTransposedB(k, n, bPtr, ldb, space, packedLen);
    if (packed !== space) return { factor: Infinity, what: `packTransposedB returned ${packed}` };
    mod.matmulTransBAddPacked(m, k, n, aPtr, lda, bPtr, ldb, packed, cPtr, ldc);
  } else {
    const fn = variant === 'AB' ? mod.matmulAdd : variant === 'AtB' ? mod.matmulTransAAdd : mod.matmulTransBAdd;
    fn(m, k, n, aPtr, lda, bPtr, ldb, cPtr, ldc);
  }
  const C = new Float32Array(mod.memory.buffer, base + cOff * 4, cLen + tail);

  const a = (i: number, p: number) => (variant === 'AtB' ? A[p * lda + i] : A[i * lda + p]);
  const b = (p: number, j: number) => (transB ? B[j * ldb + p] : B[p * ldb + j]);
  // Blocked float32 summation (blocks of ≤ 256 along k, partial sums added to C) is bounded by
  // γ(256 + k/256 + 2)·(|C0| + Σ|a||b|); exact for integer inputs.
  const eps = 2 ** -24;
  const gamma = (Math.min(k, 256) + Math.ceil(k / 256) + 2) * eps;
  let worst = { factor: 0, what: '' };
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = C[i * ldc + j];
      if (j >= n) {
        if (got !== CANARY) return { factor: Infinity, what: `padding C[${i},${j}] overwritten: ${got}` };
        continue;
      }
      let s = C0[i * ldc + j];
      let abs = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const t = a(i, p) * b(p, j);
        s += t;
        abs += Math.abs(t);
      }
      const err = Math.abs(got - s);
      const factor = integers ? (err === 0 ? 0 : Infinity) : err / (gamma * abs + 1e-30);
      if (!(factor <= worst.factor)) worst = { factor, what: `C[${i},${j}] = ${got}, float64 ${s}` };
    }
  }
  for (let t = 0; t < tail; t++) {
    if (C[cLen + t] !== CANARY) return { factor: Infinity, what: `memory after C overwritten at +${t}` };
  }
  return worst;
}

const VARIANTS: Variant[] = ['AB', 'AtB', 'ABt', 'ABtPacked'];
const SMALL = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13];
const KS = [1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 257];
const NS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 16, 17, 23, 33];

describe('engine matmul: C += A·B, Aᵀ·B, A·Bᵀ (B packed or not) against a float64 reference', () => {
  for (const variant of VARIANTS) {
    it(`${variant}: every small shape, exact on integer inputs, ld > width, unaligned`, () => {
      let seed = 1;
      for (const m of SMALL) {
        for (const k of KS) {
          for (const n of NS) {
            const pad: [number, number, number] = [seed % 3, (seed >> 1) % 4, (seed >> 2) % 3];
            const r = check({ variant, m, k, n, pad, integers: true, seed: seed++ });
            if (r.factor > 0) expect.fail(`${variant} m=${m} k=${k} n=${n} pad=${pad}: ${r.what}`);
          }
        }
      }
    });

    it(`${variant}: random reals, recurrent-step and odd shapes, within the float32 bound`, () => {
      const shapes: [number, number, number][] = [
        [32, 256, 768],
        [1, 3, 9],
        [64, 512, 24],
        [17, 129, 390],
        [33, 64, 256],
        [5, 600, 43],
        [32, 32, 96],
        [3, 1000, 7],
        [70, 300, 265],
      ];
      let seed = 1000;
      for (const [m, k, n] of shapes) {
        for (const pad of [
          [0, 0, 0],
          [3, 5, 1],
        ] as [number, number, number][]) {
          const r = check({ variant, m, k, n, pad, integers: false, seed: seed++ });
          expect(r.factor, `${variant} m=${m} k=${k} n=${n} pad=${pad}: ${r.what}`).toBeLessThanOrEqual(1);
        }
      }
    });
  }

  it('AtB: long k (time·batch rows of a parameter gradient) and C larger than one cache block', () => {
    for (const [m, k, n, integers] of [
      [6, 25_000, 13, true],
      [9, 3_200, 20, false],
      [4, 25_600, 8, false],
      [67, 300, 261, true],
    ] as [number, number, number, boolean][]) {
      const r = check({ variant: 'AtB', m, k, n, pad: [1, 2, 0], integers, seed: m * 7 + n });
      expect(r.factor, `AtB m=${m} k=${k} n=${n}: ${r.what}`).toBeLessThanOrEqual(integers ? 0 : 1);
    }
  });

  it('accumulates: two calls add twice; empty dimensions leave C untouched', () => {
    const base = mod.reserve(4096);
    const mem = new Float32Array(mod.memory.buffer, base, 64);
    mem.fill(0);
    mem.set([1, 2, 3, 4], 0); // A [2×2]
    mem.set([5, 6, 7, 8], 4); // B [2×2]
    mem.set([100, 200, 300, 400], 8); // C [2×2]
    for (let t = 0; t < 2; t++) mod.matmulAdd(2, 2, 2, base, 2, base + 16, 2, base + 32, 2);
    expect(Array.from(mem.subarray(8, 12))).toEqual([100 + 38, 200 + 44, 300 + 86, 400 + 100]);
    for (const fn of [mod.matmulAdd, mod.matmulTransAAdd, mod.matmulTransBAdd]) {
      fn(0, 2, 2, base, 2, base + 16, 2, base + 32, 2);
      fn(2, 0, 2, base, 2, base + 16, 2, base + 32, 2);
      fn(2, 2, 0, base, 2, base + 16, 2, base + 32, 2);
    }
    expect(Array.from(mem.subarray(8, 12))).toEqual([100 + 38, 200 + 44, 300 + 86, 400 + 100]);
  });
});
