/**
 * The orthogonal initializer's previous method, kept here only as the benchmark's same-process
 * baseline (bench/initializer_bench.ts): QR of a Gaussian matrix by Householder reflections in
 * float64, then Q formed from all of them, column by column. Not used by the library.
 */
import type { SeededRandom } from '../src/utils/seeded_random';

/** A uniformly distributed `rows × cols` matrix with orthonormal columns or rows (row-major). */
export function previousOrthogonalMatrix(rows: number, cols: number, random: SeededRandom): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  // a: m × n, column-major for convenient column operations.
  const a = new Float64Array(m * n);
  for (let k = 0; k < a.length; k++) a[k] = random.normal();
  const q = householderQ(a, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = q[j * m + i];
      if (tall) out[i * cols + j] = v;
      else out[j * cols + i] = v;
    }
  }
  return out;
}

/** Thin Q (m × n, column-major) of the QR decomposition of `a`, with diag(R) made positive. */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = a.slice();
  const vs: Float64Array[] = [];
  const signs: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[k * m + i] ** 2;
    norm = Math.sqrt(norm);
    const x0 = r[k * m + k];
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[k * m + i];
    v[k] -= alpha;
    let vNorm = 0;
    for (let i = k; i < m; i++) vNorm += v[i] ** 2;
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = k; i < m; i++) v[i] /= vNorm;
    vs.push(v);
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * r[j * m + i];
      for (let i = k; i < m; i++) r[j * m + i] -= 2 * v[i] * dot;
    }
    signs.push(r[k * m + k] >= 0 ? 1 : -1);
  }
  // Q = H_0 H_1 … H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * q[j * m + i];
      for (let i = k; i < m; i++) q[j * m + i] -= 2 * v[i] * dot;
    }
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) q[j * m + i] *= signs[j];
  return q;
}
