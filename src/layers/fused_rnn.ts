import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers, type LayerVariable, type Shape, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { FusedRNNCell, Kwargs, LayerArgs } from '../cells/fused_cell';
import { validateWeights } from '../cells/fused_cell';
import { InvalidArgumentError, ShapeError } from '../errors';
import { iterateRecurrence, runRecurrence } from '../recurrence/run_recurrence';
import type { ConstantInputOptions, WarmupCapable } from './warmup_capable';

/** Options every recurrent layer of this library accepts, with tfjs-layers' meanings. */
export interface RecurrentLayerArgs extends LayerArgs {
  /** Return the whole output sequence `[batch, time, units]` instead of the last output. Default `false`. */
  returnSequences?: boolean;
  /** Also return the final states (h, and c for LSTM) after the output. Default `false`. */
  returnState?: boolean;
  /** Process the sequence backwards; outputs come in processing order. Default `false`. */
  goBackwards?: boolean;
  /**
   * Keep the final states of each batch as the initial states of the next (needs a fixed batch
   * size: `batchInputShape` or `batchSize`). Reset with `resetStates()`. Default `false`.
   */
  stateful?: boolean;
  /** Accepted for compatibility; ignored (the fused loop is always used). */
  unroll?: boolean;
}

type AnyTensor = tf.Tensor | SymbolicTensor;
/** What `Layer.apply` takes and returns: concrete or symbolic tensors. */
export type ApplyInputs = tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[];

/**
 * Base of our recurrent layers: a `tf.layers.RNN` (so `returnSequences`, `returnState`,
 * `goBackwards`, `stateful`, initial states, masking and serialization behave as tfjs users
 * know them) whose sequence loop is the fused recurrence of `src/recurrence`: one input
 * projection for all steps, one recurrent product per step, and a hand-written backward pass
 * through time recorded as a single node on the gradient tape.
 */
export abstract class FusedRNN extends layers.RNN implements WarmupCapable {
  declare readonly cell: FusedRNNCell;
  readonly warmupCapable = true as const;

  protected constructor(args: RecurrentLayerArgs, cell: FusedRNNCell) {
    super({ ...args, cell });
  }

  /** Number of state tensors (1, or 2 for LSTM). */
  get stateCount(): number {
    return Array.isArray(this.cell.stateSize) ? this.cell.stateSize.length : 1;
  }

  get stateSizes(): number[] {
    return Array.from({ length: this.stateCount }, () => this.cell.units);
  }

  get warmupStateIndices(): number[] {
    return Array.from({ length: this.stateCount }, (_, i) => i);
  }

  get warmupInputSize(): number {
    return this.cell.inputSize;
  }

  get warmupWeights(): LayerVariable[] {
    return this.trainableWeights;
  }

  /**
   * Builds the cell's weights. Unlike tfjs-layers' `RNN.build`, marks the layer built, so a
   * later `apply` does not try to create the weights a second time.
   */
  override build(inputShape: Shape | Shape[]): void {
    super.build(inputShape);
    this.built = true;
  }

  /** Validates shapes with our typed errors before tfjs-layers' own checks run. */
  override apply(inputs: ApplyInputs, kwargs?: Kwargs): ApplyInputs {
    const list: AnyTensor[] = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    if (x == null) throw new ShapeError(`${this.name}: no input given.`);
    this.checkSequenceShape(x.shape);
    const states = (kwargs?.initialState as AnyTensor | AnyTensor[] | undefined) ?? (list.length > 1 ? list.slice(1) : null);
    if (states != null) this.checkInitialStates(Array.isArray(states) ? states : [states], x.shape[0]);
    return super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0] as tf.Tensor3D;
      this.checkSequenceShape(x.shape);
      const training = kwargs?.training === true;
      let initialStates = (kwargs?.initialState as tf.Tensor2D[] | undefined) ?? null;
      if (initialStates == null && list.length > 1) initialStates = list.slice(1) as tf.Tensor2D[];
      if (initialStates == null) {
        initialStates = this.stateful ? (this.states_ as tf.Tensor2D[]) : this.zeroStates(x.shape[0]);
      }
      this.checkInitialStates(initialStates, x.shape[0]);
      const mask = (kwargs?.mask as tf.Tensor | undefined) ?? null;
      const values = this.runFused(x, initialStates, mask, training);
      const time = x.shape[1];
      const finalStates = this.finalStates(values, time);
      if (this.stateful) this.resetStates(finalStates, training);
      const output = this.returnSequences ? this.outputSequenceOf(values) : finalStates[0];
      return this.returnState ? [output, ...finalStates] : output;
    });
  }

  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[]): tf.Tensor3D[] {
    this.checkSequenceShape(inputs.shape);
    if (initialStates != null) this.checkInitialStates(initialStates, inputs.shape[0]);
    return tf.tidy(() => {
      const states = initialStates ?? this.zeroStates(inputs.shape[0]);
      const values = this.runFused(inputs, states, null, false);
      // Slices, not tf.unstack: differentiating through tfjs 4.22's unstack throws
      // ("Argument tensors passed to stack must be a `Tensor[]`") for single-state cells.
      const [stateCount, time, batch, units] = values.shape;
      return Array.from({ length: stateCount }, (_, s) => {
        const sequence = tf.reshape(tf.slice(values, [s, 0, 0, 0], [1, time, batch, units]), [time, batch, units]);
        return tf.transpose(sequence, [1, 0, 2]) as tf.Tensor3D;
      });
    });
  }

  outputSequence(states: tf.Tensor3D[]): tf.Tensor3D {
    if (states.length !== this.stateCount) {
      throw new ShapeError(`${this.name}.outputSequence: expects ${this.stateCount} state sequence(s), got ${states.length}.`);
    }
    return states[0];
  }

  runConstantInput(
    input: tf.Tensor2D,
    initialStates: tf.Tensor2D[],
    steps: number,
    options: ConstantInputOptions = {},
  ): tf.Tensor2D[] {
    if (input.rank !== 2) {
      throw new ShapeError(`${this.name}.runConstantInput: input must be [batch, features] (rank 2), got rank ${input.rank}.`);
    }
    if (input.shape[1] !== this.cell.inputSize) {
      throw new ShapeError(`${this.name}.runConstantInput: input has ${input.shape[1]} features, the layer expects ${this.cell.inputSize}.`);
    }
    if (!Number.isInteger(steps) || steps < 1) {
      throw new InvalidArgumentError(`${this.name}.runConstantInput: steps must be a positive integer, got ${steps}.`);
    }
    const batch = initialStates[0]?.shape[0];
    if (batch == null) throw new ShapeError(`${this.name}.runConstantInput: initialStates must not be empty.`);
    this.checkInitialStates(initialStates, batch);
    if (input.shape[0] !== 1 && input.shape[0] !== batch) {
      throw new ShapeError(`${this.name}.runConstantInput: input batch ${input.shape[0]} must be 1 or ${batch} (the states' batch).`);
    }
    return tf.tidy(() => {
      const weights = this.cell.readWeights();
      let projection = this.cell.project(input, weights);
      if (projection.shape[0] !== batch) projection = tf.tile(projection, [batch, 1]);
      const parameters = this.cell.recurrenceParameters(weights);
      if (options.differentiable === false) {
        return iterateRecurrence(this.cell.recurrence, projection, initialStates, parameters, steps);
      }
      const values = runRecurrence(this.cell.recurrence, { projection, steps, initialStates, parameters });
      return this.finalStates(values, steps);
    });
  }

  /** Like `Layer.setWeights`, but rejects NaN/Infinity and wrong shapes with a clear error first. */
  override setWeights(weights: tf.Tensor[]): void {
    validateWeights(this.name, this.weights, weights);
    super.setWeights(weights);
  }

  /** @nocollapse */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    // tfjs-layers' deserializer adds `customObjects` to the config; it is not a layer option.
    const { customObjects: _customObjects, ...args } = config;
    return new cls(args);
  }

  /** All states over time, `[stateCount, time, batch, units]`. */
  private runFused(
    x: tf.Tensor3D,
    initialStates: tf.Tensor2D[],
    mask: tf.Tensor | null,
    training: boolean,
  ): tf.Tensor4D {
    const [batch, time, features] = x.shape;
    const weights = this.cell.readWeights();
    let inputs: tf.Tensor3D = x;
    if (training && this.cell.dropout > 0) {
      // One mask per sequence, shared by every step (tfjs-layers' implementation 2).
      inputs = tf.mul(inputs, tf.dropout(tf.ones([batch, 1, features]), this.cell.dropout));
    }
    let timeMajor = tf.transpose(inputs, [1, 0, 2]);
    if (this.goBackwards) timeMajor = tf.reverse(timeMajor, 0);
    const projection = tf.reshape(
      this.cell.project(tf.reshape(timeMajor, [time * batch, features]) as tf.Tensor2D, weights),
      [time, batch, this.cell.recurrence.projectionWidth],
    );
    let stepMask: tf.Tensor3D | null = null;
    if (mask != null) {
      stepMask = tf.expandDims(tf.transpose(tf.cast(tf.cast(mask, 'bool'), 'float32'), [1, 0]), 2) as tf.Tensor3D;
      if (this.goBackwards) stepMask = tf.reverse(stepMask, 0);
    }
    return runRecurrence(this.cell.recurrence, {
      projection,
      initialStates,
      parameters: this.cell.recurrenceParameters(weights),
      mask: stepMask,
    });
  }

  private finalStates(values: tf.Tensor4D, time: number): tf.Tensor2D[] {
    const [stateCount, , batch, units] = values.shape;
    return Array.from(
      { length: stateCount },
      (_, s) => tf.reshape(tf.slice(values, [s, time - 1, 0, 0], [1, 1, batch, units]), [batch, units]) as tf.Tensor2D,
    );
  }

  private outputSequenceOf(values: tf.Tensor4D): tf.Tensor3D {
    const [, time, batch, units] = values.shape;
    const h = tf.reshape(tf.slice(values, [0, 0, 0, 0], [1, time, batch, units]), [time, batch, units]);
    return tf.transpose(h, [1, 0, 2]) as tf.Tensor3D;
  }

  private zeroStates(batch: number): tf.Tensor2D[] {
    return this.stateSizes.map((size) => tf.zeros([batch, size]) as tf.Tensor2D);
  }

  private checkSequenceShape(shape: readonly (number | null)[]): void {
    if (shape.length !== 3) {
      throw new ShapeError(
        `${this.name}: input must be a sequence [batch, time, features] (rank 3), got rank ${shape.length} (shape [${shape}]).`,
      );
    }
    if (shape[1] === 0) throw new ShapeError(`${this.name}: input has 0 time steps.`);
    const built = this.cell.kernel != null;
    if (built && shape[2] != null && shape[2] !== this.cell.inputSize) {
      throw new ShapeError(
        `${this.name}: input has ${shape[2]} features per step, but the layer was built for ${this.cell.inputSize}.`,
      );
    }
  }

  private checkInitialStates(states: readonly { shape: readonly (number | null)[] }[], batch: number | null): void {
    if (states.length !== this.stateCount) {
      throw new ShapeError(`${this.name}: expects ${this.stateCount} initial state(s), got ${states.length}.`);
    }
    states.forEach((s, i) => {
      const ok =
        s.shape.length === 2 &&
        (s.shape[1] == null || s.shape[1] === this.cell.units) &&
        (batch == null || s.shape[0] == null || s.shape[0] === batch);
      if (!ok) {
        throw new ShapeError(
          `${this.name}: initial state ${i} must have shape [${batch ?? 'batch'}, ${this.cell.units}], got [${s.shape}].`,
        );
      }
    });
  }
}
