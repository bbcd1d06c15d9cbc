import type { SeededRandom } from '../../utils/seeded_random';

/** Householder reflections applied together (compact WY blocks); 32 measured fastest here. */
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
 * `Q ← Q − V·(T·(Vᵀ·Q))` (compact WY form), whose inner loops reuse each loaded value several
 * times. Everything stays in float64, so the columns are orthonormal to ~1e-15 before the
 * caller rounds them to float32.
 */
export function orthogonalMatrix(rows: number, cols: number, random: SeededRandom): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const q = haarColumns(m, n, random);
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const v = q[j * m + i];
      if (tall) out[i * cols + j] = v;
      else out[j * cols + i] = v;
    }
  }
  return out;
}

/** `m × n` (m ≥ n) Haar-distributed orthonormal columns, column-major. */
function haarColumns(m: number, n: number, random: SeededRandom): Float64Array {
  // Reflection k is H_k = I − v_k v_kᵀ with ‖v_k‖² = 2 and v_k zero above row k (column k of V).
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
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  const t = new Float64Array(BLOCK * BLOCK);
  const w = new Float64Array(BLOCK * n);
  // Q ← H_{k0} ⋯ H_{k1−1} Q for blocks from the last reflections to the first. Columns j < k0
  // are still e_j there, which the block leaves unchanged: only columns k0 … n−1 and rows
  // k0 … m−1 take part.
  for (let k1 = n; k1 > 0; k1 -= BLOCK) {
    const k0 = Math.max(0, k1 - BLOCK);
    const b = k1 - k0;
    blockT(v, m, k0, b, t);
    productVtQ(v, q, m, n, k0, b, w);
    productTW(t, w, n, k0, b);
    subtractVW(v, q, m, n, k0, b, w);
  }
  for (let j = 0; j < n; j++) {
    if (signs[j] < 0) for (let i = 0; i < m; i++) q[j * m + i] = -q[j * m + i];
  }
  return q;
}

/**
 * Upper-triangular T (row-major, stride BLOCK) with H_{k0} ⋯ H_{k0+b−1} = I − V T Vᵀ
 * (LAPACK's dlarft, forward, τ = 1): T_ii = 1, T(0:i, i) = −T(0:i, 0:i) · Vᵀ(:, 0:i) · v_i.
 */
function blockT(v: Float64Array, m: number, k0: number, b: number, t: Float64Array): void {
  t.fill(0);
  const dots = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    t[i * BLOCK + i] = 1;
    const oi = (k0 + i) * m;
    for (let r = 0; r < i; r++) {
      const or = (k0 + r) * m;
      let d = 0;
      for (let x = k0 + i; x < m; x++) d += v[or + x] * v[oi + x];
      dots[r] = d;
    }
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let c = r; c < i; c++) s += t[r * BLOCK + c] * dots[c];
      t[r * BLOCK + i] = -s;
    }
  }
}

/** W(p, j) = v_{k0+p} · q_j over rows k0 … m−1, for columns j ≥ k0 (W row-major, stride n). */
function productVtQ(v: Float64Array, q: Float64Array, m: number, n: number, k0: number, b: number, w: Float64Array): void {
  // 2 reflections × 2 columns per pass, rows unrolled by 2: 8 independent sums.
  for (let p = 0; p < b; p += 2) {
    const pair = p + 1 < b;
    const va = (k0 + p) * m;
    const vb = pair ? va + m : va;
    for (let j = k0; j < n; j += 2) {
      const two = j + 1 < n;
      const ca = j * m;
      const cb = two ? ca + m : ca;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      let i = k0;
      for (; i + 1 < m; i += 2) {
        const x0 = v[va + i], y0 = v[vb + i], u0 = q[ca + i], z0 = q[cb + i];
        const x1 = v[va + i + 1], y1 = v[vb + i + 1], u1 = q[ca + i + 1], z1 = q[cb + i + 1];
        a0 += x0 * u0; a1 += x0 * z0; b0 += y0 * u0; b1 += y0 * z0;
        a2 += x1 * u1; a3 += x1 * z1; b2 += y1 * u1; b3 += y1 * z1;
      }
      if (i < m) {
        const x0 = v[va + i], y0 = v[vb + i], u0 = q[ca + i], z0 = q[cb + i];
        a0 += x0 * u0; a1 += x0 * z0; b0 += y0 * u0; b1 += y0 * z0;
      }
      w[p * n + j] = a0 + a2;
      if (two) w[p * n + j + 1] = a1 + a3;
      if (pair) {
        w[(p + 1) * n + j] = b0 + b2;
        if (two) w[(p + 1) * n + j + 1] = b1 + b3;
      }
    }
  }
}

/** W ← T·W in place (T upper triangular: row r reads rows ≥ r, so top-down is safe). */
function productTW(t: Float64Array, w: Float64Array, n: number, k0: number, b: number): void {
  for (let j = k0; j < n; j++) {
    for (let r = 0; r < b; r++) {
      let s = 0;
      for (let c = r; c < b; c++) s += t[r * BLOCK + c] * w[c * n + j];
      w[r * n + j] = s;
    }
  }
}

/** q_j −= Σ_p v_{k0+p} · W(p, j) over rows k0 … m−1, for columns j ≥ k0. */
function subtractVW(v: Float64Array, q: Float64Array, m: number, n: number, k0: number, b: number, w: Float64Array): void {
  // 4 reflections × 2 columns per pass.
  for (let j = k0; j < n; j += 2) {
    const two = j + 1 < n;
    const ca = j * m;
    const cb = two ? ca + m : ca;
    let p = 0;
    for (; p + 3 < b; p += 4) {
      const va = (k0 + p) * m, vb = va + m, vc = vb + m, vd = vc + m;
      const wa = w[p * n + j], wb = w[(p + 1) * n + j], wc = w[(p + 2) * n + j], wd = w[(p + 3) * n + j];
      if (two) {
        const xa = w[p * n + j + 1], xb = w[(p + 1) * n + j + 1], xc = w[(p + 2) * n + j + 1], xd = w[(p + 3) * n + j + 1];
        for (let i = k0; i < m; i++) {
          const A = v[va + i], B = v[vb + i], C = v[vc + i], D = v[vd + i];
          q[ca + i] -= A * wa + B * wb + C * wc + D * wd;
          q[cb + i] -= A * xa + B * xb + C * xc + D * xd;
        }
      } else {
        for (let i = k0; i < m; i++) q[ca + i] -= v[va + i] * wa + v[vb + i] * wb + v[vc + i] * wc + v[vd + i] * wd;
      }
    }
    for (; p < b; p++) {
      const va = (k0 + p) * m;
      const wa = w[p * n + j];
      const xa = two ? w[p * n + j + 1] : 0;
      for (let i = k0; i < m; i++) {
        const A = v[va + i];
        q[ca + i] -= A * wa;
        if (two) q[cb + i] -= A * xa;
      }
    }
  }
}
