/**
 * The model of the warmup experiments (examples/warmup_modes.ts, examples/warmup_diagnosis.ts)
 * and of the tests that pin seeds found with them: two recurrent layers of `units` (the first
 * returning sequences) on 1 input feature, then a dense head. tfjs's initializers draw their
 * seeds from `Math.random`, so it is seeded (with `seed · 7919 + units`) while the model is
 * built: the same seed gives the same initial weights in every mode, script and test.
 */
import * as tf from '@tensorflow/tfjs';
import { brc, gru, lstm, nbrc } from '../../src/index';
import { withSeededMathRandom } from './random';

/** The cells the experiments compare, by name. */
export const DRIVER_CELLS = { brc, gru, lstm, nbrc } as const;
export type DriverCell = keyof typeof DRIVER_CELLS;

/** LSTM bias initialisations compared with `--init` (the library's default: zero biases). */
export const DRIVER_INITS = ['default', 'unit-forget', 'chrono'] as const;
export type DriverInit = (typeof DRIVER_INITS)[number];

function initArgs(cell: DriverCell, init: DriverInit, length: number, seed: number): Record<string, unknown> {
  if (init === 'default') return {};
  if (cell !== 'lstm') throw new Error(`--init ${init} applies to lstm only`);
  return init === 'unit-forget' ? { unitForgetBias: true } : { chrono: { tMax: length, seed } };
}

/**
 * The experiments' model for `cell`, `units` and `seed`; `init` and `length` (the task's
 * sequence length, for chrono initialisation) only matter for LSTM bias initialisations.
 */
export function driverModel(
  cell: DriverCell,
  units: number,
  seed: number,
  init: DriverInit = 'default',
  length = 30,
): tf.Sequential {
  const make = DRIVER_CELLS[cell] as unknown as (args: Record<string, unknown>) => tf.layers.Layer;
  return withSeededMathRandom(seed * 7919 + units, () =>
    tf.sequential({
      layers: [
        make({ units, returnSequences: true, inputShape: [null, 1], ...initArgs(cell, init, length, seed) }),
        make({ units, ...initArgs(cell, init, length, seed + 500) }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  );
}
