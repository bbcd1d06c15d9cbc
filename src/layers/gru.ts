import { GRUCell, type GRUCellArgs } from '../cells/gru_cell';
import { FusedRNN, type RecurrentLayerArgs } from './fused_rnn';

/** Options of the {@link GRU} layer: the cell's options plus the RNN layer's. */
export interface GRULayerArgs extends GRUCellArgs, RecurrentLayerArgs {}

/**
 * Gated recurrent unit layer (see {@link GRUCell} for the equations, weights and defaults).
 *
 * Runs on the fused recurrence: one input projection for all steps, one recurrent product per
 * step, and a hand-written backward pass through time. Warmup-capable.
 *
 * Serialized under the class name `WarmupRnnGRU`; import this package before
 * `tf.loadLayersModel` so the class is registered.
 */
export class GRU extends FusedRNN {
  /** @nocollapse */
  static override className = 'WarmupRnnGRU';
  declare readonly cell: GRUCell;
  /** The robust mode's collapse escape: on (why, and the measurements: {@link WarmupCapable.warmupCollapseEscape}). */
  readonly warmupCollapseEscape = true;

  constructor(args: GRULayerArgs) {
    super(args, new GRUCell(args));
  }
}

/**
 * Creates a {@link GRU} layer.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [
 *   gru({ units: 32, returnSequences: true, inputShape: [null, 1] }),
 *   gru({ units: 32 }),
 *   tf.layers.dense({ units: 1 }),
 * ]});
 * ```
 */
export function gru(args: GRULayerArgs): GRU {
  return new GRU(args);
}
