import { bistableKernel } from '../recurrence/kernels/bistable';
import type { StepEquations } from '../recurrence/step_equations';
import { rejectUnknownOptions } from '../utils/validate_layer_args';
import { FusedRNNCell, type FusedCellArgs } from './fused_cell';

/** Options of {@link NBRCCell} (and of the {@link NBRC} layer). */
export type NBRCCellArgs = FusedCellArgs;

/**
 * Recurrently neuromodulated bistable recurrent cell (Vecoven, Ernst & Drion 2021,
 * arXiv 2006.05252): the BRC with full recurrent matrices in the gates, gate order c, a, h:
 *
 *     c  = σ(x·U_c + h·W_c + b_c)
 *     a  = 1 + tanh(x·U_a + h·W_a + b_a)
 *     h' = c ⊙ h + (1 − c) ⊙ tanh(x·U_h + a ⊙ h + b_h)
 *
 * Weights: `kernel [inputDim, 3·units]`, `recurrent_kernel [units, 2·units]` (W_c | W_a),
 * `bias [3·units]`. Defaults: kernel and recurrent kernel Glorot-uniform, bias 0.
 */
export class NBRCCell extends FusedRNNCell {
  /** @nocollapse */
  static className = 'WarmupRnnNBRCCell';
  /** @internal */
  readonly recurrence: StepEquations<unknown>;

  constructor(args: NBRCCellArgs) {
    rejectUnknownOptions(args, [], 'NBRCCell');
    super(args, { recurrentInitializer: () => 'glorotUniform', stateCount: 1 });
    this.recurrence = bistableKernel(this.units, 'full') as StepEquations<unknown>;
  }
  protected get gateCount(): number {
    return 3;
  }
  protected recurrentKernelShape(): number[] {
    return [this.units, 2 * this.units];
  }
}
