import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';
import {
  getRecurrentActivation,
  type RecurrentActivation,
  type RecurrentActivationName,
} from '../recurrence/activation';
import { lstmKernel } from '../recurrence/kernels/lstm';
import type { StepEquations } from '../recurrence/step_equations';
import { rejectUnknownOptions } from '../utils/validate_layer_args';
import { FusedRNNCell, type FusedCellArgs } from './fused_cell';
import { BlockOrthogonal } from './initializers/block_orthogonal';
import { ChronoBias, validateChrono } from './initializers/chrono_bias';
import type { Initializer } from './keras_objects';
import { SerializableInitializer } from './initializers/serializable_initializer';

/** Chrono initialization options (Tallec & Ollivier 2018). */
export interface ChronoArgs {
  /** The longest time dependency expected; forget-gate time constants spread up to it. > 2. */
  tMax: number;
  /** Seed of the random time constants. */
  seed?: number;
}

/** Options of {@link LSTMCell} (and of the {@link LSTM} layer). */
export interface LSTMCellArgs extends FusedCellArgs {
  /** Activation of the cell input g and of the output `tanh(c')`. Default `'tanh'`. */
  activation?: RecurrentActivationName;
  /** Activation of the i, f, o gates. Default `'sigmoid'` (tfjs's built-in: `'hardSigmoid'`). */
  recurrentActivation?: RecurrentActivationName;
  /** Add 1 to the forget-gate bias at initialization (Jozefowicz et al. 2015). Default `false`. */
  unitForgetBias?: boolean;
  /**
   * Chrono initialization of the bias: `b_f = log(u)`, `b_i = −log(u)`, `u ~ U[1, tMax − 1]`.
   * Replaces `biasInitializer` and `unitForgetBias`. Default: off.
   */
  chrono?: ChronoArgs | null;
}

/**
 * Long short-term memory cell (Hochreiter & Schmidhuber 1997), gate order i, f, c, o as in
 * tfjs-layers:
 *
 *     i = σ(x·W_i + h·U_i + b_i),  f = σ(x·W_f + h·U_f + b_f),  o = σ(x·W_o + h·U_o + b_o)
 *     c' = f ⊙ c + i ⊙ tanh(x·W_c + h·U_c + b_c)
 *     h' = o ⊙ tanh(c')
 *
 * States `[h, c]`. Weights: `kernel [inputDim, 4·units]`, `recurrent_kernel [units, 4·units]`,
 * `bias [4·units]`. Defaults: kernel Glorot-uniform, recurrent kernel orthogonal per gate block,
 * bias 0, sigmoid gates. With equal weights and options it computes exactly what
 * `tf.layers.lstmCell` computes.
 */
export class LSTMCell extends FusedRNNCell {
  /** @nocollapse */
  static className = 'WarmupRnnLSTMCell';
  readonly activation: RecurrentActivation;
  readonly recurrentActivation: RecurrentActivation;
  readonly unitForgetBias: boolean;
  readonly chrono: ChronoArgs | null;
  /** @internal */
  readonly recurrence: StepEquations<unknown>;

  constructor(args: LSTMCellArgs) {
    rejectUnknownOptions(args, ['activation', 'recurrentActivation', 'unitForgetBias', 'chrono'], 'LSTMCell');
    super(args, { recurrentInitializer: (units) => new BlockOrthogonal({ blockSize: units }), stateCount: 2 });
    this.activation = getRecurrentActivation(args.activation ?? 'tanh', 'LSTMCell: activation');
    this.recurrentActivation = getRecurrentActivation(
      args.recurrentActivation ?? 'sigmoid',
      'LSTMCell: recurrentActivation',
    );
    this.unitForgetBias = args.unitForgetBias ?? false;
    if (args.chrono != null) {
      if (typeof args.chrono !== 'object') {
        throw new InvalidArgumentError(`LSTMCell: chrono must be { tMax, seed? }, got ${String(args.chrono)}.`);
      }
      validateChrono(args.chrono.tMax, 'LSTMCell: chrono.tMax');
      if (!this.useBias) throw new InvalidArgumentError('LSTMCell: chrono initialization needs useBias: true.');
    }
    this.chrono = args.chrono == null ? null : { ...args.chrono };
    this.recurrence = lstmKernel(this.units, this.activation, this.recurrentActivation) as StepEquations<unknown>;
  }

  protected get gateCount(): number {
    return 4;
  }
  protected recurrentKernelShape(): number[] {
    return [this.units, 4 * this.units];
  }

  protected override effectiveBiasInitializer(): Initializer {
    if (this.chrono != null) {
      return new ChronoBias({ units: this.units, tMax: this.chrono.tMax, seed: this.chrono.seed });
    }
    if (this.unitForgetBias) return new UnitForgetBias(this.units, this.biasInitializer);
    return this.biasInitializer;
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      activation: this.activation.name,
      recurrentActivation: this.recurrentActivation.name,
      unitForgetBias: this.unitForgetBias,
      chrono: this.chrono == null ? null : { ...this.chrono },
    };
  }
}

/** The user's bias initializer with 1 added to the forget-gate block (build-time only). */
class UnitForgetBias extends SerializableInitializer {
  static className = 'WarmupRnnUnitForgetBias';
  constructor(
    private readonly units: number,
    private readonly base: Initializer,
  ) {
    super();
  }
  apply(shape: number[]): tf.Tensor {
    return tf.tidy(() => {
      const base = this.base.apply(shape);
      const offset = tf.concat([tf.zeros([this.units]), tf.ones([this.units]), tf.zeros([2 * this.units])]);
      return tf.add(base, offset);
    });
  }
  override getConfig(): serialization.ConfigDict {
    return { units: this.units };
  }
}
