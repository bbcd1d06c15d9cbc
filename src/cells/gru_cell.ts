import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { biasRow } from '../backend/tfjs_quirks';
import {
  getRecurrentActivation,
  type RecurrentActivation,
  type RecurrentActivationName,
} from '../recurrence/activation';
import { gruResetAfterKernel } from '../recurrence/kernels/gru_reset_after';
import { gruResetBeforeKernel } from '../recurrence/kernels/gru_reset_before';
import type { StepEquations } from '../recurrence/step_equations';
import { rejectUnknownOptions } from '../utils/validate_layer_args';
import { FusedRNNCell, type CellWeightValues, type FusedCellArgs } from './fused_cell';
import { BlockOrthogonal } from './initializers/block_orthogonal';

/** Options of {@link GRUCell} (and of the {@link GRU} layer). */
export interface GRUCellArgs extends FusedCellArgs {
  /** Activation of the candidate state ĥ. Default `'tanh'`. */
  activation?: RecurrentActivationName;
  /**
   * Activation of the update and reset gates. Default `'sigmoid'` (tfjs's built-in GRU defaults
   * to `'hardSigmoid'`; the paper's reference and modern Keras use the sigmoid).
   */
  recurrentActivation?: RecurrentActivationName;
  /**
   * Where the reset gate acts. `true` (default; PyTorch, cuDNN, Keras ≥ 2.3):
   * `ĥ = tanh(x·W_h + b_h + r ⊙ (h·U_h + b'_h))`, bias shape `[2, 3·units]` (input row, then
   * recurrent row). `false` (tfjs built-in, legacy Keras): `ĥ = tanh(x·W_h + (r ⊙ h)·U_h + b_h)`,
   * bias shape `[3·units]`.
   */
  resetAfter?: boolean;
  /**
   * Default: orthogonal per gate block ({@link BlockOrthogonal}), as the paper's reference.
   */
  recurrentInitializer?: FusedCellArgs['recurrentInitializer'];
}

/**
 * Gated recurrent unit cell (Cho et al. 2014), gate order z, r, h as in tfjs-layers:
 *
 *     z = σ(x·W_z + h·U_z + b_z),  r = σ(x·W_r + h·U_r + b_r)
 *     ĥ = tanh(x·W_h + r ⊙ (h·U_h + b'_h) + b_h)        (resetAfter: true, default)
 *     ĥ = tanh(x·W_h + (r ⊙ h)·U_h + b_h)               (resetAfter: false)
 *     h' = z ⊙ h + (1 − z) ⊙ ĥ
 *
 * Weights: `kernel [inputDim, 3·units]`, `recurrent_kernel [units, 3·units]`, `bias [2, 3·units]`
 * (resetAfter) or `[3·units]`. Defaults: kernel Glorot-uniform, recurrent kernel orthogonal per
 * gate block, biases 0, sigmoid gates. With `resetAfter: false` and equal weights and options it
 * computes exactly what `tf.layers.gruCell` computes.
 */
export class GRUCell extends FusedRNNCell {
  /** @nocollapse */
  static className = 'WarmupRnnGRUCell';
  readonly activation: RecurrentActivation;
  readonly recurrentActivation: RecurrentActivation;
  readonly resetAfter: boolean;
  /** @internal */
  readonly recurrence: StepEquations<unknown>;

  constructor(args: GRUCellArgs) {
    rejectUnknownOptions(args, ['activation', 'recurrentActivation', 'resetAfter'], 'GRUCell');
    super(args, {
      recurrentInitializer: (units) => new BlockOrthogonal({ blockSize: units }),
      stateCount: 1,
    });
    this.activation = getRecurrentActivation(args.activation ?? 'tanh', 'GRUCell: activation');
    this.recurrentActivation = getRecurrentActivation(
      args.recurrentActivation ?? 'sigmoid',
      'GRUCell: recurrentActivation',
    );
    this.resetAfter = args.resetAfter ?? true;
    this.recurrence = (this.resetAfter ? gruResetAfterKernel : gruResetBeforeKernel)(
      this.units,
      this.activation,
      this.recurrentActivation,
    ) as StepEquations<unknown>;
  }

  protected get gateCount(): number {
    return 3;
  }
  protected recurrentKernelShape(): number[] {
    return [this.units, 3 * this.units];
  }
  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** @internal */
  override projectionBias(bias: tf.Tensor | null): tf.Tensor1D | null {
    if (bias == null || !this.resetAfter) return bias as tf.Tensor1D | null;
    return biasRow(bias, 0);
  }

  /** @internal */
  override recurrenceParameters(values: CellWeightValues): tf.Tensor[] {
    if (values.bias == null || !this.resetAfter) return [values.recurrentKernel];
    return [values.recurrentKernel, biasRow(values.bias, 1)];
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      activation: this.activation.name,
      recurrentActivation: this.recurrentActivation.name,
      resetAfter: this.resetAfter,
    };
  }
}
