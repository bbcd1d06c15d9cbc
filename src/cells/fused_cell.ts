import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, ShapeError } from '../errors';
import { denseProjection } from '../recurrence/projection';
import { TAPED, type StepEquations } from '../recurrence/step_equations';
import {
  resolveConstraint,
  resolveInitializer,
  resolveRegularizer,
  serializeKerasObject,
  type Constraint,
  type ConstraintIdentifier,
  type Initializer,
  type InitializerIdentifier,
  type Regularizer,
  type RegularizerIdentifier,
} from './keras_objects';
import { validateRate, validateUnits, validateWeights } from '../utils/validate_layer_args';

/** The base options every tfjs layer accepts (name, trainable, inputShape, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
/** Keyword arguments of `Layer.call`. */
export type Kwargs = Parameters<InstanceType<typeof layers.Layer>['call']>[1];

/** Options shared by every cell of this library. */
export interface FusedCellArgs extends LayerArgs {
  /** Number of units (size of the state h). A positive integer. */
  units: number;
  /** Whether the cell has biases. Default `true`. */
  useBias?: boolean;
  /** Initializer of the input kernel `[inputDim, G·units]`. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the recurrent weights. The default depends on the cell. */
  recurrentInitializer?: InitializerIdentifier;
  /** Initializer of the bias. Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  /** Regularizer of the input kernel. Default none. */
  kernelRegularizer?: RegularizerIdentifier;
  /** Regularizer of the recurrent weights. Default none. */
  recurrentRegularizer?: RegularizerIdentifier;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: RegularizerIdentifier;
  /** Constraint on the input kernel. Default none. */
  kernelConstraint?: ConstraintIdentifier;
  /** Constraint on the recurrent weights. Default none. */
  recurrentConstraint?: ConstraintIdentifier;
  /** Constraint on the bias. Default none. */
  biasConstraint?: ConstraintIdentifier;
  /**
   * Fraction of the input features dropped during training, one mask per sequence shared by
   * all steps and gates (as tfjs-layers' implementation 2). In `[0, 1)`. Default 0.
   */
  dropout?: number;
  /**
   * Accepted for compatibility with tfjs-layers configs; must be 0: the fused recurrence does
   * not implement recurrent dropout.
   */
  recurrentDropout?: number;
  /** Accepted and ignored, for configs written by tfjs-layers. */
  implementation?: number;
}

/** The current values of a cell's weights, as read for one call. */
export interface CellWeightValues {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor;
  bias: tf.Tensor | null;
}

/**
 * Base of our cells: a `tf.layers.RNNCell` whose step is a {@link StepEquations}, with the
 * Keras weight layout (fused `kernel`, `recurrent_kernel`, `bias`). Subclasses give the
 * shapes, default initializers and the kernel; the layer classes in `src/layers` run whole
 * sequences through the fast recurrence, while `call` here computes one step so the cell also
 * works inside `tf.layers.rnn({ cell })` and `tf.layers.stackedRNNCells`.
 */
export abstract class FusedRNNCell extends layers.RNNCell {
  readonly units: number;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  stateSize: number | number[];
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  /** The step mathematics; fixed at construction. @internal */
  abstract readonly recurrence: StepEquations<unknown>;

  protected constructor(
    args: FusedCellArgs,
    defaults: { recurrentInitializer: (units: number) => InitializerIdentifier; stateCount: number },
  ) {
    super(pickLayerArgs(args));
    const owner = (new.target as unknown as { className: string }).className;
    this.units = validateUnits(args.units, owner);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = orDefault(
      resolveInitializer(args.kernelInitializer, 'kernelInitializer'),
      'glorotUniform',
    );
    this.recurrentInitializer = orDefault(
      resolveInitializer(args.recurrentInitializer, 'recurrentInitializer'),
      defaults.recurrentInitializer(this.units),
    );
    this.biasInitializer = orDefault(resolveInitializer(args.biasInitializer, 'biasInitializer'), 'zeros');
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer, 'kernelRegularizer');
    this.recurrentRegularizer = resolveRegularizer(args.recurrentRegularizer, 'recurrentRegularizer');
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer, 'biasRegularizer');
    this.kernelConstraint = resolveConstraint(args.kernelConstraint, 'kernelConstraint');
    this.recurrentConstraint = resolveConstraint(args.recurrentConstraint, 'recurrentConstraint');
    this.biasConstraint = resolveConstraint(args.biasConstraint, 'biasConstraint');
    this.dropout = validateRate(args.dropout, 'dropout', owner);
    this.recurrentDropout = validateRate(args.recurrentDropout, 'recurrentDropout', owner);
    if (this.recurrentDropout !== 0) {
      throw new InvalidArgumentError(
        `${owner}: recurrentDropout is not supported by the fused recurrence (got ${this.recurrentDropout}); use dropout.`,
      );
    }
    this.stateSize =
      defaults.stateCount === 1 ? this.units : Array.from({ length: defaults.stateCount }, () => this.units);
  }

  /** Number of gate blocks G in the fused input kernel `[inputDim, G·units]`. */
  protected abstract get gateCount(): number;
  /** Shape of `recurrent_kernel`. */
  protected abstract recurrentKernelShape(): number[];
  /** Shape of `bias` (when `useBias`). Default `[G·units]`. */
  protected biasShape(): number[] {
    return [this.gateCount * this.units];
  }
  /** The bias initializer actually used (LSTM substitutes chrono or unit-forget variants). */
  protected effectiveBiasInitializer(): Initializer {
    return this.biasInitializer;
  }

  /** Number of input features, known once built. */
  get inputSize(): number {
    if (this.kernel == null)
      throw new InvalidArgumentError(`${this.name} is not built yet: call it on an input first.`);
    return this.kernel.shape[0] as number;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim == null) throw new ShapeError(`${this.name}: the last axis of the input (features) must be known.`);
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, this.gateCount * this.units],
      'float32',
      this.kernelInitializer,
      this.kernelRegularizer ?? undefined,
      true,
      this.kernelConstraint ?? undefined,
    );
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      this.recurrentKernelShape(),
      'float32',
      this.recurrentInitializer,
      this.recurrentRegularizer ?? undefined,
      true,
      this.recurrentConstraint ?? undefined,
    );
    this.bias = this.useBias
      ? this.addWeight(
          'bias',
          this.biasShape(),
          'float32',
          this.effectiveBiasInitializer(),
          this.biasRegularizer ?? undefined,
          true,
          this.biasConstraint ?? undefined,
        )
      : null;
    this.built = true;
  }

  /** Reads the current weight values (inside the caller's tidy). @internal */
  readWeights(): CellWeightValues {
    if (this.kernel == null || this.recurrentKernel == null) {
      throw new InvalidArgumentError(`${this.name} is not built yet: call it on an input first.`);
    }
    return {
      kernel: this.kernel.read() as tf.Tensor2D,
      recurrentKernel: this.recurrentKernel.read(),
      bias: this.bias == null ? null : this.bias.read(),
    };
  }

  /** The part of the bias added to the input projection `x·kernel` (all of it by default). @internal */
  projectionBias(bias: tf.Tensor | null): tf.Tensor1D | null {
    return bias as tf.Tensor1D | null;
  }

  /** The recurrent parameters the kernel consumes (just the recurrent kernel by default). @internal */
  recurrenceParameters(values: CellWeightValues): tf.Tensor[] {
    return [values.recurrentKernel];
  }

  /** `x·kernel + bias` for a `[rows, inputDim]` input. @internal */
  project(x: tf.Tensor2D, values: CellWeightValues): tf.Tensor2D {
    return denseProjection(x, values.kernel, this.projectionBias(values.bias));
  }

  /** One step: `inputs = [x, ...states]`; returns `[output, ...newStates]` (output = h). */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const stateCount = Array.isArray(this.stateSize) ? this.stateSize.length : 1;
      if (list.length !== 1 + stateCount) {
        throw new ShapeError(
          `${this.name} expects ${1 + stateCount} tensors (input and ${stateCount} state(s)), got ${list.length}.`,
        );
      }
      const values = this.readWeights();
      const x = list[0] as tf.Tensor2D;
      const states = list.slice(1) as tf.Tensor2D[];
      const out = this.recurrence.step(
        this.project(x, values),
        states,
        this.recurrence.prepare(this.recurrenceParameters(values), TAPED),
        TAPED,
      );
      return [out.states[0], ...out.states];
    });
  }

  /** Like `Layer.setWeights`, but rejects NaN/Infinity and wrong shapes with a clear error first. */
  override setWeights(weights: tf.Tensor[]): void {
    validateWeights(this.name, this.weights, weights);
    super.setWeights(weights);
  }

  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      useBias: this.useBias,
      kernelInitializer: serializeKerasObject(this.kernelInitializer),
      recurrentInitializer: serializeKerasObject(this.recurrentInitializer),
      biasInitializer: serializeKerasObject(this.biasInitializer),
      kernelRegularizer: serializeKerasObject(this.kernelRegularizer),
      recurrentRegularizer: serializeKerasObject(this.recurrentRegularizer),
      biasRegularizer: serializeKerasObject(this.biasRegularizer),
      kernelConstraint: serializeKerasObject(this.kernelConstraint),
      recurrentConstraint: serializeKerasObject(this.recurrentConstraint),
      biasConstraint: serializeKerasObject(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
    };
  }
}

function orDefault(resolved: Initializer | null, fallback: InitializerIdentifier): Initializer {
  if (resolved != null) return resolved;
  const initializer = resolveInitializer(fallback, 'default initializer');
  if (initializer == null) throw new Error('unreachable: default initializer did not resolve');
  return initializer;
}

function pickLayerArgs(args: LayerArgs): LayerArgs {
  // The cell is an internal layer: it takes the user's name and dtype, not the input shape.
  const picked: LayerArgs = {};
  if (args.name !== undefined) picked.name = args.name;
  if (args.dtype !== undefined) picked.dtype = args.dtype;
  if (args.trainable !== undefined) picked.trainable = args.trainable;
  return picked;
}
