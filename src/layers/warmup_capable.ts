import type * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';

/** Options of {@link WarmupCapable.runConstantInput}. */
export interface ConstantInputOptions {
  /**
   * Record the run for gradients (warmup's stabilisation phase). When `false`, it runs in
   * chunks whose intermediates are freed as it goes, so memory stays flat for thousands of
   * steps (multistability measurement). Default `true`.
   */
  differentiable?: boolean;
}

/**
 * What warmup and the multistability measures need from a recurrent layer (see the
 * [method guide](../../docs/method.md#sampling-final-states)), and nothing else. Every
 * recurrent layer of this library implements it; the double layer implements it by combining
 * its two halves (warming up only the first); tfjs-layers' own `gru`, `lstm` and `simpleRNN`
 * layers get an adapter.
 *
 * "States" are the layer's full recurrent states in a fixed order (h, then c for LSTM; for a
 * double layer the first half's states, then the second half's). Warmup works on the subset
 * {@link WarmupCapable.warmupStateIndices}.
 */
export interface WarmupCapable {
  /** Marks the interface at run time (see {@link isWarmupCapable}). */
  readonly warmupCapable: true;
  /** Layer name, for reports and errors. */
  readonly name: string;
  /** Sizes of the full states, in order. */
  readonly stateSizes: number[];
  /** Indices (into the full states) of the states warmup maximises multistability of. */
  readonly warmupStateIndices: number[];
  /** Number of input features per step (the layer must be built). */
  readonly warmupInputSize: number;
  /** The weights warmup may train for this layer; its other weights stay untouched. */
  readonly warmupWeights: LayerVariable[];
  /**
   * Whether warmup's robust mode adds its collapse escape term to this layer's loss when the
   * layer has collapsed to one equilibrium (the default of `WarmupOptions.collapseEscape`).
   * Absent means `true`. This library's GRU and LSTM layers (and the double layer's halves of
   * those cells, and tfjs's built-ins) say `true`, its BRC and nBRC layers `false`: measured
   * on 2×16 stacks over 40 seeds, the escape lifted LSTM from 32 to 37 multistable stacks and
   * GRU from 37 to 38, and lowered nBRC from 38 to 34, whose failures are slow points rather
   * than collapse (docs/results.md, "The collapse escape per cell").
   */
  readonly warmupCollapseEscape?: boolean;
  /** Whether the layer processes sequences backwards (its prefixes are suffixes of the input). */
  readonly goBackwards: boolean;
  /** Whether the layer returns its whole output sequence. */
  readonly returnSequences: boolean;
  /**
   * Runs the layer over `inputs` `[batch, time, features]` from `initialStates` (full states;
   * zeros when omitted) and returns every step's full states, one `[batch, time, size]` tensor
   * per state, in the order the layer processes steps. Differentiable with respect to the
   * inputs, the initial states and the layer's weights.
   *
   * `mask` (optional, `[batch, time]`, as a Keras mask in input order): where it is 0 (false)
   * the step is skipped and the states are carried over unchanged. On the WebAssembly engine,
   * rows that are masked at the end of the batch cost no arithmetic, so a batch sorted by
   * decreasing length pays only for its real steps. Warmup passes a mask only to save that
   * arithmetic and reads no state at a masked step, so an implementation may ignore it.
   */
  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[], mask?: tf.Tensor2D): tf.Tensor3D[];
  /**
   * The layer's output sequence `[batch, time, outputSize]` given the full states that
   * {@link WarmupCapable.runSequence} returned (h for a single layer, both halves' h for a
   * double layer). Differentiable.
   */
  outputSequence(states: tf.Tensor3D[]): tf.Tensor3D;
  /**
   * Feeds one input vector, held constant, for `steps` steps from `initialStates` (the warmup
   * states only, in {@link WarmupCapable.warmupStateIndices} order) and returns the final warmup
   * states (each `[batch, size]`). `input` is `[batch, features]` or `[1, features]` (shared by
   * the whole batch).
   */
  runConstantInput(
    input: tf.Tensor2D,
    initialStates: tf.Tensor2D[],
    steps: number,
    options?: ConstantInputOptions,
  ): tf.Tensor2D[];
}

/** Whether `layer` implements {@link WarmupCapable}. */
export function isWarmupCapable(layer: unknown): layer is WarmupCapable {
  return typeof layer === 'object' && layer !== null && (layer as Partial<WarmupCapable>).warmupCapable === true;
}
