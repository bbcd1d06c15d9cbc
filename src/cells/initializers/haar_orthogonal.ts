import type { SeededRandom } from '../../utils/seeded_random';

/** Householder reflections applied together (compact WY blocks): 32 measured faster than 48 or 64 here. */
const BLOCK = 32;

/** Columns carried through the three products of a block together (5–10% faster than one pass each; 32 measured best of 4–32). */
const COLUMN_GROUP = 32;

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
    // Column groups: each group's columns stay in cache through the three products.
    for (let j0 = k0; j0 < n; j0 += COLUMN_GROUP) {
      const j1 = Math.min(n, j0 + COLUMN_GROUP);
      productVtQ(v, q, m, n, k0, b, w, j0, j1);
      productTW(t, w, n, b, j0, j1);
      subtractVW(v, q, m, n, k0, b, w, j0, j1);
    }
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

/** W(p, j) = v_{k0+p} · q_j over rows k0 … m−1, for columns j0 ≤ j < j1 (W row-major, stride n). */
function productVtQ(
  v: Float64Array,
  q: Float64Array,
  m: number,
  n: number,
  k0: number,
  b: number,
  w: Float64Array,
  j0: number,
  j1: number,
): void {
  // 4 reflections × 2 columns per pass (8 independent sums; measured fastest in V8): each loaded
  // value is used 2–4 times. Columns outer, so each column pair stays in cache while the block's
  // reflections stream past it. Leftovers one by one.
  const p4 = b - (b % 4);
  let j = j0;
  for (; j + 1 < j1; j += 2) {
    const ca = j * m;
    const cb = ca + m;
    for (let p = 0; p < p4; p += 4) {
      const va = (k0 + p) * m,
        vb = va + m,
        vc = vb + m,
        vd = vc + m;
      let a0 = 0,
        a1 = 0,
        b0 = 0,
        b1 = 0,
        c0 = 0,
        c1 = 0,
        d0 = 0,
        d1 = 0;
      for (let i = k0; i < m; i++) {
        const u = q[ca + i],
          z = q[cb + i];
        const x = v[va + i],
          y = v[vb + i],
          xx = v[vc + i],
          yy = v[vd + i];
        a0 += x * u;
        a1 += x * z;
        b0 += y * u;
        b1 += y * z;
        c0 += xx * u;
        c1 += xx * z;
        d0 += yy * u;
        d1 += yy * z;
      }
      w[p * n + j] = a0;
      w[p * n + j + 1] = a1;
      w[(p + 1) * n + j] = b0;
      w[(p + 1) * n + j + 1] = b1;
      w[(p + 2) * n + j] = c0;
      w[(p + 2) * n + j + 1] = c1;
      w[(p + 3) * n + j] = d0;
      w[(p + 3) * n + j + 1] = d1;
    }
    for (let p = p4; p < b; p++) {
      w[p * n + j] = dot(v, (k0 + p) * m, q, ca, k0, m);
      w[p * n + j + 1] = dot(v, (k0 + p) * m, q, cb, k0, m);
    }
  }
  for (; j < j1; j++) for (let p = 0; p < b; p++) w[p * n + j] = dot(v, (k0 + p) * m, q, j * m, k0, m);
}

function dot(a: Float64Array, oa: number, c: Float64Array, oc: number, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[oa + i] * c[oc + i];
  return s;
}

/** W ← T·W in place (T upper triangular: row r reads rows ≥ r, so top-down is safe). */
function productTW(t: Float64Array, w: Float64Array, n: number, b: number, j0: number, j1: number): void {
  for (let j = j0; j < j1; j++) {
    for (let r = 0; r < b; r++) {
      let s = 0;
      for (let c = r; c < b; c++) s += t[r * BLOCK + c] * w[c * n + j];
      w[r * n + j] = s;
    }
  }
}

/** q_j −= Σ_p v_{k0+p} · W(p, j) over rows k0 … m−1, for columns j0 ≤ j < j1. */
function subtractVW(
  v: Float64Array,
  q: Float64Array,
  m: number,
  n: number,
  k0: number,
  b: number,
  w: Float64Array,
  j0: number,
  j1: number,
): void {
  // 4 reflections × 4 columns per pass (measured fastest in V8); leftovers one by one.
  const p4 = b - (b % 4);
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const ca = j * m,
      cb = ca + m,
      cc = cb + m,
      cd = cc + m;
    for (let p = 0; p < p4; p += 4) {
      const va = (k0 + p) * m,
        vb = va + m,
        vc = vb + m,
        vd = vc + m;
      const r0 = p * n + j,
        r1 = r0 + n,
        r2 = r1 + n,
        r3 = r2 + n;
      const a0 = w[r0],
        a1 = w[r1],
        a2 = w[r2],
        a3 = w[r3];
      const b0 = w[r0 + 1],
        b1 = w[r1 + 1],
        b2 = w[r2 + 1],
        b3 = w[r3 + 1];
      const c0 = w[r0 + 2],
        c1 = w[r1 + 2],
        c2 = w[r2 + 2],
        c3 = w[r3 + 2];
      const d0 = w[r0 + 3],
        d1 = w[r1 + 3],
        d2 = w[r2 + 3],
        d3 = w[r3 + 3];
      for (let i = k0; i < m; i++) {
        const A = v[va + i],
          B = v[vb + i],
          C = v[vc + i],
          D = v[vd + i];
        q[ca + i] -= A * a0 + B * a1 + C * a2 + D * a3;
        q[cb + i] -= A * b0 + B * b1 + C * b2 + D * b3;
        q[cc + i] -= A * c0 + B * c1 + C * c2 + D * c3;
        q[cd + i] -= A * d0 + B * d1 + C * d2 + D * d3;
      }
    }
    for (let p = p4; p < b; p++)
      for (let c = 0; c < 4; c++) axpy(q, ca + c * m, v, (k0 + p) * m, -w[p * n + j + c], k0, m);
  }
  for (; j < j1; j++) for (let p = 0; p < b; p++) axpy(q, j * m, v, (k0 + p) * m, -w[p * n + j], k0, m);
}

/** y[oy + i] += alpha · x[ox + i] for i in [from, to). */
function axpy(y: Float64Array, oy: number, x: Float64Array, ox: number, alpha: number, from: number, to: number): void {
  for (let i = from; i < to; i++) y[oy + i] += alpha * x[ox + i];
}
