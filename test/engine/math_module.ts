/**
 * Compiles the engine's math leaf for the tests: test/engine/assembly/math_harness.ts (which
 * re-exports src/engine/assembly/matmul.ts and simd_math.ts plus a scratch-memory helper) with
 * the `assemblyscript` compiler's API, in memory, with the engine's flags (src/engine/engine_compiler_flags.mjs), and instantiates it. Independent of the engine's own build step, so these tests pin
 * the math alone.
 */
import asc from 'assemblyscript/asc';
import { ENGINE_COMPILER_FLAGS } from '../../src/engine/engine_compiler_flags.mjs';

export interface MathModule {
  memory: WebAssembly.Memory;
  matmulAdd(
    m: number,
    k: number,
    n: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
  ): void;
  matmulTransAAdd(
    m: number,
    k: number,
    n: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
  ): void;
  matmulTransBAdd(
    m: number,
    k: number,
    n: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
  ): void;
  /** Packs B ([n×k], ldb) into `space` if k·⌈n/8⌉·8 ≤ capacity floats; returns its address or 0. */
  packTransposedB(k: number, n: number, b: number, ldb: number, space: number, capacity: number): number;
  matmulTransBAddPacked(
    m: number,
    k: number,
    n: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    packed: number,
    c: number,
    ldc: number,
  ): void;
  sigmoidArray(src: number, dst: number, n: number): void;
  tanhArray(src: number, dst: number, n: number): void;
  expArray(src: number, dst: number, n: number): void;
  sigmoidF(x: number): number;
  tanhF(x: number): number;
  expF(x: number): number;
  /** Grows memory to hold `bytes` of scratch space; returns its (64-byte aligned) address. */
  reserve(bytes: number): number;
}

const ENTRY = 'test/engine/assembly/math_harness.ts';

export async function compileMathModule(): Promise<MathModule> {
  const out: { binary?: Uint8Array } = {};
  const { error, stderr } = await asc.main([ENTRY, '--outFile', 'math_harness.wasm', ...ENGINE_COMPILER_FLAGS], {
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith('.wasm') && typeof contents !== 'string') out.binary = contents;
    },
  });
  const binary = out.binary;
  if (error || !binary) {
    throw new Error(
      `assemblyscript failed to compile ${ENTRY}: ${error?.message ?? 'no binary'}\n${stderr.toString()}`,
    );
  }
  const { instance } = await WebAssembly.instantiate(new Uint8Array(binary), {
    env: {
      abort() {
        throw new Error('math harness aborted');
      },
    },
  });
  return instance.exports as unknown as MathModule;
}
