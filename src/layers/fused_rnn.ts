import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers, type LayerVariable, type Shape, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { FusedRNNCell, Kwargs, LayerArgs } from '../cells/fused_cell';
import { layerArgsFromConfig, validateWeights } from '../utils/validate_layer_args';
import { ShapeError } from '../errors';
import { checkEngineMode, type EngineMode } from '../engine/engine_loader';
import { RecurrentRunner } from './recurrent_runner';
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
  /**
   * Which path runs this layer's recurrence: `'auto'` (default) runs it on the library's
   * WebAssembly engine on the `cpu` and `wasm` backends once the engine is loaded (see
   * `ready()`) and on tfjs ops elsewhere; `'ops'` always uses tfjs ops (same results to
   * float32 rounding). The global `setEngineMode('ops')` forces the op path for every layer.
   * Serialized in `getConfig()`.
   */
  engine?: EngineMode;
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
  /** Sequence runs and shape checks, shared with the adapter of tfjs's built-in layers. */
  private readonly runner: RecurrentRunner;
  /** Which path runs this layer's recurrence (see {@link RecurrentLayerArgs.engine}). */
  readonly engine: EngineMode;

  protected constructor(args: RecurrentLayerArgs, cell: FusedRNNCell) {
    super({ ...args, cell });
    this.engine = checkEngineMode(args.engine ?? 'auto', `${this.name}: engine`);
    const layer = this;
    this.runner = new RecurrentRunner({
      get name() {
        return layer.name;
      },
      recurrence: cell.recurrence,
      stateSizes: Array.from({ length: Array.isArray(cell.stateSize) ? cell.stateSize.length : 1 }, () => cell.units),
      goBackwards: this.goBackwards,
      engine: this.engine,
      inputSize: () => (cell.kernel == null ? null : cell.inputSize),
      projectionWeights: () => {
        const values = cell.readWeights();
        return { kernel: values.kernel, bias: cell.projectionBias(values.bias) };
      },
      recurrenceParameters: () => cell.recurrenceParameters(cell.readWeights()),
    });
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

  /** See {@link WarmupCapable.warmupCollapseEscape}: each cell's layer says, from measurement. */
  abstract readonly warmupCollapseEscape: boolean;

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
    this.runner.checkSequenceShape(x.shape);
    const states =
      (kwargs?.initialState as AnyTensor | AnyTensor[] | undefined) ?? (list.length > 1 ? list.slice(1) : null);
    if (states != null) this.runner.checkInitialStates(Array.isArray(states) ? states : [states], x.shape[0]);
    return super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      let x = list[0] as tf.Tensor3D;
      this.runner.checkSequenceShape(x.shape);
      const training = kwargs?.training === true;
      let initialStates = (kwargs?.initialState as tf.Tensor2D[] | undefined) ?? null;
      if (initialStates == null && list.length > 1) initialStates = list.slice(1) as tf.Tensor2D[];
      if (initialStates == null) {
        initialStates = this.stateful ? (this.states_ as tf.Tensor2D[]) : this.runner.zeroStates(x.shape[0]);
      }
      this.runner.checkInitialStates(initialStates, x.shape[0]);
      if (training && this.cell.dropout > 0) {
        // One mask per sequence, shared by every step (tfjs-layers' implementation 2).
        const [batch, , features] = x.shape;
        x = tf.mul(x, tf.dropout(tf.ones([batch, 1, features]), this.cell.dropout));
      }
      const mask = (kwargs?.mask as tf.Tensor | undefined) ?? null;
      // Without returnSequences only the last step is read: the run returns nothing else.
      const values = this.runner.run(x, initialStates, mask, !this.returnSequences);
      const finalStates = this.runner.finalStates(values);
      if (this.stateful) this.resetStates(finalStates, training);
      const output = this.returnSequences ? this.runner.outputSequenceOf(values) : finalStates[0];
      return this.returnState ? [output, ...finalStates] : output;
    });
  }

  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[], mask?: tf.Tensor2D): tf.Tensor3D[] {
    return this.runner.runSequence(inputs, initialStates, mask);
  }

  outputSequence(states: tf.Tensor3D[]): tf.Tensor3D {
    return this.runner.outputSequence(states);
  }

  runConstantInput(
    input: tf.Tensor2D,
    initialStates: tf.Tensor2D[],
    steps: number,
    options: ConstantInputOptions = {},
  ): tf.Tensor2D[] {
    return this.runner.runConstantInput(input, initialStates, steps, options);
  }

  /** Like `Layer.setWeights`, but rejects NaN/Infinity and wrong shapes with a clear error first. */
  override setWeights(weights: tf.Tensor[]): void {
    validateWeights(this.name, this.weights, weights);
    super.setWeights(weights);
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), engine: this.engine };
  }

  /** @nocollapse */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls(layerArgsFromConfig(config));
  }
}
