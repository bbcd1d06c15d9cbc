// Register-blocked SIMD float32 matrix products that ACCUMULATE into C (C += ...).
// Row-major, pointers are byte addresses, leading dimensions are in elements.
//
// matmulAdd and matmulTransAAdd share one kernel: A is read through two strides (between rows of
// the product and along k), B is [k×n] row-major in both. The micro-tile is 4 rows × 8 columns of
// C in eight f32x4 accumulators; per k step it loads 8 floats of B and splats 4 scalars of A
// (16 f32x4 mul/add against 6 loads), all in registers. k runs in blocks of KC so that the B panel
// a tile streams (KC × 8 floats) stays in L1 while the tiles of one column panel reuse it; each
// block's partial sum is added to C once, which also keeps long sums (k = time·batch rows of a
// parameter gradient) accurate.
//
// matmulTransBAdd (C += A·Bᵀ, B stored [n×k]) reads both operands along k contiguously, so it
// uses dot products instead: a tile of 2 rows × 4 columns of C, each an f32x4 of partial sums over
// k that is reduced horizontally at the end.
//
// Every shape is handled: rows beyond a multiple of 4 use 1-row tiles, columns beyond a multiple
// of 8 use 4-wide tiles and then scalar columns. No memory is allocated.

// k-block lengths (see the header): AᵀB reads A across k with a row stride, so its A strip
// occupies a cache line per k step and wants shorter blocks than A·B, whose A rows are contiguous.
const KC_AB: i32 = 256;
const KC_ATB: i32 = 64;
// C blocks (multiples of the 4×8 tile).
const MC: i32 = 64;
const NC: i32 = 256;

/** C[m×n] += A[m×k] · B[k×n]. */
export function matmulAdd(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  gemm(m, k, n, a, <usize>lda << 2, 4, b, ldb, c, ldc, KC_AB);
}

/** C[m×n] += Aᵀ · B with A stored [k×m] (lda ≥ m) and B [k×n]. */
export function matmulTransAAdd(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  gemm(m, k, n, a, 4, <usize>lda << 2, b, ldb, c, ldc, KC_ATB);
}

/** C[m×n] += A · Bᵀ with A [m×k] and B stored [n×k] (ldb ≥ k). */
export function matmulTransBAdd(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const aRow = <usize>lda << 2;
  const bRow = <usize>ldb << 2;
  const cRow = <usize>ldc << 2;
  const n4 = n & ~3;
  const m2 = m & ~1;
  for (let j = 0; j < n4; j += 4) {
    const bj = b + <usize>j * bRow;
    let i = 0;
    for (; i < m2; i += 2) {
      dot2x4(k, a + <usize>i * aRow, aRow, bj, bRow, c + <usize>i * cRow + (<usize>j << 2), cRow);
    }
    if (i < m) dot1x4(k, a + <usize>i * aRow, bj, bRow, c + <usize>i * cRow + (<usize>j << 2));
  }
  for (let j = n4; j < n; j++) {
    const bj = b + <usize>j * bRow;
    for (let i = 0; i < m; i++) {
      const cp = c + <usize>i * cRow + (<usize>j << 2);
      store<f32>(cp, load<f32>(cp) + dot1(k, a + <usize>i * aRow, bj));
    }
  }
}

// ---- A·B with strided A -------------------------------------------------------------------

// A(i, p) lives at a + i·ars + p·aks (byte strides). C is walked in blocks of MC × NC (which
// stay in L2 across all k-blocks, so a large C — a 256×768 parameter gradient — is not streamed
// from memory once per k-block); each k-block of a C block is one `gemmBlock`.
@inline function gemm(
  m: i32, k: i32, n: i32, a: usize, ars: usize, aks: usize, b: usize, ldb: i32, c: usize, ldc: i32,
  KC: i32,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const bRow = <usize>ldb << 2;
  const cRow = <usize>ldc << 2;
  for (let i0 = 0; i0 < m; i0 += MC) {
    const mb = min(MC, m - i0);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nb = min(NC, n - j0);
      const ai = a + <usize>i0 * ars;
      const bj = b + (<usize>j0 << 2);
      const cij = c + <usize>i0 * cRow + (<usize>j0 << 2);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = min(KC, k - p0);
        gemmBlock(mb, kc, nb, ai + <usize>p0 * aks, ars, aks, bj + <usize>p0 * bRow, bRow, cij, cRow);
      }
    }
  }
}

function gemmBlock(
  m: i32, kc: i32, n: i32, ap: usize, ars: usize, aks: usize, bp: usize, bRow: usize, c: usize,
  cRow: usize,
): void {
  const n8 = n & ~7;
  const n4 = n & ~3;
  const m4 = m & ~3;
  let j = 0;
  for (; j < n8; j += 8) {
    const bj = bp + (<usize>j << 2);
    const cj = c + (<usize>j << 2);
    let i = 0;
    for (; i < m4; i += 4) {
      tile4x8(kc, ap + <usize>i * ars, ars, aks, bj, bRow, cj + <usize>i * cRow, cRow);
    }
    for (; i < m; i++) tile1x8(kc, ap + <usize>i * ars, aks, bj, bRow, cj + <usize>i * cRow);
  }
  if (j < n4) {
    const bj = bp + (<usize>j << 2);
    const cj = c + (<usize>j << 2);
    let i = 0;
    for (; i < m4; i += 4) {
      tile4x4(kc, ap + <usize>i * ars, ars, aks, bj, bRow, cj + <usize>i * cRow, cRow);
    }
    for (; i < m; i++) tile1x4(kc, ap + <usize>i * ars, aks, bj, bRow, cj + <usize>i * cRow);
    j += 4;
  }
  for (; j < n; j++) {
    const bj = bp + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      const cp = c + <usize>i * cRow + (<usize>j << 2);
      store<f32>(cp, load<f32>(cp) + column1(kc, ap + <usize>i * ars, aks, bj, bRow));
    }
  }
}

@inline function addTo(c: usize, v: v128): void {
  v128.store(c, f32x4.add(v128.load(c), v));
}

function tile4x8(
  kc: i32, a: usize, ars: usize, aks: usize, b: usize, bRow: usize, c: usize, cRow: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars;
  let off: usize = 0;
  const end = <usize>kc * aks;
  let pb = b;
  while (off < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load32_splat(a + off);
    c00 = f32x4.add(c00, f32x4.mul(s, b0));
    c01 = f32x4.add(c01, f32x4.mul(s, b1));
    s = v128.load32_splat(a1 + off);
    c10 = f32x4.add(c10, f32x4.mul(s, b0));
    c11 = f32x4.add(c11, f32x4.mul(s, b1));
    s = v128.load32_splat(a2 + off);
    c20 = f32x4.add(c20, f32x4.mul(s, b0));
    c21 = f32x4.add(c21, f32x4.mul(s, b1));
    s = v128.load32_splat(a3 + off);
    c30 = f32x4.add(c30, f32x4.mul(s, b0));
    c31 = f32x4.add(c31, f32x4.mul(s, b1));
    off += aks;
    pb += bRow;
  }
  addTo(c, c00); addTo(c + 16, c01); c += cRow;
  addTo(c, c10); addTo(c + 16, c11); c += cRow;
  addTo(c, c20); addTo(c + 16, c21); c += cRow;
  addTo(c, c30); addTo(c + 16, c31);
}

function tile1x8(kc: i32, a: usize, aks: usize, b: usize, bRow: usize, c: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  let pb = b;
  const end = a + <usize>kc * aks;
  while (a < end) {
    const s = v128.load32_splat(a);
    c0 = f32x4.add(c0, f32x4.mul(s, v128.load(pb)));
    c1 = f32x4.add(c1, f32x4.mul(s, v128.load(pb, 16)));
    a += aks;
    pb += bRow;
  }
  addTo(c, c0); addTo(c + 16, c1);
}

function tile4x4(
  kc: i32, a: usize, ars: usize, aks: usize, b: usize, bRow: usize, c: usize, cRow: usize,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const a1 = a + ars, a2 = a1 + ars, a3 = a2 + ars;
  let off: usize = 0;
  const end = <usize>kc * aks;
  let pb = b;
  while (off < end) {
    const b0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a + off), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(a1 + off), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(a2 + off), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(a3 + off), b0));
    off += aks;
    pb += bRow;
  }
  addTo(c, c0); c += cRow;
  addTo(c, c1); c += cRow;
  addTo(c, c2); c += cRow;
  addTo(c, c3);
}

function tile1x4(kc: i32, a: usize, aks: usize, b: usize, bRow: usize, c: usize): void {
  let c0 = f32x4.splat(0);
  let pb = b;
  const end = a + <usize>kc * aks;
  while (a < end) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(a), v128.load(pb)));
    a += aks;
    pb += bRow;
  }
  addTo(c, c0);
}

function column1(kc: i32, a: usize, aks: usize, b: usize, bRow: usize): f32 {
  let s: f32 = 0;
  const end = a + <usize>kc * aks;
  while (a < end) {
    s += load<f32>(a) * load<f32>(b);
    a += aks;
    b += bRow;
  }
  return s;
}

// ---- A·Bᵀ as dot products ------------------------------------------------------------------

// [Σ x, Σ y, Σ z, Σ w] of four f32x4 partial-sum vectors.
@inline function reduce4(x: v128, y: v128, z: v128, w: v128): v128 {
  const xy = f32x4.add(v128.shuffle<f32>(x, y, 0, 4, 2, 6), v128.shuffle<f32>(x, y, 1, 5, 3, 7));
  const zw = f32x4.add(v128.shuffle<f32>(z, w, 0, 4, 2, 6), v128.shuffle<f32>(z, w, 1, 5, 3, 7));
  return f32x4.add(v128.shuffle<f32>(xy, zw, 0, 1, 4, 5), v128.shuffle<f32>(xy, zw, 2, 3, 6, 7));
}

// Column vector [B(j..j+3, p)] of a B stored [n×k].
@inline function gather4(b: usize, bRow: usize): v128 {
  let v = f32x4.splat(load<f32>(b));
  v = f32x4.replace_lane(v, 1, load<f32>(b + bRow));
  v = f32x4.replace_lane(v, 2, load<f32>(b + 2 * bRow));
  return f32x4.replace_lane(v, 3, load<f32>(b + 3 * bRow));
}

function dot2x4(k: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
  const a1 = a + aRow;
  const b1 = b + bRow, b2 = b1 + bRow, b3 = b2 + bRow;
  const end4 = <usize>(k & ~3) << 2;
  let off: usize = 0;
  while (off < end4) {
    const x0 = v128.load(a + off);
    const x1 = v128.load(a1 + off);
    let y = v128.load(b + off);
    s00 = f32x4.add(s00, f32x4.mul(x0, y));
    s10 = f32x4.add(s10, f32x4.mul(x1, y));
    y = v128.load(b1 + off);
    s01 = f32x4.add(s01, f32x4.mul(x0, y));
    s11 = f32x4.add(s11, f32x4.mul(x1, y));
    y = v128.load(b2 + off);
    s02 = f32x4.add(s02, f32x4.mul(x0, y));
    s12 = f32x4.add(s12, f32x4.mul(x1, y));
    y = v128.load(b3 + off);
    s03 = f32x4.add(s03, f32x4.mul(x0, y));
    s13 = f32x4.add(s13, f32x4.mul(x1, y));
    off += 16;
  }
  let r0 = reduce4(s00, s01, s02, s03);
  let r1 = reduce4(s10, s11, s12, s13);
  const end = <usize>k << 2;
  while (off < end) {
    const y = gather4(b + off, bRow);
    r0 = f32x4.add(r0, f32x4.mul(v128.load32_splat(a + off), y));
    r1 = f32x4.add(r1, f32x4.mul(v128.load32_splat(a1 + off), y));
    off += 4;
  }
  addTo(c, r0);
  addTo(c + cRow, r1);
}

function dot1x4(k: i32, a: usize, b: usize, bRow: usize, c: usize): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  const b1 = b + bRow, b2 = b1 + bRow, b3 = b2 + bRow;
  const end4 = <usize>(k & ~3) << 2;
  let off: usize = 0;
  while (off < end4) {
    const x = v128.load(a + off);
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b + off)));
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + off)));
    s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + off)));
    s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + off)));
    off += 16;
  }
  let r = reduce4(s0, s1, s2, s3);
  const end = <usize>k << 2;
  while (off < end) {
    r = f32x4.add(r, f32x4.mul(v128.load32_splat(a + off), gather4(b + off, bRow)));
    off += 4;
  }
  addTo(c, r);
}

function dot1(k: i32, a: usize, b: usize): f32 {
  let s = f32x4.splat(0);
  const end4 = <usize>(k & ~3) << 2;
  let off: usize = 0;
  while (off < end4) {
    s = f32x4.add(s, f32x4.mul(v128.load(a + off), v128.load(b + off)));
    off += 16;
  }
  let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) +
    (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  const end = <usize>k << 2;
  while (off < end) {
    r += load<f32>(a + off) * load<f32>(b + off);
    off += 4;
  }
  return r;
}
