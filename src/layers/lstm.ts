import { LSTMCell, type LSTMCellArgs } from '../cells/lstm_cell';
import { FusedRNN, type RecurrentLayerArgs } from './fused_rnn';

/** Options of the {@link LSTM} layer: the cell's options plus the RNN layer's. */
export interface LSTMLayerArgs extends LSTMCellArgs, RecurrentLayerArgs {}

/**
 * Long short-term memory layer (see {@link LSTMCell} for the equations, weights and defaults).
 *
 * Runs on the fused recurrence: one input projection for all steps, one recurrent product per
 * step, and a hand-written backward pass through time. Warmup-capable.
 *
 * Serialized under the class name `WarmupRnnLSTM`; import this package before
 * `tf.loadLayersModel` so the class is registered.
 */
export class LSTM extends FusedRNN {
  /** @nocollapse */
  static override className = 'WarmupRnnLSTM';
  declare readonly cell: LSTMCell;
  /** The robust mode's collapse escape: on (why, and the measurements: {@link WarmupCapable.warmupCollapseEscape}). */
  readonly warmupCollapseEscape = true;

  constructor(args: LSTMLayerArgs) {
    super(args, new LSTMCell(args));
  }
}

/**
 * Creates a {@link LSTM} layer.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [
 *   lstm({ units: 32, returnSequences: true, inputShape: [null, 1] }),
 *   lstm({ units: 32 }),
 *   tf.layers.dense({ units: 1 }),
 * ]});
 * ```
 */
export function lstm(args: LSTMLayerArgs): LSTM {
  return new LSTM(args);
}
