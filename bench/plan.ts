/**
 * What a benchmark run measures: sizes, units and repetitions per backend.
 *
 * The pure-JS cpu backend is tens of times slower than wasm, so it gets fewer repetitions, and
 * at 256 units a warm-up on the first 10 steps only (the report says so).
 */
import type { BenchBackend } from './backend';
import type { Sizes } from './cases';
import type { TimingPlan } from './timing';

export interface BenchPlan {
  sizes: Sizes;
  units: number[];
  /** Units of the GRU pair that the per-op profile runs (on wasm, forward+backward). */
  profileUnits: number;
  repetitions(backend: BenchBackend, units: number): TimingPlan;
}

export function benchPlan(quick: boolean): BenchPlan {
  if (quick) {
    return {
      sizes: { batch: 4, time: 10, features: 8 },
      units: [8],
      profileUnits: 8,
      repetitions: () => ({ warmup: 1, warmupSteps: null, reps: 2 }),
    };
  }
  return {
    sizes: { batch: 32, time: 100, features: 8 },
    units: [32, 256],
    profileUnits: 256,
    repetitions: (backend, units) => {
      if (backend === 'wasm') return { warmup: 1, warmupSteps: null, reps: 5 };
      // cpu: one full pass of tf.layers.gru at 256 units takes tens of seconds here.
      return units >= 256 ? { warmup: 1, warmupSteps: 10, reps: 1 } : { warmup: 1, warmupSteps: null, reps: 2 };
    },
  };
}
