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
 * The two abilities warmup needs from a recurrent layer (SPEC §3), and nothing else.
 * Every recurrent layer of this library implements it; the double layer implements it by
 * delegating to its first half.
 */
export interface WarmupCapable {
  /** Marks the interface at run time (see {@link isWarmupCapable}). */
  readonly warmupCapable: true;
  /** Layer name, for reports. */
  readonly name: string;
  /** Sizes of the states the contract works on (`[units]`, or `[units, units]` for LSTM's h and c). */
  readonly warmupStateSizes: number[];
  /** Number of input features per step (the layer must be built). */
  readonly warmupInputSize: number;
  /** The weights warmup may train for this layer. */
  readonly warmupWeights: LayerVariable[];
  /**
   * Runs the layer over `inputs` `[batch, time, features]` from `initialStates` (zeros when
   * omitted) and returns every step's states, one `[batch, time, size]` tensor per state, in
   * the order the layer processes steps. Differentiable with respect to the inputs, the initial
   * states and the layer's weights.
   */
  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[]): tf.Tensor3D[];
  /**
   * Feeds one input vector, held constant, for `steps` steps from `initialStates`, and returns
   * the final states (each `[batch, size]`). `input` is `[batch, features]` or `[1, features]`
   * (shared by the whole batch).
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
  return (
    typeof layer === 'object' &&
    layer !== null &&
    (layer as Partial<WarmupCapable>).warmupCapable === true
  );
}
