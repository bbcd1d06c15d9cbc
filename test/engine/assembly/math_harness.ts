// Test-only AssemblyScript entry: exposes the engine's math leaf (src/engine/assembly/matmul.ts,
// simd_math.ts) and a scratch area of linear memory to the tests in this folder, which compile it
// with the `assemblyscript` compiler (test/engine/math_module.ts).
export { matmulAdd, matmulTransAAdd, matmulTransBAdd, packTransposedB, matmulTransBAddPacked } from '../../../src/engine/assembly/matmul';
export { sigmoidArray, tanhArray, sigmoidF, tanhF, expF } from '../../../src/engine/assembly/simd_math';
import { expV, expF } from '../../../src/engine/assembly/simd_math';

/** dst[i] = exp(src[i]) through the vector path (the tail through expF). */
export function expArray(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, expV(v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, expF(load<f32>(src + o)));
  }
}

/** Byte address of a 64-byte-aligned scratch area after the module's static data. */
export function scratch(): usize {
  return (__heap_base + 63) & ~<usize>63;
}

/** Grows memory so that the scratch area holds at least `bytes`; returns its address. */
export function reserve(bytes: i32): usize {
  const start = scratch();
  const needed = <i32>((start + <usize>bytes + 0xffff) >>> 16);
  const have = memory.size();
  if (needed > have) memory.grow(needed - have);
  return start;
}
