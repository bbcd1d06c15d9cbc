/**
 * What a benchmark run measures: rows, sizes and repetitions per backend.
 *
 * GRU and LSTM at 16–256 units (batch 32, length 100, 8 features) plus one long row (GRU 32 units,
 * 784 steps of 1 feature: sequential MNIST's shape), then BRC and nBRC against our GRU at 32 and
 * 256 units. The pure-JS cpu backend is tens of times slower than wasm on the op path, so it
 * gets fewer repetitions, and the tfjs built-in column only up to 32 units (one pass of it at
 * 256 units takes ~40 s there). Rows where a pass takes seconds warm up on their first 10 steps.
 */
import type { BenchBackend } from './backend';
import { isEngineRow, type CaseSpec } from './cases';
import type { TimingPlan } from './timing';

export interface BenchPlan {
  batch: number;
  /** Every row, in run order. */
  cases: CaseSpec[];
  /** Units of the GRU rows that the per-op profiles run (forward+backward). */
  profileUnits: number[];
  repetitions(backend: BenchBackend, spec: CaseSpec): TimingPlan;
  /** Whether the tfjs built-in layer is timed in this row. */
  withBuiltin(backend: BenchBackend, spec: CaseSpec): boolean;
}

const rows = (units: number[], time: number, features: number, longTime: number): CaseSpec[] => [
  ...units.flatMap((u) => (['GRU', 'LSTM'] as const).map((family) => ({ family, units: u, time, features }))),
  { family: 'GRU', units: units.includes(32) ? 32 : units[0], time: longTime, features: 1 },
  ...[...new Set([units[0] === 16 ? 32 : units[0], units[units.length - 1]])].flatMap((u) =>
    (['BRC', 'nBRC'] as const).map((family) => ({ family, units: u, time, features })),
  ),
];

export function benchPlan(quick: boolean): BenchPlan {
  if (quick) {
    return {
      batch: 4,
      cases: rows([8], 10, 8, 30),
      profileUnits: [8],
      repetitions: () => ({ warmup: 1, warmupSteps: null, reps: 2 }),
      withBuiltin: () => true,
    };
  }
  return {
    batch: 32,
    cases: rows([16, 32, 64, 128, 256], 100, 8, 784),
    profileUnits: [32, 256],
    repetitions: (backend, spec) => {
      // Warm-up on the first 10 steps where one full pass of the slowest column takes seconds:
      // tf.layers at ≥ 128 units on wasm, the op path on cpu.
      const big = spec.units >= 128 || spec.time > 100;
      // wasm: the small rows take milliseconds, so more repetitions steady their medians.
      if (backend === 'wasm')
        return { warmup: 1, warmupSteps: big ? 10 : null, reps: spec.units <= 64 && !big ? 5 : 3 };
      // cpu: one op-path pass at 256 units takes ~10 s here (tf.layers.gru: ~40 s). The BRC/nBRC
      // rows time two engine columns only (milliseconds), so they afford as many repetitions as
      // on wasm: with 2, one disturbed repetition decided the median.
      if (!isEngineRow(spec) && !big) return { warmup: 1, warmupSteps: null, reps: 5 };
      return big ? { warmup: 1, warmupSteps: 10, reps: 1 } : { warmup: 1, warmupSteps: null, reps: 2 };
    },
    withBuiltin: (backend, spec) => backend === 'wasm' || (spec.units <= 32 && spec.time <= 100),
  };
}
