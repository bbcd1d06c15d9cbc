/**
 * The demo's model: two recurrent layers and a dense head (the paper's copy-first-input
 * setting), built with seeded initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import { doubleRNN, gru, lstm, nbrc, brc } from '../../src/index';
import type { CellKind, Variant } from './args';
import { hashSeed, withSeededMathRandom } from '../common/random';

type RecurrentFactory = (args: {
  units: number;
  returnSequences?: boolean;
  inputShape?: [null, number];
}) => tf.layers.Layer;

const FACTORIES: Record<CellKind, RecurrentFactory> = { gru, lstm, nbrc, brc };

/**
 * `recurrent(units, sequences) → recurrent(units) → dense(1)`, one input feature, any length.
 * The `double` variant uses `doubleRNN({ cell, units })` for both recurrent layers (two halves
 * of `units / 2`, of which warmup trains only the first). Initial weights depend only on
 * (cell, double or not, seed): the `none` and `warmup` variants of one cell and seed start
 * from the very same weights, so warmup is the only difference between them.
 */
export function buildModel(cell: CellKind, variant: Variant, units: number, seed: number): tf.Sequential {
  const make: RecurrentFactory = variant === 'double' ? (args) => doubleRNN({ cell, ...args }) : FACTORIES[cell];
  const family = variant === 'double' ? 'double' : 'single';
  return withSeededMathRandom(hashSeed(`model/${cell}/${family}/${seed}`), () =>
    tf.sequential({
      layers: [
        make({ units, returnSequences: true, inputShape: [null, 1] }),
        make({ units }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  );
}
