/** The AssemblyScript compiler flags of the engine (see engine_compiler_flags.mjs). */
export declare const ENGINE_COMPILER_FLAGS: readonly string[];
