// Stand-in for engine-math's matmul.ts / simd_math.ts (same signatures, see ENGINE_CONTRACT):
// straightforward loops, correct but not register-blocked. Replaced once those files land.

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** C[m×n] += A[m×k] · B[k×n]. */
export function matmulAdd(m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const cRow = at(c, i * ldc);
    for (let p = 0; p < k; p++) {
      const s = load<f32>(at(a, i * lda + p));
      const sv = f32x4.splat(s);
      const bRow = at(b, p * ldb);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        v128.store(at(cRow, j), f32x4.add(v128.load(at(cRow, j)), f32x4.mul(sv, v128.load(at(bRow, j)))));
      }
      for (; j < n; j++) store<f32>(at(cRow, j), load<f32>(at(cRow, j)) + s * load<f32>(at(bRow, j)));
    }
  }
}

/** C[m×n] += Aᵀ · B, A stored [k×m]. */
export function matmulTransAAdd(m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  for (let p = 0; p < k; p++) {
    const bRow = at(b, p * ldb);
    for (let i = 0; i < m; i++) {
      const s = load<f32>(at(a, p * lda + i));
      const sv = f32x4.splat(s);
      const cRow = at(c, i * ldc);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        v128.store(at(cRow, j), f32x4.add(v128.load(at(cRow, j)), f32x4.mul(sv, v128.load(at(bRow, j)))));
      }
      for (; j < n; j++) store<f32>(at(cRow, j), load<f32>(at(cRow, j)) + s * load<f32>(at(bRow, j)));
    }
  }
}

/** C[m×n] += A · Bᵀ, B stored [n×k]. */
export function matmulTransBAdd(m: i32, k: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const aRow = at(a, i * lda);
    for (let j = 0; j < n; j++) {
      const bRow = at(b, j * ldb);
      let acc = f32x4.splat(0);
      let p = 0;
      for (; p + 4 <= k; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(at(aRow, p)), v128.load(at(bRow, p))));
      let s: f32 =
        f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; p < k; p++) s += load<f32>(at(aRow, p)) * load<f32>(at(bRow, p));
      store<f32>(at(c, i * ldc + j), load<f32>(at(c, i * ldc + j)) + s);
    }
  }
}

export function sigmoidF(x: f32): f32 {
  return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
}

export function tanhF(x: f32): f32 {
  return <f32>Math.tanh(<f64>x);
}

export function sigmoidV(x: v128): v128 {
  let r = f32x4.splat(sigmoidF(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, sigmoidF(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, sigmoidF(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, sigmoidF(f32x4.extract_lane(x, 3)));
}

export function tanhV(x: v128): v128 {
  let r = f32x4.splat(tanhF(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, tanhF(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, tanhF(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, tanhF(f32x4.extract_lane(x, 3)));
}
