import { engineReflectorWorkspace, type ReflectorWorkspace } from '../../engine/engine_householder';
import type { SeededRandom } from '../../utils/seeded_random';

/** Householder reflections applied together (compact WY blocks): 32 measured faster than 48 or 64 here. */
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
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const { v, signs } = drawReflections(m, n, random);
  // Q's rows are padded to an odd multiple of 4 doubles: a power-of-two stride (2 048 columns)
  // maps a column's elements onto a few cache sets, which measured up to 2× slower.
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
    for (let i = k0; i < m; i++) {
      for (let p = 0; p < b; p++) work.panel[(i - k0) * b + p] = v[(k0 + p) * m + i];
    }
    blockT(v, m, k0, b, work.t);
    work.apply(k0, b);
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const value = signs[j] * q[i * ldq + j];
      if (tall) out[i * cols + j] = value;
      else out[j * cols + i] = value;
    }
  }
  return out;
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
 * Upper-triangular T (row-major, stride b) with H_{k0} ⋯ H_{k0+b−1} = I − V T Vᵀ
 * (LAPACK's dlarft, forward, τ = 1): T_ii = 1, T(0:i, i) = −T(0:i, 0:i) · Vᵀ(:, 0:i) · v_i.
 */
function blockT(v: Float64Array, m: number, k0: number, b: number, t: Float64Array): void {
  t.fill(0, 0, b * b);
  const dots = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    t[i * b + i] = 1;
    const oi = (k0 + i) * m;
    for (let r = 0; r < i; r++) {
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

/**
 * The JavaScript twin of the engine's kernel (src/engine/assembly/householder.ts), for when the
 * engine is not loaded: every sum starts at 0 and adds its terms in the same index order (terms
 * that are exact zeros may be skipped: adding them changes nothing), so the results are
 * bit-identical. Loops run across columns, as the kernel's SIMD lanes do.
 */
function javascriptWorkspace(m: number, n: number, ldq: number, maxBlock: number): ReflectorWorkspace {
  const q = new Float64Array(m * ldq);
  const panel = new Float64Array(m * maxBlock);
  const t = new Float64Array(maxBlock * maxBlock);
  const w = new Float64Array(maxBlock * n);
  const row = new Float64Array(n);
  return {
    q,
    ldq,
    panel,
    t,
    apply(k0: number, b: number): void {
      const rows = m - k0;
      const cols = n - k0;
      const base = k0 * ldq + k0;
      // W = Pᵀ·Q (b × cols, stride cols): each W(p, j) sums over rows in order. P(i, p) = 0 for p > i.
      w.fill(0, 0, b * cols);
      for (let i = 0; i < rows; i++) {
        const qi = base + i * ldq;
        const pi = i * b;
        const pEnd = Math.min(b, i + 1);
        for (let p = 0; p < pEnd; p++) {
          const a = panel[pi + p];
          const wp = p * cols;
          for (let j = 0; j < cols; j++) w[wp + j] += a * q[qi + j];
        }
      }
      // W ← T·W, top-down (T is upper triangular: row r reads rows ≥ r).
      for (let r = 0; r < b; r++) {
        row.fill(0, 0, cols);
        for (let c = r; c < b; c++) {
          const a = t[r * b + c];
          const wc = c * cols;
          for (let j = 0; j < cols; j++) row[j] += a * w[wc + j];
        }
        w.set(row.subarray(0, cols), r * cols);
      }
      // Q ← Q − P·W: each row's sum over reflections in order, then one subtraction.
      for (let i = 0; i < rows; i++) {
        const qi = base + i * ldq;
        const pi = i * b;
        const pEnd = Math.min(b, i + 1);
        row.fill(0, 0, cols);
        for (let p = 0; p < pEnd; p++) {
          const a = panel[pi + p];
          const wp = p * cols;
          for (let j = 0; j < cols; j++) row[j] += a * w[wp + j];
        }
        for (let j = 0; j < cols; j++) q[qi + j] -= row[j];
      }
    },
  };
}
