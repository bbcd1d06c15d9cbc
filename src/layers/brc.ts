import { BRCCell, type BRCCellArgs } from '../cells/brc_cell';
import { FusedRNN, type RecurrentLayerArgs } from './fused_rnn';

/** Options of the {@link BRC} layer: the cell's options plus the RNN layer's. */
export interface BRCLayerArgs extends BRCCellArgs, RecurrentLayerArgs {}

/**
 * Bistable recurrent cell layer (see {@link BRCCell} for the equations, weights and defaults).
 *
 * Runs on the fused recurrence: one input projection for all steps, one recurrent product per
 * step, and a hand-written backward pass through time. Warmup-capable.
 *
 * Serialized under the class name `WarmupRnnBRC`; import this package before
 * `tf.loadLayersModel` so the class is registered.
 */
export class BRC extends FusedRNN {
  /** @nocollapse */
  static override className = 'WarmupRnnBRC';
  declare readonly cell: BRCCell;
  /** The robust mode's collapse escape: off (why, and the measurements: {@link WarmupCapable.warmupCollapseEscape}). */
  readonly warmupCollapseEscape = false;

  constructor(args: BRCLayerArgs) {
    super(args, new BRCCell(args));
  }
}

/**
 * Creates a {@link BRC} layer.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [
 *   brc({ units: 32, returnSequences: true, inputShape: [null, 1] }),
 *   brc({ units: 32 }),
 *   tf.layers.dense({ units: 1 }),
 * ]});
 * ```
 */
export function brc(args: BRCLayerArgs): BRC {
  return new BRC(args);
}
