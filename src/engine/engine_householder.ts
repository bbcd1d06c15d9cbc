import { loadedEngine } from './engine_loader';
import { layoutEngineMemory } from './engine_memory';

/** Columns of Q the kernel carries through its three products together (measured: 64). */
const COLUMN_GROUP = 64;

/**
 * Float64 arrays for applying blocks of Householder reflections to a matrix `Q`
 * (src/cells/initializers/haar_orthogonal.ts), and the function that applies one block.
 * Row-major; `q` is `m × ldq` (zero-filled), `panel` holds up to `m × maxBlock` and `t` up to
 * `maxBlock × maxBlock` doubles, laid out as {@link ReflectorWorkspace.apply} reads them.
 */
export interface ReflectorWorkspace {
  readonly q: Float64Array;
  readonly ldq: number;
  readonly panel: Float64Array;
  readonly t: Float64Array;
  /**
   * `Q[k0:, k0:] ← Q[k0:, k0:] − P·(T·(Pᵀ·Q[k0:, k0:]))` where P is `(m − k0) × b` in `panel`
   * (row stride b) and T is `b × b` in `t` (row stride b).
   */
  apply(k0: number, b: number): void;
}

/**
 * A {@link ReflectorWorkspace} in the engine's memory whose `apply` runs the engine's SIMD
 * kernel (src/engine/assembly/householder.ts), or null while the engine is not loaded (browsers
 * compile it asynchronously), where it cannot run, or when its memory cannot grow to `m × ldq`
 * doubles (it never shrinks: it keeps that size for later engine calls). The views stay valid
 * until the next engine call.
 */
export function engineReflectorWorkspace(
  m: number,
  n: number,
  ldq: number,
  maxBlock: number,
): ReflectorWorkspace | null {
  const engine = loadedEngine();
  if (engine == null) return null;
  const kernel = engine.householderBlockApply as (...args: number[]) => void;
  let addresses: number[];
  try {
    // Sizes are in float32 units: two per double.
    ({ addresses } = layoutEngineMemory(engine, [
      2 * m * ldq,
      2 * m * maxBlock,
      2 * maxBlock * maxBlock,
      2 * maxBlock * COLUMN_GROUP,
    ]));
  } catch (error) {
    // The engine's memory could not grow (a RangeError where the runtime refuses): the
    // JavaScript path needs no WebAssembly memory and gives the same result.
    if (error instanceof RangeError) return null;
    throw error;
  }
  const [pq, pPanel, pT, pW] = addresses;
  const buffer = engine.memory.buffer;
  const q = new Float64Array(buffer, pq, m * ldq);
  q.fill(0); // the engine's memory is reused between calls
  return {
    q,
    ldq,
    panel: new Float64Array(buffer, pPanel, m * maxBlock),
    t: new Float64Array(buffer, pT, maxBlock * maxBlock),
    apply(k0: number, b: number): void {
      kernel(m - k0, n - k0, b, pPanel, pT, pq + 8 * (k0 * ldq + k0), ldq, pW, COLUMN_GROUP);
    },
  };
}
