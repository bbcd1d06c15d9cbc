import type * as tf from '@tensorflow/tfjs-core';
import type { SplitOptions } from '../backend/tfjs_quirks';
import type { EngineCell } from '../engine/engine_cell';

/**
 * Where a step's equations run, passed explicitly by the caller: `differentiable` when the
 * tape may record them (a cell's `call` inside `tf.layers.rnn`), not inside the fused
 * recurrence's `tf.customGrad` passes, where cheaper non-differentiable splits are allowed.
 */
export type StepContext = SplitOptions;

/** For code the gradient tape may record. */
export const TAPED: StepContext = { differentiable: true };

/** For the fused recurrence's forward and backward passes, where tfjs records nothing. */
export const UNTAPED: StepContext = { differentiable: false };

/** What one forward step produces. */
export interface StepForward {
  /** The new states, each `[batch, units]` (h, then c for LSTM). */
  states: tf.Tensor2D[];
  /**
   * The intermediate values the backward step needs, each `[batch, width]`, always
   * `savedCount` of them. The engine stacks them over time once per sequence.
   */
  saved: tf.Tensor2D[];
}

/** What one backward step produces, given the gradient with respect to the new states. */
export interface StepBackward {
  /** Gradient with respect to this step's input projection, `[batch, projectionWidth]`. */
  dProjection: tf.Tensor2D;
  /** Gradients with respect to the previous states, same order and shapes as the states. */
  dPreviousStates: tf.Tensor2D[];
  /**
   * Per-step pieces from which the recurrent-parameter gradients are formed, each
   * `[batch, width]`, `partCount` of them. They are concatenated over time and turned
   * into parameter gradients by one large product in {@link StepEquations.parameterGradients},
   * instead of one small product per step.
   */
  parts: tf.Tensor2D[];
}

/**
 * The mathematics of one recurrent cell, written for a fast time loop: the input projection
 * `x·kernel + bias` is computed for all steps at once outside the loop, so a step only sees
 * its slice of that projection. `P` is whatever the equations precompute once per sequence from
 * their recurrent parameters (for example a split or a transposed matrix).
 *
 * The loop (`runRecurrence`) owns the time steps, masking, stacking and the custom gradient;
 * these own only the equations of one step forward and backward. Not called a "kernel": that
 * is the layer weight `kernel` (input weights), and the WebAssembly engine's per-cell code is
 * an `EngineCell`.
 */
export interface StepEquations<P = unknown> {
  /** Short name used in error messages. */
  readonly name: string;
  readonly units: number;
  /** How many `[batch, units]` state tensors the cell carries (1, or 2 for LSTM). */
  readonly stateCount: number;
  /** Width of the input projection one step consumes. */
  readonly projectionWidth: number;
  /** How many tensors `step` saves for the backward step. */
  readonly savedCount: number;
  /** How many per-step parts `stepBackward` returns. */
  readonly partCount: number;
  /**
   * Present when the WebAssembly recurrence engine implements this cell: the whole recurrence
   * then runs there on the `cpu` and `wasm` backends, with the same results and gradients.
   * @internal
   */
  readonly engineCell?: EngineCell;
  /** Precomputes per-sequence values from the recurrent parameters. */
  prepare(parameters: tf.Tensor[], context: StepContext): P;
  /** One forward step; built from differentiable ops only, so the tape can also record it. */
  step(projection: tf.Tensor2D, states: tf.Tensor2D[], prepared: P, context: StepContext): StepForward;
  /** One backward step of `step`. */
  stepBackward(
    dStates: tf.Tensor2D[],
    previousStates: tf.Tensor2D[],
    saved: tf.Tensor2D[],
    prepared: P,
    context: StepContext,
  ): StepBackward;
  /**
   * Gradients of the recurrent parameters (same order and shapes as `parameters`) from all
   * steps at once: `previousStates[i]`, `saved[k]` and `parts[k]` are stacked over time,
   * `[time·batch, width]`.
   */
  parameterGradients(
    previousStates: tf.Tensor2D[],
    saved: tf.Tensor2D[],
    parts: tf.Tensor2D[],
    prepared: P,
    parameters: tf.Tensor[],
  ): tf.Tensor[];
}
