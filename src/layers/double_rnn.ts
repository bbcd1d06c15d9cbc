import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { InputSpec, SymbolicTensor, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '../cells/fused_cell';
import {
  layerArgsFromConfig,
  rejectUnknownOptions,
  validateUnits,
  validateWeights,
} from '../utils/validate_layer_args';
import { InvalidArgumentError, ShapeError } from '../errors';
import { BRC, type BRCLayerArgs } from './brc';
import type { ApplyInputs } from './fused_rnn';
import { GRU, type GRULayerArgs } from './gru';
import { LSTM, type LSTMLayerArgs } from './lstm';
import { NBRC, type NBRCLayerArgs } from './nbrc';
import { checkInitialStates, checkSequenceShape } from './recurrent_runner';
import type { ConstantInputOptions, WarmupCapable } from './warmup_capable';

/** The cell types a {@link DoubleRNN} can hold. */
export type DoubleRNNCellKind = 'brc' | 'nbrc' | 'gru' | 'lstm';

/**
 * Options of {@link DoubleRNN}: `cell` names the cell type, `units` is the total size (even;
 * each half gets `units / 2`), and every other option is the chosen layer's own (see
 * {@link BRCLayerArgs}, {@link NBRCLayerArgs}, {@link GRULayerArgs}, {@link LSTMLayerArgs}):
 * cell options (initializers, activations, `resetAfter`, `chrono`, `dropout`, …) are given to
 * both halves alike; `returnSequences` (default `false`), `returnState` (default `false`),
 * `goBackwards` (default `false`) and `stateful` (default `false`) apply to the whole layer;
 * `name`, `inputShape`, `batchInputShape`, `batchSize`, `dtype`, `trainable` and `weights`
 * are the usual tfjs layer options.
 *
 * Seeded initializers (e.g. `kernelInitializer: tf.initializers.glorotUniform({ seed: 1 })`,
 * `chrono: { tMax, seed }`) give **both halves the same initial weights**, and two identical
 * halves fed the same input stay identical under ordinary training. The defaults are unseeded,
 * so the halves start independent; with seeds, give the second half its own values after
 * building (`layer.second.setWeights(...)`), or warm up the first half (which breaks the tie).
 */
export type DoubleRNNLayerArgs =
  | (BRCLayerArgs & { cell: 'brc' })
  | (NBRCLayerArgs & { cell: 'nbrc' })
  | (GRULayerArgs & { cell: 'gru' })
  | (LSTMLayerArgs & { cell: 'lstm' });

type AnyTensor = tf.Tensor | SymbolicTensor;

const HALF_FACTORIES: Record<DoubleRNNCellKind, (args: Record<string, unknown>) => BRC | NBRC | GRU | LSTM> = {
  brc: (args) => new BRC(args as unknown as BRCLayerArgs),
  nbrc: (args) => new NBRC(args as unknown as NBRCLayerArgs),
  gru: (args) => new GRU(args as unknown as GRULayerArgs),
  lstm: (args) => new LSTM(args as unknown as LSTMLayerArgs),
};
/** Options of any cell kind; the chosen cell rejects those that are not its own. */
const CELL_OPTION_NAMES = ['activation', 'recurrentActivation', 'resetAfter', 'unitForgetBias', 'chrono'];
/** Options that belong to the double layer itself and are not given to the halves. */
const OWN_OPTION_NAMES = [
  'cell',
  'units',
  'name',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'inputDType',
  'weights',
  'customObjects',
];

/**
 * A double recurrent layer
 * ([method guide](../../docs/method.md#double-layer-and-partial-warmup); Lambrechts et al.
 * 2023, arXiv 2106.01001): two independent recurrent layers of `units / 2` each, of the same
 * cell type and options, both fed the same input, whose outputs and states are concatenated,
 * first half then second:
 *
 *     y = [y_A ; y_B],   h = [h_A ; h_B]   (and c = [c_A ; c_B] for LSTM)
 *
 * It is a drop-in replacement for a single layer of `units`: the output is `[batch, units]` (or
 * `[batch, time, units]` with `returnSequences`), `returnState` returns `[h]` (`[h, c]` for
 * LSTM), each `[batch, units]`, and initial states take that same layout (they are split into
 * halves internally). Masks, `goBackwards` and `stateful` apply to both halves.
 *
 * **Partial warmup.** As a {@link WarmupCapable} layer its full states are the first half's
 * then the second half's (`stateSizes` = `[u/2]·2` or, for LSTM, `[u/2]·4` for h_A, c_A, h_B,
 * c_B), but warmup only sees and trains the first half (`warmupStateIndices`, `warmupWeights`,
 * `runConstantInput`), so the second keeps its ordinary initialization and with it precision.
 *
 * Weights are the first half's (kernel, recurrent_kernel, bias) then the second half's; the
 * halves are the public {@link DoubleRNN.first} and {@link DoubleRNN.second}. Each half draws
 * its own input-dropout mask. Serialized under the class name `WarmupRnnDoubleRNN` with
 * `cell` as its kind string; import this package before `tf.loadLayersModel`.
 */
export class DoubleRNN extends layers.Layer implements WarmupCapable {
  /** @nocollapse */
  static className = 'WarmupRnnDoubleRNN';
  readonly warmupCapable = true as const;
  /** The cell type of both halves. */
  readonly cellKind: DoubleRNNCellKind;
  /** Total number of units (both halves). */
  readonly units: number;
  /** Whether the output is the whole sequence `[batch, time, units]`. Default `false`. */
  readonly returnSequences: boolean;
  /** Whether the final states follow the output (`[h]`, or `[h, c]` for LSTM). Default `false`. */
  readonly returnState: boolean;
  /** Whether both halves process the sequence backwards. Default `false`. */
  readonly goBackwards: boolean;
  /** Accepted for compatibility; ignored. Default `false`. */
  readonly unroll: boolean;
  /** The first half (`units / 2`): the one warmup trains. */
  readonly first: BRC | NBRC | GRU | LSTM;
  /** The second half (`units / 2`): left alone by warmup. */
  readonly second: BRC | NBRC | GRU | LSTM;

  constructor(args: DoubleRNNLayerArgs) {
    if (args == null || typeof args !== 'object') {
      throw new InvalidArgumentError(
        `DoubleRNN: expected an options object { cell, units, ... }, got ${String(args)}.`,
      );
    }
    const cell: unknown = args.cell;
    if (typeof cell !== 'string' || !Object.prototype.hasOwnProperty.call(HALF_FACTORIES, cell)) {
      throw new InvalidArgumentError(
        `DoubleRNN: cell must be one of ${Object.keys(HALF_FACTORIES)
          .map((k) => `'${k}'`)
          .join(', ')}, got ${JSON.stringify(cell)}.`,
      );
    }
    const units = validateUnits(args.units, 'DoubleRNN');
    if (units % 2 !== 0) {
      throw new InvalidArgumentError(`DoubleRNN: units must be even (two halves of units / 2), got ${units}.`);
    }
    rejectUnknownOptions(args, [...CELL_OPTION_NAMES, ...OWN_OPTION_NAMES], 'DoubleRNN');
    super(args);
    this.cellKind = cell as DoubleRNNCellKind;
    this.units = units;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.unroll = args.unroll ?? false;
    this._stateful = args.stateful ?? false;
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ ndim: 3 })];
    const halfArgs: Record<string, unknown> = { ...args, units: units / 2, trainable: this.trainable };
    for (const key of OWN_OPTION_NAMES) if (key !== 'units') delete halfArgs[key];
    this.first = HALF_FACTORIES[this.cellKind]({ ...halfArgs, name: `${this.name}_first` });
    this.second = HALF_FACTORIES[this.cellKind]({ ...halfArgs, name: `${this.name}_second` });
  }

  /** Number of states of one half (1, or 2 for LSTM). */
  private get stateCount(): number {
    return this.first.stateCount;
  }

  override get trainable(): boolean {
    return this.trainable_;
  }
  override set trainable(value: boolean) {
    this.trainable_ = value;
    // Undefined while tfjs-layers' constructor runs.
    if (this.first != null) this.first.trainable = value;
    if (this.second != null) this.second.trainable = value;
  }
  override get trainableWeights(): LayerVariable[] {
    return [...this.first.trainableWeights, ...this.second.trainableWeights];
  }
  override get nonTrainableWeights(): LayerVariable[] {
    return [...this.first.nonTrainableWeights, ...this.second.nonTrainableWeights];
  }
  /** The first half's weights, then the second half's (a stable order, whatever is frozen). */
  override get weights(): LayerVariable[] {
    return [...this.first.weights, ...this.second.weights];
  }

  // WarmupCapable ---------------------------------------------------------------------------
  /** `units / 2` per state of the first half, then of the second half. */
  get stateSizes(): number[] {
    return [...this.first.stateSizes, ...this.second.stateSizes];
  }
  /** The first half's states (the first one or two of {@link DoubleRNN.stateSizes}). */
  get warmupStateIndices(): number[] {
    return this.first.warmupStateIndices;
  }
  /** The first half's cell decides (see {@link WarmupCapable.warmupCollapseEscape}). */
  get warmupCollapseEscape(): boolean {
    return this.first.warmupCollapseEscape;
  }
  /** Input features per step (the layer must be built). */
  get warmupInputSize(): number {
    return this.first.warmupInputSize;
  }
  /** The first half's trainable weights only: warmup leaves the second half alone. */
  get warmupWeights(): LayerVariable[] {
    return this.first.warmupWeights;
  }

  /** Both halves' state sequences (first half's, then second's) from full `initialStates`. */
  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[], mask?: tf.Tensor2D): tf.Tensor3D[] {
    this.checkSequenceShape(inputs.shape);
    const n = this.stateCount;
    if (initialStates != null && initialStates.length !== 2 * n) {
      throw new ShapeError(
        `${this.name}.runSequence: expects ${2 * n} initial state(s) (both halves), got ${initialStates.length}.`,
      );
    }
    return tf.tidy(() => [
      ...this.first.runSequence(inputs, initialStates?.slice(0, n), mask),
      ...this.second.runSequence(inputs, initialStates?.slice(n), mask),
    ]);
  }

  /** `[y_A ; y_B]` along the last axis, `[batch, time, units]`, from the full state sequences. */
  outputSequence(states: tf.Tensor3D[]): tf.Tensor3D {
    const n = this.stateCount;
    if (states.length !== 2 * n) {
      throw new ShapeError(
        `${this.name}.outputSequence: expects ${2 * n} state sequence(s) (both halves), got ${states.length}.`,
      );
    }
    return tf.tidy(() =>
      tf.concat([this.first.outputSequence(states.slice(0, n)), this.second.outputSequence(states.slice(n))], 2),
    );
  }

  /** Runs the first half only: `initialStates` and the result are the first half's states. */
  runConstantInput(
    input: tf.Tensor2D,
    initialStates: tf.Tensor2D[],
    steps: number,
    options?: ConstantInputOptions,
  ): tf.Tensor2D[] {
    return this.first.runConstantInput(input, initialStates, steps, options);
  }

  // tfjs Layer ------------------------------------------------------------------------------
  /**
   * Like `tf.layers.RNN.apply`: initial states come in `kwargs.initialState` or after the input
   * in a list. Symbolic states become extra inputs of the node (so functional models and
   * `model.save` keep them); concrete ones go to `call` as `initialState`.
   */
  override apply(inputs: ApplyInputs, kwargs?: Kwargs): ApplyInputs {
    const rest: Kwargs = { ...(kwargs ?? {}) };
    delete rest.initialState;
    let list: AnyTensor[] = Array.isArray(inputs) ? inputs : [inputs];
    const given = kwargs?.initialState as AnyTensor | AnyTensor[] | null | undefined;
    if (given != null) {
      if (list.length > 1)
        throw new InvalidArgumentError(
          `${this.name}: pass initial states in kwargs.initialState or in the input list, not both.`,
        );
      list = [list[0], ...(Array.isArray(given) ? given : [given])];
    }
    const x = list[0];
    if (x == null) throw new ShapeError(`${this.name}: no input given.`);
    this.checkSequenceShape(x.shape);
    const states = list.slice(1);
    if (states.length === 0) return super.apply(x as tf.Tensor, rest);
    this.checkStates(states, x.shape[0]);
    const symbolic = x instanceof SymbolicTensor;
    if (states.some((s) => s instanceof SymbolicTensor !== symbolic)) {
      throw new InvalidArgumentError(
        `${this.name}: the input and the initial states must be all SymbolicTensors or all Tensors.`,
      );
    }
    if (!symbolic) return super.apply(x as tf.Tensor, { ...rest, initialState: states });
    const original = this.inputSpec;
    this.inputSpec = [original[0], ...states.map((s) => new InputSpec({ shape: s.shape }))];
    try {
      return super.apply(list as SymbolicTensor[], rest);
    } finally {
      this.inputSpec = original;
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.checkSequenceShape(shape);
    if (shape[2] == null) throw new ShapeError(`${this.name}: the last axis of the input (features) must be known.`);
    if (this.stateful && shape[0] == null) {
      throw new InvalidArgumentError(
        `${this.name}: a stateful layer needs a fixed batch size (batchInputShape or batchSize).`,
      );
    }
    for (const half of [this.first, this.second]) {
      // Building through the half's own apply scopes its weight names under the half's name
      // (`<layer>/<layer>_first/kernel`), so the two halves' weights save and load separately.
      if (!half.built) half.apply(new SymbolicTensor('float32', shape, null as never, [], {}));
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x = list[0];
      this.checkSequenceShape(x.shape);
      const given = (list.length > 1 ? list.slice(1) : kwargs?.initialState) as
        tf.Tensor | tf.Tensor[] | null | undefined;
      const states = given == null ? null : Array.isArray(given) ? given : [given];
      if (states != null) this.checkStates(states, x.shape[0]);
      const halves = states == null ? null : this.splitStates(states);
      const halfKwargs = (halfStates: tf.Tensor[] | null): Kwargs => {
        const k: Kwargs = {};
        if (kwargs?.training != null) k.training = kwargs.training;
        if (kwargs?.mask != null) k.mask = kwargs.mask;
        if (halfStates != null) k.initialState = halfStates;
        return k;
      };
      const a = toList(this.first.call(x, halfKwargs(halves?.[0] ?? null)));
      const b = toList(this.second.call(x, halfKwargs(halves?.[1] ?? null)));
      const merged = a.map((t, i) => tf.concat([t, b[i]], -1));
      return this.returnState ? merged : merged[0];
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const output: Shape = this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
    if (!this.returnState) return output;
    return [output, ...Array.from({ length: this.stateCount }, (): Shape => [shape[0], this.units])];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const inputMask = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const outputMask = this.returnSequences ? inputMask : null;
    if (!this.returnState) return outputMask as tf.Tensor;
    return [outputMask, ...Array.from({ length: this.stateCount }, () => null)] as unknown as tf.Tensor[];
  }

  /**
   * Resets a stateful layer's states to zeros, or to `states` given in the layer's layout
   * (`[h]` or `[h, c]`, each `[batch, units]`), split between the halves.
   */
  override resetStates(states?: tf.Tensor | tf.Tensor[], training = false): void {
    if (!this.stateful) throw new InvalidArgumentError(`${this.name}: resetStates() needs a stateful layer.`);
    if (states == null) {
      this.first.resetStates();
      this.second.resetStates();
      return;
    }
    const list = Array.isArray(states) ? states : [states];
    this.checkStates(list, null);
    const [a, b] = this.splitStates(list);
    this.first.resetStates(a, training);
    this.second.resetStates(b, training);
    tf.dispose([...a, ...b]);
  }

  /** Like `Layer.setWeights` (first half's weights, then second's), validated first. */
  override setWeights(weights: tf.Tensor[]): void {
    validateWeights(this.name, this.weights, weights);
    super.setWeights(weights);
  }

  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.first?.setFastWeightInitDuringBuild(value);
    this.second?.setFastWeightInitDuringBuild(value);
  }

  override dispose(): ReturnType<InstanceType<typeof layers.Layer>['dispose']> {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) {
      for (const half of [this.first, this.second]) {
        if (half.stateful) tf.dispose(half.states.filter((s) => s != null));
      }
    }
    return result;
  }

  override getConfig(): serialization.ConfigDict {
    const cellConfig = { ...this.first.cell.getConfig() };
    for (const key of ['name', 'trainable', 'dtype', 'units']) delete cellConfig[key];
    return {
      ...cellConfig,
      ...super.getConfig(),
      cell: this.cellKind,
      units: this.units,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      engine: this.first.engine,
    };
  }

  /** @nocollapse */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls(layerArgsFromConfig(config));
  }

  /** `[h, c]` (each `[batch, units]`) → `[[h_A, c_A], [h_B, c_B]]`. */
  private splitStates(states: tf.Tensor[]): [tf.Tensor[], tf.Tensor[]] {
    const parts = states.map((s) => tf.split(s, 2, 1));
    return [parts.map((p) => p[0]), parts.map((p) => p[1])];
  }

  private checkSequenceShape(shape: readonly (number | null)[]): void {
    checkSequenceShape(this.name, shape, this.first.cell.kernel != null ? this.first.cell.inputSize : null);
  }

  /** The states in the layer's own layout: one `[batch, units]` per state (both halves joined). */
  private checkStates(states: readonly { shape: readonly (number | null)[] }[], batch: number | null): void {
    checkInitialStates(
      this.name,
      states,
      Array.from({ length: this.stateCount }, () => this.units),
      batch,
    );
  }
}

function toList(x: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(x) ? x : [x];
}

/**
 * Creates a {@link DoubleRNN}: two independent layers of `units / 2` whose outputs and states
 * are concatenated; warmup trains only the first half (partial warmup; see the
 * [method guide](../../docs/method.md#double-layer-and-partial-warmup)).
 *
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [
 *   doubleRNN({ cell: 'gru', units: 64, returnSequences: true, inputShape: [null, 1] }),
 *   doubleRNN({ cell: 'gru', units: 64 }),
 *   tf.layers.dense({ units: 1 }),
 * ]});
 * await warmup(model, trainInputs); // warms up the first 32 units of each layer
 * ```
 */
export function doubleRNN(args: DoubleRNNLayerArgs): DoubleRNN {
  return new DoubleRNN(args);
}
