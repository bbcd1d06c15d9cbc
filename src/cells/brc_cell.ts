import { bistableKernel } from '../recurrence/kernels/bistable';
import type { StepEquations } from '../recurrence/step_equations';
import { rejectUnknownOptions } from '../utils/validate_layer_args';
import { FusedRNNCell, type FusedCellArgs } from './fused_cell';

/** Options of {@link BRCCell} (and of the {@link BRC} layer). */
export interface BRCCellArgs extends FusedCellArgs {
  /** Initializer of the diagonal memory weights (w_c, w_a), shape `[2·units]`. Default `'ones'`. */
  recurrentInitializer?: FusedCellArgs['recurrentInitializer'];
}

/**
 * Bistable recurrent cell (Vecoven, Ernst & Drion 2021, arXiv 2006.05252), gate order c, a, h:
 *
 *     c  = σ(x·U_c + w_c ⊙ h + b_c)
 *     a  = 1 + tanh(x·U_a + w_a ⊙ h + b_a)        (a > 1 makes a neuron bistable)
 *     h' = c ⊙ h + (1 − c) ⊙ tanh(x·U_h + a ⊙ h + b_h)
 *
 * Weights: `kernel [inputDim, 3·units]`, `recurrent_kernel [2·units]` (the diagonal memory
 * weights w_c then w_a), `bias [3·units]`. Defaults: kernel Glorot-uniform, w = 1, bias 0.
 * The original BRC has no b_h; the warmup paper's reference does, and so do we (`useBias`).
 */
export class BRCCell extends FusedRNNCell {
  /** @nocollapse */
  static className = 'WarmupRnnBRCCell';
  /** @internal */
  readonly recurrence: StepEquations<unknown>;

  constructor(args: BRCCellArgs) {
    rejectUnknownOptions(args, [], 'BRCCell');
    super(args, { recurrentInitializer: () => 'ones', stateCount: 1 });
    this.recurrence = bistableKernel(this.units, 'diagonal') as StepEquations<unknown>;
  }
  protected get gateCount(): number {
    return 3;
  }
  protected recurrentKernelShape(): number[] {
    return [2 * this.units];
  }
}
