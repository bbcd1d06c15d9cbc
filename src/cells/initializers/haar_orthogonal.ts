import { engineReflectorWorkspace, type ReflectorWorkspace } from '../../engine/engine_householder';
import type { SeededRandom } from '../../utils/seeded_random';

/**
 * Householder reflections applied together (compact WY blocks): 32 and 64 measured equally fast on
 * the engine's kernel, 96 slower; 32 keeps T (b²/2 dot products per block, in JavaScript) cheap.
 */
const BLOCK = 32;

/**
 * A random `rows × cols` matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols),
 * uniformly (Haar) distributed, as float64 in row-major order.
 *
 * Method (Stewart 1980, "The efficient generation of random orthogonal matrices with an
 * application to condition estimators"): the Q factor of the QR decomposition of an `m × n`
 * Gaussian matrix, with R's diagonal made positive, is `Q = H_0 H_1 … H_{n−1} [I_n; 0] D`
 * where `H_k` reflects the Gaussian vector `x_k ~ N(0, I_{m−k})` onto the axis and
 * `D = diag(sign)`; each `x_k` is independent of the others, so they can be drawn directly and R
 * never computed. That halves the work of a QR; forming Q from the reflections
 * (`4n³/3` flops for a square matrix) runs in blocks of {@link BLOCK} reflections,
 * `Q ← Q − V·(T·(Vᵀ·Q))` (compact WY form): on the recurrence engine's float64 SIMD kernel
 * (src/engine/assembly/householder.ts) once the engine is loaded, else in JavaScript
 * ({@link javascriptWorkspace}). Both compute every element by the same sequence of float64
 * operations, so the result does not depend on which ran (a browser page that builds a model
 * before the engine has compiled gets the same weights). Everything stays in float64, so the
 * columns are orthonormal to ~1e-15 before the caller rounds them to float32.
 *
 * @param useEngine `false` runs the JavaScript path even when the engine is loaded (tests
 *   compare the two).
 */
export function orthogonalMatrix(rows: number, cols: number, random: SeededRandom, useEngine = true): Float64Array {
  const values = new Float64Array(rows * cols);
  writeOrthogonalMatrix({ values, offset: 0, stride: cols, scale: 1 }, rows, cols, random, useEngine);
  return values;
}

/** Where {@link writeOrthogonalMatrix} puts element (r, c): `values[offset + r·stride + c] = scale·Q_rc`. */
export interface MatrixTarget {
  values: Float32Array | Float64Array;
  offset: number;
  stride: number;
  scale: number;
}

/**
 * {@link orthogonalMatrix} written straight into `target` (a block of a larger weight, scaled),
 * which spares a copy of the whole matrix.
 */
export function writeOrthogonalMatrix(
  target: MatrixTarget,
  rows: number,
  cols: number,
  random: SeededRandom,
  useEngine = true,
): void {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const { v, signs } = drawReflections(m, n, random);
  // Q's rows are padded to an odd multiple of 4 doubles, so that no row stride is a power of two
  // (which maps a column onto a few cache sets); the kernel measured the same either way at 2 048.
  const ldq = Math.ceil(n / 8) * 8 + 4;
  const work = (useEngine ? engineReflectorWorkspace(m, n, ldq, BLOCK) : null) ?? javascriptWorkspace(m, n, ldq, BLOCK);
  const q = work.q;
  for (let j = 0; j < n; j++) q[j * ldq + j] = 1;
  // Q ← H_{k0} ⋯ H_{k1−1} Q for blocks from the last reflections to the first. Columns j < k0
  // are still e_j there, which the block leaves unchanged, and rows i < k0 of the others are
  // still zero: only columns k0 … n−1 and rows k0 … m−1 take part.
  for (let k1 = n; k1 > 0; k1 -= BLOCK) {
    const k0 = Math.max(0, k1 - BLOCK);
    const b = k1 - k0;
    packPanel(v, m, k0, b, work.panel);
    blockT(v, m, k0, b, work.t);
    work.apply(k0, b);
  }
  const { values, offset, stride, scale } = target;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const value = scale * (signs[j] * q[i * ldq + j]);
      if (tall) values[offset + i * stride + j] = value;
      else values[offset + j * stride + i] = value;
    }
  }
}

/**
 * Reflection k is H_k = I − v_k v_kᵀ with ‖v_k‖² = 2 and v_k zero above row k (column k of `v`,
 * column-major); `signs[k]` is the sign of R's diagonal entry k.
 */
function drawReflections(m: number, n: number, random: SeededRandom): { v: Float64Array; signs: Float64Array } {
  const v = new Float64Array(n * m);
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const o = k * m;
    let norm = 0;
    for (let i = k; i < m; i++) {
      const g = random.normal();
      v[o + i] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    // Reflect onto −sign(x₀)‖x‖ (no cancellation); R's diagonal entry then has that sign.
    const alpha = v[o + k] >= 0 ? -norm : norm;
    v[o + k] -= alpha;
    let vNorm = 0;
    for (let i = k; i < m; i++) vNorm += v[o + i] * v[o + i];
    const scale = vNorm > 0 ? Math.sqrt(2 / vNorm) : 0;
    for (let i = k; i < m; i++) v[o + i] *= scale;
    signs[k] = alpha >= 0 ? 1 : -1;
  }
  return { v, signs };
}

/**
 * panel(i − k0, p) = v_{k0+p}(i) for rows k0 … m−1 (row-major, stride b), in strips of rows:
 * v's columns are m apart, a power of two for the usual sizes, and reading 32 of them row by row
 * evicts each from L1 before its next row is read.
 */
function packPanel(v: Float64Array, m: number, k0: number, b: number, panel: Float64Array): void {
  const STRIP = 64;
  for (let i0 = k0; i0 < m; i0 += STRIP) {
    const i1 = Math.min(m, i0 + STRIP);
    for (let p = 0; p < b; p++) {
      const o = (k0 + p) * m;
      for (let i = i0; i < i1; i++) panel[(i - k0) * b + p] = v[o + i];
    }
  }
}

/**
 * Upper-triangular T (row-major, stride b) with H_{k0} ⋯ H_{k0+b−1} = I − V T Vᵀ
 * (LAPACK's dlarft, forward, τ = 1): T_ii = 1, T(0:i, i) = −T(0:i, 0:i) · Vᵀ(:, 0:i) · v_i.
 */
function blockT(v: Float64Array, m: number, k0: number, b: number, t: Float64Array): void {
  t.fill(0, 0, b * b);
  const dots = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    t[i * b + i] = 1;
    const oi = (k0 + i) * m;
    // dots[r] = v_r · v_i over rows k0 + i … m − 1, four r at a time (one load of v_i each).
    let r = 0;
    for (; r + 3 < i; r += 4) {
      const o0 = (k0 + r) * m;
      const o1 = o0 + m;
      const o2 = o1 + m;
      const o3 = o2 + m;
      let d0 = 0,
        d1 = 0,
        d2 = 0,
        d3 = 0;
      for (let x = k0 + i; x < m; x++) {
        const y = v[oi + x];
        d0 += v[o0 + x] * y;
        d1 += v[o1 + x] * y;
        d2 += v[o2 + x] * y;
        d3 += v[o3 + x] * y;
      }
      dots[r] = d0;
      dots[r + 1] = d1;
      dots[r + 2] = d2;
      dots[r + 3] = d3;
    }
    for (; r < i; r++) {
      const or = (k0 + r) * m;
      let d = 0;
      for (let x = k0 + i; x < m; x++) d += v[or + x] * v[oi + x];
      dots[r] = d;
    }
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let c = r; c < i; c++) s += t[r * b + c] * dots[c];
      t[r * b + i] = -s;
    }
  }
}

/** Columns of Q the JavaScript twin carries through the three products together. */
const COLUMN_GROUP = 64;
/** Rows of Pᵀ·Q the JavaScript twin sums per pass, so that a pass's strips stay in cache (128 measured at least as fast as 32 or one pass). */
const ROW_CHUNK = 128;

/**
 * The JavaScript twin of the engine's kernel (src/engine/assembly/householder.ts), for when the
 * engine is not loaded. Every sum starts at 0 and adds its terms in the same index order as
 * there (blocking only decides when: a row chunk's partial sums of Pᵀ·Q wait in W for the next
 * chunk), so the results are bit-identical; terms that are exact zeros (P above its diagonal)
 * may be skipped or not, since adding them changes nothing. Register tiles differ from the
 * kernel's (V8 keeps about 8 sums in registers).
 */
function javascriptWorkspace(m: number, n: number, ldq: number, maxBlock: number): ReflectorWorkspace {
  const q = new Float64Array(m * ldq);
  const panel = new Float64Array(m * maxBlock);
  const t = new Float64Array(maxBlock * maxBlock);
  const w = new Float64Array(maxBlock * COLUMN_GROUP);
  return {
    q,
    ldq,
    panel,
    t,
    apply(k0: number, b: number): void {
      const rows = m - k0;
      const cols = n - k0;
      for (let j0 = 0; j0 < cols; j0 += COLUMN_GROUP) {
        const nc = Math.min(COLUMN_GROUP, cols - j0);
        const qj = k0 * ldq + k0 + j0;
        productPtQ(rows, b, nc, panel, q, qj, ldq, w);
        productTW(b, nc, t, w);
        subtractPW(rows, b, nc, panel, w, q, qj, ldq);
      }
    },
  };
}

/** W(p, j) = Σ_i P(i, p) Q(i, j) (W stride COLUMN_GROUP), in row chunks; P(i, p) = 0 for i < p. */
function productPtQ(
  rows: number,
  b: number,
  nc: number,
  P: Float64Array,
  Q: Float64Array,
  qj: number,
  ldq: number,
  W: Float64Array,
): void {
  const G = COLUMN_GROUP;
  W.fill(0, 0, b * G);
  const b4 = b - (b % 4);
  const nc2 = nc - (nc % 2);
  for (let i0 = 0; i0 < rows; i0 += ROW_CHUNK) {
    const i1 = Math.min(rows, i0 + ROW_CHUNK);
    for (let j = 0; j < nc2; j += 2) {
      // 4 reflections × 2 columns: 8 independent sums (the most V8 keeps in registers here).
      for (let p = 0; p < b4; p += 4) {
        const w0 = p * G + j;
        let a0 = W[w0],
          a1 = W[w0 + 1],
          b0 = W[w0 + G],
          b1 = W[w0 + G + 1],
          c0 = W[w0 + 2 * G],
          c1 = W[w0 + 2 * G + 1],
          d0 = W[w0 + 3 * G],
          d1 = W[w0 + 3 * G + 1];
        for (let i = Math.max(i0, p); i < i1; i++) {
          const qi = qj + i * ldq + j;
          const u = Q[qi],
            z = Q[qi + 1];
          const pi = i * b + p;
          const x = P[pi],
            y = P[pi + 1],
            xx = P[pi + 2],
            yy = P[pi + 3];
          a0 += x * u;
          a1 += x * z;
          b0 += y * u;
          b1 += y * z;
          c0 += xx * u;
          c1 += xx * z;
          d0 += yy * u;
          d1 += yy * z;
        }
        W[w0] = a0;
        W[w0 + 1] = a1;
        W[w0 + G] = b0;
        W[w0 + G + 1] = b1;
        W[w0 + 2 * G] = c0;
        W[w0 + 2 * G + 1] = c1;
        W[w0 + 3 * G] = d0;
        W[w0 + 3 * G + 1] = d1;
      }
      for (let p = b4; p < b; p++) {
        for (let c = j; c < j + 2; c++)
          W[p * G + c] = sumPQ(W[p * G + c], P, b, p, Q, qj + c, ldq, Math.max(i0, p), i1);
      }
    }
    for (let c = nc2; c < nc; c++) {
      for (let p = 0; p < b; p++) W[p * G + c] = sumPQ(W[p * G + c], P, b, p, Q, qj + c, ldq, Math.max(i0, p), i1);
    }
  }
}

/** s + Σ_{from ≤ i < to} P(i, p) Q(i, ·) for the column of Q at offset `qc`, in order. */
function sumPQ(
  s: number,
  P: Float64Array,
  b: number,
  p: number,
  Q: Float64Array,
  qc: number,
  ldq: number,
  from: number,
  to: number,
): number {
  for (let i = from; i < to; i++) s += P[i * b + p] * Q[qc + i * ldq];
  return s;
}

/** W ← T·W in place (T upper triangular, stride b: row r reads rows ≥ r, so top-down is safe). */
function productTW(b: number, nc: number, T: Float64Array, W: Float64Array): void {
  const G = COLUMN_GROUP;
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < nc; j++) {
      let s = 0;
      for (let c = r; c < b; c++) s += T[r * b + c] * W[c * G + j];
      W[r * G + j] = s;
    }
  }
}

/** Q(i, j) −= Σ_p P(i, p) W(p, j), each sum in order from 0; P(i, p) = 0 for p > i. */
function subtractPW(
  rows: number,
  b: number,
  nc: number,
  P: Float64Array,
  W: Float64Array,
  Q: Float64Array,
  qj: number,
  ldq: number,
): void {
  const G = COLUMN_GROUP;
  const nc4 = nc - (nc % 4);
  const rows2 = rows - (rows % 2);
  let i = 0;
  for (; i < rows2; i += 2) {
    const pEnd = Math.min(b, i + 2);
    const p0 = i * b;
    const p1 = p0 + b;
    const q0 = qj + i * ldq;
    const q1 = q0 + ldq;
    // 2 rows × 4 columns: 8 independent sums.
    for (let j = 0; j < nc4; j += 4) {
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        b0 = 0,
        b1 = 0,
        b2 = 0,
        b3 = 0;
      for (let p = 0; p < pEnd; p++) {
        const x = P[p0 + p],
          y = P[p1 + p];
        const wp = p * G + j;
        const u0 = W[wp],
          u1 = W[wp + 1],
          u2 = W[wp + 2],
          u3 = W[wp + 3];
        a0 += x * u0;
        a1 += x * u1;
        a2 += x * u2;
        a3 += x * u3;
        b0 += y * u0;
        b1 += y * u1;
        b2 += y * u2;
        b3 += y * u3;
      }
      Q[q0 + j] -= a0;
      Q[q0 + j + 1] -= a1;
      Q[q0 + j + 2] -= a2;
      Q[q0 + j + 3] -= a3;
      Q[q1 + j] -= b0;
      Q[q1 + j + 1] -= b1;
      Q[q1 + j + 2] -= b2;
      Q[q1 + j + 3] -= b3;
    }
    for (let j = nc4; j < nc; j++) {
      Q[q0 + j] -= sumPW(P, p0, W, j, pEnd);
      Q[q1 + j] -= sumPW(P, p1, W, j, pEnd);
    }
  }
  for (; i < rows; i++) {
    const pEnd = Math.min(b, i + 1);
    for (let j = 0; j < nc; j++) Q[qj + i * ldq + j] -= sumPW(P, i * b, W, j, pEnd);
  }
}

/** Σ_{p < pEnd} P(row, p) W(p, j), in order (`pi`: the row's offset in P). */
function sumPW(P: Float64Array, pi: number, W: Float64Array, j: number, pEnd: number): number {
  let s = 0;
  for (let p = 0; p < pEnd; p++) s += P[pi + p] * W[p * COLUMN_GROUP + j];
  return s;
}
