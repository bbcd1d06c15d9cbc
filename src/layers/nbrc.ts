import { NBRCCell, type NBRCCellArgs } from '../cells/nbrc_cell';
import { FusedRNN, type RecurrentLayerArgs } from './fused_rnn';

/** Options of the {@link NBRC} layer: the cell's options plus the RNN layer's. */
export interface NBRCLayerArgs extends NBRCCellArgs, RecurrentLayerArgs {}

/**
 * Recurrently neuromodulated bistable recurrent cell layer (see {@link NBRCCell} for the equations, weights and defaults).
 *
 * Runs on the fused recurrence: one input projection for all steps, one recurrent product per
 * step, and a hand-written backward pass through time. Warmup-capable.
 *
 * Serialized under the class name `WarmupRnnNBRC`; import this package before
 * `tf.loadLayersModel` so the class is registered.
 */
export class NBRC extends FusedRNN {
  /** @nocollapse */
  static override className = 'WarmupRnnNBRC';
  declare readonly cell: NBRCCell;
  /** The robust mode's collapse escape: off (why, and the measurements: {@link WarmupCapable.warmupCollapseEscape}). */
  readonly warmupCollapseEscape = false;

  constructor(args: NBRCLayerArgs) {
    super(args, new NBRCCell(args));
  }
}

/**
 * Creates a {@link NBRC} layer.
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [
 *   nbrc({ units: 32, returnSequences: true, inputShape: [null, 1] }),
 *   nbrc({ units: 32 }),
 *   tf.layers.dense({ units: 1 }),
 * ]});
 * ```
 */
export function nbrc(args: NBRCLayerArgs): NBRC {
  return new NBRC(args);
}
