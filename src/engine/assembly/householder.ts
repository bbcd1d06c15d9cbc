// One block of Householder reflections applied in compact WY form to a float64 matrix, for the
// Haar orthogonal initializer (src/cells/initializers/haar_orthogonal.ts, which also holds the
// plain-JavaScript twin used before this module is loaded):
//
//   Q ← Q − P·(T·(Pᵀ·Q))      P: rows × b reflections, T: b × b upper triangular.
//
// Every element is computed by exactly the scalar sequence the JavaScript twin uses, so both
// give bit-identical matrices: each sum starts at 0 and adds its terms in index order (SIMD runs
// across columns, two per f64x2 lane pair, never across a sum), and WebAssembly has no fused
// multiply-add. Terms known to be exact zeros (P is zero above its diagonal) are skipped, which
// leaves a sum that starts at +0 unchanged.
//
// Layout (row-major, byte addresses, leading dimensions in elements): Q is rows × cols with row
// stride ldq; P is rows × b with row stride b; T is b × b with row stride b; w is scratch of
// b × group doubles. Columns are processed in groups of `group` (a multiple of 4), each group's
// three products back to back while its columns are in cache. No memory is allocated.

// Rows of Pᵀ·Q summed per pass: the pass's strips of Q and P (32 × group and 32 × b doubles) stay
// in L1 while every 4 × 4 tile of W streams them; each tile's partial sums wait in W between
// passes, which keeps the order of additions (and so the result) that of one long sum.
const RC: i32 = 32;

/** Q ← Q − P·(T·(Pᵀ·Q)) (see the header). */
export function householderBlockApply(
  rows: i32, cols: i32, b: i32, p: usize, t: usize, q: usize, ldq: i32, w: usize, group: i32,
): void {
  if (rows <= 0 || cols <= 0 || b <= 0 || group <= 0) return;
  const qRow = <usize>ldq << 3;
  const pRow = <usize>b << 3;
  const wRow = <usize>group << 3;
  for (let j0 = 0; j0 < cols; j0 += group) {
    const nc = min(group, cols - j0);
    const qj = q + (<usize>j0 << 3);
    productPtQ(rows, b, nc, p, pRow, qj, qRow, w, wRow);
    productTW(b, nc, t, w, wRow);
    subtractPW(rows, b, nc, p, pRow, w, wRow, qj, qRow);
  }
}

// ---- W = Pᵀ·Q ---------------------------------------------------------------------------------

// Column p of P is zero above row p, so the sums of W's row p start at row p (a 4-row tile of W
// at the tile's first row).
function productPtQ(
  rows: i32, b: i32, nc: i32, p: usize, pRow: usize, q: usize, qRow: usize, w: usize, wRow: usize,
): void {
  memory.fill(w, 0, <usize>b * wRow);
  const nc4 = nc & ~3;
  const b4 = b & ~3;
  for (let i0 = 0; i0 < rows; i0 += RC) {
    const i1 = min(rows, i0 + RC);
    for (let j = 0; j < nc4; j += 4) {
      const qj = q + (<usize>j << 3);
      const wj = w + (<usize>j << 3);
      let k = 0;
      for (; k < b4; k += 4) {
        const from = max(i0, k);
        if (from < i1) {
          tilePtQ4x4(
            i1 - from, p + <usize>from * pRow + (<usize>k << 3), pRow, qj + <usize>from * qRow, qRow,
            wj + <usize>k * wRow, wRow,
          );
        }
      }
      for (; k < b; k++) {
        const from = max(i0, k);
        if (from < i1) {
          tilePtQ1x4(i1 - from, p + <usize>from * pRow + (<usize>k << 3), pRow, qj + <usize>from * qRow, qRow, wj + <usize>k * wRow);
        }
      }
    }
    for (let j = nc4; j < nc; j++) {
      for (let k = 0; k < b; k++) {
        const from = max(i0, k);
        let s = load<f64>(w + <usize>k * wRow + (<usize>j << 3));
        for (let i = from; i < i1; i++) {
          s += load<f64>(p + <usize>i * pRow + (<usize>k << 3)) * load<f64>(q + <usize>i * qRow + (<usize>j << 3));
        }
        store<f64>(w + <usize>k * wRow + (<usize>j << 3), s);
      }
    }
  }
}

// W[k..k+3][j..j+3] += Σ_i P[i][k..k+3] ⊗ Q[i][j..j+3] over n rows, partial sums in W.
function tilePtQ4x4(n: i32, a: usize, aRow: usize, q: usize, qRow: usize, w: usize, wRow: usize): void {
  const w1 = w + wRow, w2 = w1 + wRow, w3 = w2 + wRow;
  let c00 = v128.load(w), c01 = v128.load(w, 16);
  let c10 = v128.load(w1), c11 = v128.load(w1, 16);
  let c20 = v128.load(w2), c21 = v128.load(w2, 16);
  let c30 = v128.load(w3), c31 = v128.load(w3, 16);
  let pa = a;
  let pq = q;
  for (let i = 0; i < n; i++) {
    const q0 = v128.load(pq);
    const q1 = v128.load(pq, 16);
    let s = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(s, q0));
    c01 = f64x2.add(c01, f64x2.mul(s, q1));
    s = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(s, q0));
    c11 = f64x2.add(c11, f64x2.mul(s, q1));
    s = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(s, q0));
    c21 = f64x2.add(c21, f64x2.mul(s, q1));
    s = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(s, q0));
    c31 = f64x2.add(c31, f64x2.mul(s, q1));
    pa += aRow;
    pq += qRow;
  }
  v128.store(w, c00);
  v128.store(w, c01, 16);
  v128.store(w1, c10);
  v128.store(w1, c11, 16);
  v128.store(w2, c20);
  v128.store(w2, c21, 16);
  v128.store(w3, c30);
  v128.store(w3, c31, 16);
}

function tilePtQ1x4(n: i32, a: usize, aRow: usize, q: usize, qRow: usize, w: usize): void {
  let c0 = v128.load(w), c1 = v128.load(w, 16);
  let pa = a;
  let pq = q;
  for (let i = 0; i < n; i++) {
    const s = v128.load64_splat(pa);
    c0 = f64x2.add(c0, f64x2.mul(s, v128.load(pq)));
    c1 = f64x2.add(c1, f64x2.mul(s, v128.load(pq, 16)));
    pa += aRow;
    pq += qRow;
  }
  v128.store(w, c0);
  v128.store(w, c1, 16);
}

// ---- W ← T·W ----------------------------------------------------------------------------------

// T is upper triangular: row r of the product reads rows ≥ r of W, so rows can be overwritten
// top-down.
function productTW(b: i32, nc: i32, t: usize, w: usize, wRow: usize): void {
  const tRow = <usize>b << 3;
  const nc2 = nc & ~1;
  for (let r = 0; r < b; r++) {
    const tr = t + <usize>r * tRow;
    const wr = w + <usize>r * wRow;
    for (let j = 0; j < nc2; j += 2) {
      let s = f64x2.splat(0);
      for (let c = r; c < b; c++) {
        s = f64x2.add(s, f64x2.mul(v128.load64_splat(tr + (<usize>c << 3)), v128.load(w + <usize>c * wRow + (<usize>j << 3))));
      }
      v128.store(wr + (<usize>j << 3), s);
    }
    if (nc2 < nc) {
      let s: f64 = 0;
      for (let c = r; c < b; c++) {
        s += load<f64>(tr + (<usize>c << 3)) * load<f64>(w + <usize>c * wRow + (<usize>nc2 << 3));
      }
      store<f64>(wr + (<usize>nc2 << 3), s);
    }
  }
}

// ---- Q ← Q − P·W --------------------------------------------------------------------------------

// Row i of P is zero beyond column i, so a 4-row strip sums over its first min(b, i + 4) columns.
function subtractPW(
  rows: i32, b: i32, nc: i32, p: usize, pRow: usize, w: usize, wRow: usize, q: usize, qRow: usize,
): void {
  const nc4 = nc & ~3;
  const rows4 = rows & ~3;
  let i = 0;
  for (; i < rows4; i += 4) {
    const kEnd = min(b, i + 4);
    const pi = p + <usize>i * pRow;
    const qi = q + <usize>i * qRow;
    for (let j = 0; j < nc4; j += 4) {
      tileSubtract4x4(kEnd, pi, pRow, w + (<usize>j << 3), wRow, qi + (<usize>j << 3), qRow);
    }
    for (let j = nc4; j < nc; j++) {
      for (let r = 0; r < 4; r++) subtractOne(kEnd, pi + <usize>r * pRow, w + (<usize>j << 3), wRow, qi + <usize>r * qRow + (<usize>j << 3));
    }
  }
  for (; i < rows; i++) {
    const kEnd = min(b, i + 1);
    const pi = p + <usize>i * pRow;
    const qi = q + <usize>i * qRow;
    for (let j = 0; j < nc4; j += 4) {
      tileSubtract1x4(kEnd, pi, w + (<usize>j << 3), wRow, qi + (<usize>j << 3));
    }
    for (let j = nc4; j < nc; j++) subtractOne(kEnd, pi, w + (<usize>j << 3), wRow, qi + (<usize>j << 3));
  }
}

// Q[i..i+3][j..j+3] −= Σ_{k<kEnd} P[i..i+3][k] ⊗ W[k][j..j+3].
function tileSubtract4x4(kEnd: i32, a: usize, aRow: usize, w: usize, wRow: usize, q: usize, qRow: usize): void {
  const a1 = a + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  let pw = w;
  for (let k = 0; k < kEnd; k++) {
    const off = <usize>k << 3;
    const w0 = v128.load(pw);
    const w1 = v128.load(pw, 16);
    let s = v128.load64_splat(a + off);
    c00 = f64x2.add(c00, f64x2.mul(s, w0));
    c01 = f64x2.add(c01, f64x2.mul(s, w1));
    s = v128.load64_splat(a1 + off);
    c10 = f64x2.add(c10, f64x2.mul(s, w0));
    c11 = f64x2.add(c11, f64x2.mul(s, w1));
    s = v128.load64_splat(a2 + off);
    c20 = f64x2.add(c20, f64x2.mul(s, w0));
    c21 = f64x2.add(c21, f64x2.mul(s, w1));
    s = v128.load64_splat(a3 + off);
    c30 = f64x2.add(c30, f64x2.mul(s, w0));
    c31 = f64x2.add(c31, f64x2.mul(s, w1));
    pw += wRow;
  }
  const q1 = q + qRow, q2 = q1 + qRow, q3 = q2 + qRow;
  v128.store(q, f64x2.sub(v128.load(q), c00));
  v128.store(q, f64x2.sub(v128.load(q, 16), c01), 16);
  v128.store(q1, f64x2.sub(v128.load(q1), c10));
  v128.store(q1, f64x2.sub(v128.load(q1, 16), c11), 16);
  v128.store(q2, f64x2.sub(v128.load(q2), c20));
  v128.store(q2, f64x2.sub(v128.load(q2, 16), c21), 16);
  v128.store(q3, f64x2.sub(v128.load(q3), c30));
  v128.store(q3, f64x2.sub(v128.load(q3, 16), c31), 16);
}

function tileSubtract1x4(kEnd: i32, a: usize, w: usize, wRow: usize, q: usize): void {
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0);
  let pw = w;
  for (let k = 0; k < kEnd; k++) {
    const s = v128.load64_splat(a + (<usize>k << 3));
    c0 = f64x2.add(c0, f64x2.mul(s, v128.load(pw)));
    c1 = f64x2.add(c1, f64x2.mul(s, v128.load(pw, 16)));
    pw += wRow;
  }
  v128.store(q, f64x2.sub(v128.load(q), c0));
  v128.store(q, f64x2.sub(v128.load(q, 16), c1), 16);
}

function subtractOne(kEnd: i32, a: usize, w: usize, wRow: usize, q: usize): void {
  let s: f64 = 0;
  for (let k = 0; k < kEnd; k++) s += load<f64>(a + (<usize>k << 3)) * load<f64>(w + <usize>k * wRow);
  store<f64>(q, load<f64>(q) - s);
}
