// The AssemblyScript compiler flags of the engine, in one place: src/engine/compile_engine.mjs
// builds the shipped module with them, and the math tests (test/engine/math_module.ts) compile
// their harness with the same ones, so the tests pin the code users run.
// -O3 and SIMD for speed; the stub runtime because the module never allocates (the caller lays
// out its memory); no assertions (bounds are checked on the TypeScript side before each call).
export const ENGINE_COMPILER_FLAGS = ['-O3', '--runtime', 'stub', '--enable', 'simd', '--noAssert'];
