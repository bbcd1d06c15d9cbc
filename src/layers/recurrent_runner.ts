import * as tf from '@tensorflow/tfjs-core';
import { leadingSlices } from '../backend/tfjs_quirks';
import { InvalidArgumentError, ShapeError } from '../errors';
import type { EngineMode } from '../engine/engine_loader';
import type { StepEquations } from '../recurrence/step_equations';
import { denseProjection } from '../recurrence/projection';
import { iterateRecurrence, runRecurrence } from '../recurrence/run_recurrence';
import type { ConstantInputOptions } from './warmup_capable';

/** The weights of a layer's input projection `x·kernel + bias`. */
export interface ProjectionWeights {
  /** `[inputSize, projectionWidth]`. */
  kernel: tf.Tensor2D;
  /** `[projectionWidth]`, or null. */
  bias: tf.Tensor1D | null;
}

/** What a layer gives {@link RecurrentRunner}: its kernel and a way to read its weights. */
export interface RecurrentSource {
  readonly name: string;
  readonly recurrence: StepEquations<unknown>;
  readonly stateSizes: number[];
  readonly goBackwards: boolean;
  /** `'ops'` forces the tfjs-op path for this layer (default `'auto'`). */
  readonly engine?: EngineMode;
  /** Input features per step, or null while the layer is not built. */
  inputSize(): number | null;
  /** The input projection's weights `x·kernel + bias`, from the current weights. */
  projectionWeights(): ProjectionWeights;
  /** The kernel's recurrent parameters, from the current weights. */
  recurrenceParameters(): tf.Tensor[];
}

/**
 * Runs a layer's recurrence over whole sequences or under a constant input, with the shape
 * checks, shared by this library's layers and the adapter of tfjs-layers' built-ins: the input
 * projection of every step is one product, the time loop is {@link runRecurrence}.
 */
export class RecurrentRunner {
  constructor(private readonly source: RecurrentSource) {}

  /**
   * All states over time, `[stateCount, time, batch, units]`, in processing order; with
   * `finalOnly`, the last step's only (`time` 1), for layers that do not return sequences.
   */
  run(x: tf.Tensor3D, initialStates: tf.Tensor2D[], mask: tf.Tensor | null = null, finalOnly = false): tf.Tensor4D {
    // As tfjs-layers' rnn(): a backward layer reads its input reversed in time and returns its
    // states in processing order. The projection is formed by runRecurrence (on the engine,
    // inside its call).
    const { kernel, bias } = this.source.projectionWeights();
    let stepMask: tf.Tensor3D | null = null;
    if (mask != null) {
      stepMask = tf.expandDims(tf.transpose(tf.cast(tf.cast(mask, 'bool'), 'float32'), [1, 0]), 2) as tf.Tensor3D;
      if (this.source.goBackwards) stepMask = tf.reverse(stepMask, 0);
    }
    return runRecurrence(this.source.recurrence, {
      input: { x, kernel, bias, reverse: this.source.goBackwards },
      initialStates,
      parameters: this.source.recurrenceParameters(),
      mask: stepMask,
      engine: this.source.engine,
      finalOnly,
    });
  }

  /** Every state over time, batch-first `[batch, time, units]` each. */
  statesOverTime(values: tf.Tensor4D): tf.Tensor3D[] {
    // Not tf.unstack: quirk unstackGradientThrows (single-state cells).
    return leadingSlices(values).map((sequence) => tf.transpose(sequence, [1, 0, 2]) as tf.Tensor3D);
  }

  /** The states after the last step, `[batch, units]` each. */
  finalStates(values: tf.Tensor4D): tf.Tensor2D[] {
    const [stateCount, time, batch, units] = values.shape;
    return Array.from(
      { length: stateCount },
      (_, s) => tf.reshape(tf.slice(values, [s, time - 1, 0, 0], [1, 1, batch, units]), [batch, units]) as tf.Tensor2D,
    );
  }

  /** The output sequence (h over time), batch-first. */
  outputSequenceOf(values: tf.Tensor4D): tf.Tensor3D {
    const [, time, batch, units] = values.shape;
    const h = tf.reshape(tf.slice(values, [0, 0, 0, 0], [1, time, batch, units]), [time, batch, units]);
    return tf.transpose(h, [1, 0, 2]) as tf.Tensor3D;
  }

  zeroStates(batch: number): tf.Tensor2D[] {
    return this.source.stateSizes.map((size) => tf.zeros([batch, size]) as tf.Tensor2D);
  }

  /** {@link WarmupCapable.runSequence}. */
  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[], mask?: tf.Tensor2D): tf.Tensor3D[] {
    this.checkSequenceShape(inputs.shape);
    if (initialStates != null) this.checkInitialStates(initialStates, inputs.shape[0]);
    if (mask != null && (mask.rank !== 2 || mask.shape[0] !== inputs.shape[0] || mask.shape[1] !== inputs.shape[1])) {
      throw new ShapeError(
        `${this.source.name}.runSequence: mask must have shape [${inputs.shape[0]}, ${inputs.shape[1]}], got [${mask.shape}].`,
      );
    }
    return tf.tidy(() =>
      this.statesOverTime(this.run(inputs, initialStates ?? this.zeroStates(inputs.shape[0]), mask ?? null)),
    );
  }

  /** {@link WarmupCapable.outputSequence} for a single layer: h. */
  outputSequence(states: tf.Tensor3D[]): tf.Tensor3D {
    if (states.length !== this.source.stateSizes.length) {
      throw new ShapeError(
        `${this.source.name}.outputSequence: expects ${this.source.stateSizes.length} state sequence(s), got ${states.length}.`,
      );
    }
    return states[0];
  }

  /** {@link WarmupCapable.runConstantInput}. */
  runConstantInput(
    input: tf.Tensor2D,
    initialStates: tf.Tensor2D[],
    steps: number,
    options: ConstantInputOptions = {},
  ): tf.Tensor2D[] {
    const name = `${this.source.name}.runConstantInput`;
    if (input.rank !== 2) {
      throw new ShapeError(`${name}: input must be [batch, features] (rank 2), got rank ${input.rank}.`);
    }
    const inputSize = this.source.inputSize();
    if (input.shape[1] !== inputSize) {
      throw new ShapeError(`${name}: input has ${input.shape[1]} features, the layer expects ${inputSize}.`);
    }
    if (!Number.isInteger(steps) || steps < 1) {
      throw new InvalidArgumentError(`${name}: steps must be a positive integer, got ${steps}.`);
    }
    const batch = initialStates[0]?.shape[0];
    if (batch == null) throw new ShapeError(`${name}: initialStates must not be empty.`);
    this.checkInitialStates(initialStates, batch);
    if (input.shape[0] !== 1 && input.shape[0] !== batch) {
      throw new ShapeError(`${name}: input batch ${input.shape[0]} must be 1 or ${batch} (the states' batch).`);
    }
    return tf.tidy(() => {
      const { kernel, bias } = this.source.projectionWeights();
      let projection = denseProjection(input, kernel, bias);
      if (projection.shape[0] !== batch) projection = tf.tile(projection, [batch, 1]);
      const parameters = this.source.recurrenceParameters();
      if (options.differentiable === false) {
        return iterateRecurrence(
          this.source.recurrence,
          projection,
          initialStates,
          parameters,
          steps,
          undefined,
          this.source.engine,
        );
      }
      return this.finalStates(
        runRecurrence(this.source.recurrence, {
          projection,
          steps,
          initialStates,
          parameters,
          engine: this.source.engine,
        }),
      );
    });
  }

  /** Throws {@link ShapeError} unless `shape` is `[batch, time ≥ 1, inputSize]`. */
  checkSequenceShape(shape: readonly (number | null)[]): void {
    checkSequenceShape(this.source.name, shape, this.source.inputSize());
  }

  /** Throws {@link ShapeError} unless `states` has one `[batch, size]` tensor per state. */
  checkInitialStates(states: readonly { shape: readonly (number | null)[] }[], batch: number | null): void {
    checkInitialStates(this.source.name, states, this.source.stateSizes, batch);
  }
}

/**
 * Throws {@link ShapeError} unless `shape` is a sequence `[batch, time ≥ 1, features]` whose
 * features match `inputSize` (unchecked while the layer is not built: `inputSize` null).
 * Shared by the runner and the double layer.
 */
export function checkSequenceShape(name: string, shape: readonly (number | null)[], inputSize: number | null): void {
  if (shape.length !== 3) {
    throw new ShapeError(
      `${name}: input must be a sequence [batch, time, features] (rank 3), got rank ${shape.length} (shape [${shape}]).`,
    );
  }
  if (shape[1] === 0) throw new ShapeError(`${name}: input has 0 time steps.`);
  if (inputSize != null && shape[2] != null && shape[2] !== inputSize) {
    throw new ShapeError(`${name}: input has ${shape[2]} features per step, but the layer was built for ${inputSize}.`);
  }
}

/**
 * Throws {@link ShapeError} unless `states` holds one `[batch, sizes[i]]` tensor per state
 * (unknown dimensions pass; `batch` null: any batch). Shared by the runner and the double layer.
 */
export function checkInitialStates(
  name: string,
  states: readonly { shape: readonly (number | null)[] }[],
  sizes: readonly number[],
  batch: number | null,
): void {
  if (!Array.isArray(states) || states.length !== sizes.length) {
    throw new ShapeError(
      `${name}: expects ${sizes.length} initial state(s), got ${Array.isArray(states) ? states.length : typeof states}.`,
    );
  }
  states.forEach((s, i) => {
    const ok =
      s.shape.length === 2 &&
      (s.shape[1] == null || s.shape[1] === sizes[i]) &&
      (batch == null || s.shape[0] == null || s.shape[0] === batch);
    if (!ok) {
      throw new ShapeError(
        `${name}: initial state ${i} must have shape [${batch ?? 'batch'}, ${sizes[i]}], got [${s.shape}].`,
      );
    }
  });
}
