// Register-blocked SIMD float32 matrix products that ACCUMULATE into C (C += ...).
// Row-major, pointers are byte addresses, leading dimensions are in elements.
//
// All three products (A·B, Aᵀ·B, A·Bᵀ) run one packed kernel (the GotoBLAS scheme): A(i, p) and
// B(p, j) are read through byte strides, so a transposed operand is only a different pair of
// strides. For each block of KC steps along k, the block of B is copied into a static buffer as
// panels of 8 columns ([KC][8] contiguous) and the block of A as strips of 4 rows ([KC][4]); the
// micro-kernel then computes a 4×8 tile of C in eight f32x4 accumulators, loading per k step one
// 32-byte row of its B panel and splatting 4 floats of its A strip — consecutive addresses, so
// every load is a register plus an immediate offset, and no cache set is hit by a large stride
// (B rows 4 KB apart all fall into one L1 set, which made the unpacked Aᵀ·B of a 256-unit
// layer's parameter gradient thrash). Packing costs one pass over each block, against the 2·m
// (or 2·n) flops each packed float takes part in. Each block's partial sum is added to C once,
// which also keeps long sums (k = time·batch rows of a parameter gradient) accurate.
//
// Every shape is handled: rows beyond a multiple of 4 use 1-row tiles on the packed panels, and
// the last panel is zero-padded to 8 columns (its tile goes through scratch). Products of fewer
// than 8 rows (small batches) do not pack B, whose floats they would use only a few times: their
// tiles read B in place, with the columns beyond a multiple of 8 as scalar dot products.
// Nothing is allocated; the packing buffers are static.

const KC: i32 = 128;
const MC: i32 = 64;
const NC: i32 = 256;
const PACKED_A = memory.data(KC * MC * 4, 16);
const PACKED_B = memory.data(KC * NC * 4, 16);

/** C[m×n] += A[m×k] · B[k×n]. */
export function matmulAdd(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  gemm(m, k, n, a, <usize>lda << 2, 4, b, <usize>ldb << 2, 4, c, ldc, 0);
}

/** C[m×n] += Aᵀ · B with A stored [k×m] (lda ≥ m) and B [k×n]. */
export function matmulTransAAdd(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  gemm(m, k, n, a, 4, <usize>lda << 2, b, <usize>ldb << 2, 4, c, ldc, 0);
}

/** C[m×n] += A · Bᵀ with A [m×k] and B stored [n×k] (ldb ≥ k). */
export function matmulTransBAdd(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
): void {
  gemm(m, k, n, a, <usize>lda << 2, 4, b, 4, <usize>ldb << 2, c, ldc, 0);
}

/**
 * Packs B stored `[n×k]` (ldb ≥ k) once for {@link matmulTransBAddPacked}, into `space` when it
 * fits in `capacity` floats (k·⌈n/8⌉·8 are needed); returns the packed copy's address, or 0
 * when it does not fit. A backward pass multiplies by the same recurrent kernel every step and
 * would otherwise repack it every step; its parameter-gradient buffer, written only after the
 * time loop, is the space.
 */
export function packTransposedB(k: i32, n: i32, b: usize, ldb: i32, space: usize, capacity: i32): usize {
  if (k * ((n + 7) & ~7) > capacity) return 0;
  const bjs = <usize>ldb << 2;
  let dst = space;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nb = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packB(kc, nb, b + (<usize>p0 << 2) + <usize>j0 * bjs, 4, bjs, dst);
      dst += <usize>kc * ((nb + 7) & ~7) << 2;
    }
  }
  return space;
}

/**
 * C[m×n] += A · Bᵀ as {@link matmulTransBAdd}, reading B from `packed` (the result of
 * {@link packTransposedB} for this B) unless that is 0.
 */
export function matmulTransBAddPacked(
  m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, packed: usize, c: usize, ldc: i32,
): void {
  gemm(m, k, n, a, <usize>lda << 2, 4, b, 4, <usize>ldb << 2, c, ldc, packed);
}

// A(i, p) at a + i·ars + p·aks, B(p, j) at b + p·bks + j·bjs (bytes); or B already packed
// at `packed` (its blocks in this loop's order).
function gemm(
  m: i32, k: i32, n: i32, a: usize, ars: usize, aks: usize, b: usize, bks: usize, bjs: usize,
  c: usize, ldc: i32, packed: usize,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const cRow = <usize>ldc << 2;
  if (m < PACK_B_MIN_ROWS && packed == 0) {
    gemmFewRows(m, k, n, a, ars, aks, b, bks, bjs, c, cRow);
    return;
  }
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nb = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      let panels = PACKED_B;
      if (packed != 0) {
        panels = packed;
        packed += <usize>kc * ((nb + 7) & ~7) << 2;
      } else {
        packB(kc, nb, b + <usize>p0 * bks + <usize>j0 * bjs, bks, bjs, PACKED_B);
      }
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mb = min(MC, m - i0);
        const ai = a + <usize>i0 * ars + <usize>p0 * aks;
        const m4 = mb & ~3;
        packA(kc, m4, ai, ars, aks);
        const cij = c + <usize>i0 * cRow + (<usize>j0 << 2);
        const strip = <usize>kc << 4;
        const panel = <usize>kc << 5;
        for (let j = 0; j < nb; j += 8) {
          const pb = panels + <usize>(j >> 3) * panel;
          const cj = cij + (<usize>j << 2);
          const w = min(8, nb - j);
          let i = 0;
          if (w == 8) {
            for (; i < m4; i += 4) tile4x8(kc, PACKED_A + <usize>(i >> 2) * strip, pb, 32, cj + <usize>i * cRow, cRow);
            for (; i < mb; i++) tile1x8(kc, ai + <usize>i * ars, aks, pb, 32, cj + <usize>i * cRow);
          } else {
            // The last panel, zero-padded to 8 columns: the tile goes to scratch, w columns to C.
            for (; i < m4; i += 4) {
              memory.fill(TILE, 0, 128);
              tile4x8(kc, PACKED_A + <usize>(i >> 2) * strip, pb, 32, TILE, 32);
              for (let r = 0; r < 4; r++) addColumns(cj + <usize>(i + r) * cRow, TILE + (<usize>r << 5), w);
            }
            for (; i < mb; i++) {
              memory.fill(TILE, 0, 32);
              tile1x8(kc, ai + <usize>i * ars, aks, pb, 32, TILE);
              addColumns(cj + <usize>i * cRow, TILE, w);
            }
          }
        }
      }
    }
  }
}

// Below this many rows, packing B costs more than it saves (measured: break-even near 8 rows).
const PACK_B_MIN_ROWS: i32 = 8;
// A 4×8 tile of scratch for the zero-padded last panel.
const TILE = memory.data(128, 16);

@inline function addColumns(c: usize, src: usize, w: i32): void {
  for (let t = 0; t < w; t++) {
    const cp = c + (<usize>t << 2);
    store<f32>(cp, load<f32>(cp) + load<f32>(src + (<usize>t << 2)));
  }
}

// Few rows (batch < 8): B is read in place, each float of it used by every row once.
function gemmFewRows(
  m: i32, k: i32, n: i32, a: usize, ars: usize, aks: usize, b: usize, bks: usize, bjs: usize,
  c: usize, cRow: usize,
): void {
  if (bjs != 4) {
    transBFewRows(m, k, n, a, ars, b, bjs, c, cRow);
    return;
  }
  const n8 = n & ~7;
  const m4 = m & ~3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const ap = a + <usize>p0 * aks;
    const bp = b + <usize>p0 * bks;
    packA(kc, m4, ap, ars, aks);
    for (let j = 0; j < n8; j += 8) {
      const bj = bp + (<usize>j << 2);
      const cj = c + (<usize>j << 2);
      let i = 0;
      for (; i < m4; i += 4) tile4x8(kc, PACKED_A + <usize>(i >> 2) * (<usize>kc << 4), bj, bks, cj + <usize>i * cRow, cRow);
      for (; i < m; i++) tile1x8(kc, ap + <usize>i * ars, aks, bj, bks, cj + <usize>i * cRow);
    }
    if (n8 < n) edgeColumns(m, kc, n8, n, ap, ars, aks, bp, bks, c, cRow);
  }
}

// B's block [kc × nb] as ⌈nb/8⌉ panels of [kc][8], the last one zero-padded, at dst.
function packB(kc: i32, nb: i32, b: usize, bks: usize, bjs: usize, dst: usize): void {
  for (let j = 0; j < nb; j += 8) {
    const bj = b + <usize>j * bjs;
    const w = nb - j;
    if (w < 8) {
      for (let p = 0; p < kc; p++) {
        const src = bj + <usize>p * bks;
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        for (let t = 0; t < w; t++) store<f32>(dst + (<usize>t << 2), load<f32>(src + <usize>t * bjs));
        dst += 32;
      }
    } else if (bjs == 4) {
      // Rows of B are contiguous: two vector copies per k step.
      let src = bj;
      const end = dst + (<usize>kc << 5);
      while (dst < end) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += bks;
        dst += 32;
      }
    } else {
      // B stored transposed (A·Bᵀ): columns of B are rows; 4×4 transposes of 4 k steps.
      const k4 = kc & ~3;
      const b4 = bj + (bjs << 2);
      let p = 0;
      for (; p < k4; p += 4) {
        const src = <usize>p << 2;
        transpose4(bj + src, bjs, dst, 32);
        transpose4(b4 + src, bjs, dst + 16, 32);
        dst += 128;
      }
      for (; p < kc; p++) {
        const src = bj + (<usize>p << 2);
        for (let t = 0; t < 8; t++) store<f32>(dst + (<usize>t << 2), load<f32>(src + <usize>t * bjs));
        dst += 32;
      }
    }
  }
}

// Four rows of 4 floats at src, src + srcRow, … written as four columns: dst + q·dstRow holds
// [row0[q], row1[q], row2[q], row3[q]]. Each shuffle is a single unpack instruction.
@inline function transpose4(src: usize, srcRow: usize, dst: usize, dstRow: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + srcRow);
  const r2 = v128.load(src + 2 * srcRow);
  const r3 = v128.load(src + 3 * srcRow);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + dstRow, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * dstRow, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstRow, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

// A's block [m4 × kc] (m4 a multiple of 4) as m4/4 strips of [kc][4].
function packA(kc: i32, m4: i32, a: usize, ars: usize, aks: usize): void {
  let dst = PACKED_A;
  for (let i = 0; i < m4; i += 4) {
    const ai = a + <usize>i * ars;
    if (ars == 4) {
      // Aᵀ·B: the strip's four rows are adjacent floats of each stored row.
      let src = ai;
      const end = dst + (<usize>kc << 4);
      while (dst < end) {
        v128.store(dst, v128.load(src));
        src += aks;
        dst += 16;
      }
    } else {
      // A·B, A·Bᵀ: rows of A are contiguous along k; 4×4 transposes of 4 k steps.
      const k4 = kc & ~3;
      let p = 0;
      for (; p < k4; p += 4) {
        transpose4(ai + (<usize>p << 2), ars, dst, 16);
        dst += 64;
      }
      for (; p < kc; p++) {
        const src = ai + (<usize>p << 2);
        let v = f32x4.splat(load<f32>(src));
        v = f32x4.replace_lane(v, 1, load<f32>(src + ars));
        v = f32x4.replace_lane(v, 2, load<f32>(src + 2 * ars));
        v = f32x4.replace_lane(v, 3, load<f32>(src + 3 * ars));
        v128.store(dst, v);
        dst += 16;
      }
    }
  }
}

@inline function addTo(c: usize, v: v128): void {
  v128.store(c, f32x4.add(v128.load(c), v));
}

// C[4×8] += strip · B, the strip packed, B's rows 8 floats at pb, pb + bRow, … (32 when packed).
@inline function tile4x8(kc: i32, pa: usize, pb: usize, bRow: usize, c: usize, cRow: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pa + (<usize>kc << 4);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let s = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(s, b0));
    c01 = f32x4.add(c01, f32x4.mul(s, b1));
    s = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(s, b0));
    c11 = f32x4.add(c11, f32x4.mul(s, b1));
    s = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(s, b0));
    c21 = f32x4.add(c21, f32x4.mul(s, b1));
    s = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(s, b0));
    c31 = f32x4.add(c31, f32x4.mul(s, b1));
    pa += 16;
    pb += bRow;
  }
  addTo(c, c00); addTo(c + 16, c01); c += cRow;
  addTo(c, c10); addTo(c + 16, c11); c += cRow;
  addTo(c, c20); addTo(c + 16, c21); c += cRow;
  addTo(c, c30); addTo(c + 16, c31);
}

// C[1×8] += A's row (unpacked, stride aks along k) · B (rows bRow apart).
@inline function tile1x8(kc: i32, a: usize, aks: usize, pb: usize, bRow: usize, c: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
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

// A·Bᵀ with few rows: a row of A and a column of B are both contiguous along k, so tiles of
// 2 rows × 4 columns are f32x4 partial sums over k, reduced horizontally at the end.
function transBFewRows(m: i32, k: i32, n: i32, a: usize, aRow: usize, b: usize, bRow: usize, c: usize, cRow: usize): void {
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

// Dot-product helpers of transBFewRows.

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

// Σ x[p]·y[p] over k contiguous floats.
function dot1(n: i32, x: usize, y: usize): f32 {
  let s = f32x4.splat(0);
  const end4 = <usize>(n & ~3) << 2;
  let off: usize = 0;
  while (off < end4) {
    s = f32x4.add(s, f32x4.mul(v128.load(x + off), v128.load(y + off)));
    off += 16;
  }
  let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) +
    (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  const end = <usize>n << 2;
  while (off < end) {
    r += load<f32>(x + off) * load<f32>(y + off);
    off += 4;
  }
  return r;
}

// Columns [j0, n) (fewer than 8) of every row, B's rows contiguous: scalar dot products over
// one block of k (≤ KC).
function edgeColumns(
  m: i32, kc: i32, j0: i32, n: i32, a: usize, ars: usize, aks: usize, b: usize, bks: usize,
  c: usize, cRow: usize,
): void {
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * ars;
    for (let j = j0; j < n; j++) {
      let pa = ai;
      let pb = b + (<usize>j << 2);
      let s: f32 = 0;
      for (let p = 0; p < kc; p++) {
        s += load<f32>(pa) * load<f32>(pb);
        pa += aks;
        pb += bks;
      }
      const cp = c + <usize>i * cRow + (<usize>j << 2);
      store<f32>(cp, load<f32>(cp) + s);
    }
  }
}
