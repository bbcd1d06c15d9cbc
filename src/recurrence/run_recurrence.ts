import * as tf from '@tensorflow/tfjs-core';
import { chooseEngineCell } from '../engine/engine_dispatch';
import { recordDeclined, type EngineMode } from '../engine/engine_loader';
import { iterateOnEngine, runOnEngine } from '../engine/engine_recurrence';
import { projectSequence, type SequenceInput } from './projection';
import { UNTAPED, type StepEquations } from './step_equations';
import { splitTimeSteps, sumTensors } from '../backend/tfjs_quirks';

/** Arguments of {@link runRecurrence}. */
export interface RecurrenceArgs {
  /**
   * The input projection `x·kernel + bias`: either `[time, batch, projectionWidth]` (one slice
   * per step, time-major) or `[batch, projectionWidth]`, held constant for `steps` steps.
   * Give this or `input`.
   */
  projection?: tf.Tensor;
  /**
   * Instead of `projection`: the layer's input sequence and projection weights. The engine then
   * forms the projection and its gradients inside its own call (no tfjs ops around it); the op
   * path forms it with tfjs ops first ({@link projectSequence}).
   */
  input?: SequenceInput;
  /** Number of steps when `projection` is constant (2-D); ignored otherwise. */
  steps?: number;
  /** Starting states, each `[batch, units]`. */
  initialStates: tf.Tensor2D[];
  /** The kernel's recurrent parameters, in the kernel's order. */
  parameters: tf.Tensor[];
  /** Optional `[time, batch, 1]` float mask of 0 and 1: where 0, the step keeps the old state. */
  mask?: tf.Tensor3D | null;
  /** `'ops'` forces the tfjs-op path for this run (a layer's `engine` option); default `'auto'`. */
  engine?: EngineMode;
  /**
   * Return only the states after the last step, `[stateCount, 1, batch, units]` (a layer that
   * does not return sequences). The engine then creates and differentiates no tensor of the
   * whole sequence; the op path slices its result.
   */
  finalOnly?: boolean;
}

type Unpacked = {
  projection: tf.Tensor;
  initialStates: tf.Tensor2D[];
  parameters: tf.Tensor[];
  mask: tf.Tensor3D | null;
};

/**
 * Runs a recurrent kernel over time and returns every step's states, stacked as
 * `[stateCount, time, batch, units]` (state 0 is h, the layer output), or with `finalOnly` the
 * last step's, `[stateCount, 1, batch, units]`.
 *
 * The whole loop is one node on the gradient tape (`tf.customGrad`): the forward pass records
 * nothing per step, and the backward pass through time is the kernel's hand-written
 * `stepBackward`, with the recurrent-parameter gradients formed at the end by one large
 * product over all steps. This is where the speed over a per-op taped loop comes from.
 * Gradients flow to the projection, the initial states and the parameters.
 *
 * Where the WebAssembly engine can run it (see `chooseEngineCell`: the `cpu` and `wasm`
 * backends, a kernel with an `engineCell`), the same node runs the whole sequence there
 * instead, forward and backward in one call each; this op path is the reference and fallback.
 */
export function runRecurrence<P>(kernel: StepEquations<P>, args: RecurrenceArgs): tf.Tensor4D {
  if ((args.projection == null) === (args.input == null)) {
    throw new Error('runRecurrence: give exactly one of projection and input.');
  }
  const input = args.input ?? null;
  const constant = args.projection?.rank === 2;
  const time = input != null ? input.x.shape[1] : constant ? (args.steps ?? 0) : args.projection!.shape[0];
  if (!Number.isInteger(time) || time < 1) {
    throw new Error(`runRecurrence: need at least one time step, got ${time}.`);
  }
  const lead =
    input == null ? [args.projection!] : [input.x, input.kernel, ...(input.bias == null ? [] : [input.bias])];
  const inputs: tf.Tensor[] = [...lead, ...args.initialStates, ...args.parameters];
  if (args.mask != null) inputs.push(args.mask);
  const cell = chooseEngineCell(kernel as StepEquations<unknown>, args.engine, inputs);
  if (cell != null) {
    const value = runOnEngine(kernel as StepEquations<unknown>, cell, {
      projection: args.projection ?? null,
      input,
      time,
      initialStates: args.initialStates,
      parameters: args.parameters,
      mask: args.mask ?? null,
      finalOnly: args.finalOnly === true,
    });
    if (value != null) return value;
    // The engine's memory cannot hold this run: the op path below runs it instead.
    recordDeclined();
  }
  const projection = input == null ? args.projection! : projectSequence(input);
  const all = runOnOps(kernel, { ...args, projection, input: undefined }, time, constant);
  if (args.finalOnly !== true) return all;
  const [stateCount, , batch, units] = all.shape;
  return tf.slice(all, [0, time - 1, 0, 0], [stateCount, 1, batch, units]);
}

/** The tfjs-op path of {@link runRecurrence}, for a formed projection. */
function runOnOps<P>(
  kernel: StepEquations<P>,
  args: RecurrenceArgs & { projection: tf.Tensor },
  time: number,
  constant: boolean,
): tf.Tensor4D {
  const stateCount = kernel.stateCount;
  const parameterCount = args.parameters.length;
  const hasMask = args.mask != null;

  const unpack = (tensors: tf.Tensor[]): Unpacked => ({
    projection: tensors[0],
    initialStates: tensors.slice(1, 1 + stateCount) as tf.Tensor2D[],
    parameters: tensors.slice(1 + stateCount, 1 + stateCount + parameterCount),
    mask: hasMask ? (tensors[1 + stateCount + parameterCount] as tf.Tensor3D) : null,
  });

  // Inside tf.customGrad tfjs records nothing: the kernel runs UNTAPED, forward and backward.
  const loop = tf.customGrad((...flat: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = flat[flat.length - 1] as tf.GradSaveFunc;
    const inputs = unpack(flat.slice(0, -1) as tf.Tensor[]);
    const prepared = kernel.prepare(inputs.parameters, UNTAPED);
    const stepProjections = constant ? null : splitTimeSteps(inputs.projection);
    const masks = inputs.mask == null ? null : splitMask(inputs.mask);

    const history: tf.Tensor2D[][] = inputs.initialStates.map(() => []);
    const savedHistory: tf.Tensor2D[][] = Array.from({ length: kernel.savedCount }, () => []);
    let states = inputs.initialStates;
    for (let t = 0; t < time; t++) {
      const projection = stepProjections == null ? (inputs.projection as tf.Tensor2D) : stepProjections[t];
      const out = kernel.step(projection, states, prepared, UNTAPED);
      let next = out.states;
      if (masks != null) {
        const previous = states;
        next = next.map((s, i) => tf.add(tf.mul(s, masks.keep[t]), tf.mul(previous[i], masks.skip[t])));
      }
      next.forEach((s, i) => history[i].push(s));
      out.saved.forEach((s, k) => savedHistory[k].push(s));
      states = next;
    }
    const value = tf.stack(history.map((h) => tf.stack(h))) as tf.Tensor4D;
    // Every step's states and intermediates are saved as they are (a clone each), so the
    // backward pass needs no per-step slicing of large stacked tensors.
    save([
      ...inputs.initialStates,
      ...inputs.parameters,
      ...(inputs.mask == null ? [] : [inputs.mask]),
      ...history.flat(),
      ...savedHistory.flat(),
    ]);

    const gradFunc = (dy: tf.Tensor4D, savedTensors: tf.Tensor[]): tf.Tensor[] => {
      let offset = 0;
      const take = (count: number): tf.Tensor[] => savedTensors.slice(offset, (offset += count));
      const initialStates = take(stateCount) as tf.Tensor2D[];
      const parameters = take(parameterCount);
      const mask = hasMask ? (take(1)[0] as tf.Tensor3D) : null;
      const states = Array.from({ length: stateCount }, () => take(time) as tf.Tensor2D[]);
      const saved = Array.from({ length: kernel.savedCount }, () => take(time) as tf.Tensor2D[]);
      return backwardThroughTime(kernel, { dy, states, initialStates, parameters, saved, mask, constant, time });
    };
    return { value, gradFunc };
  });

  const inputs: tf.Tensor[] = [args.projection, ...args.initialStates, ...args.parameters];
  if (args.mask != null) inputs.push(args.mask);
  return loop(...inputs) as tf.Tensor4D;
}

interface BackwardArgs {
  dy: tf.Tensor4D;
  /** `states[i][t]`: state i after step t. */
  states: tf.Tensor2D[][];
  initialStates: tf.Tensor2D[];
  parameters: tf.Tensor[];
  /** `saved[k][t]`: the kernel's k-th saved intermediate of step t. */
  saved: tf.Tensor2D[][];
  mask: tf.Tensor3D | null;
  constant: boolean;
  time: number;
}

function splitMask(mask: tf.Tensor3D): { keep: tf.Tensor2D[]; skip: tf.Tensor2D[] } {
  return {
    keep: splitTimeSteps(mask),
    skip: splitTimeSteps(tf.sub(1, mask)),
  };
}

function backwardThroughTime<P>(kernel: StepEquations<P>, a: BackwardArgs): tf.Tensor[] {
  const { time } = a;
  const prepared = kernel.prepare(a.parameters, UNTAPED);
  const dyPerState = (tf.unstack(a.dy) as tf.Tensor3D[]).map((d) => splitTimeSteps(d));
  const masks = a.mask == null ? null : splitMask(a.mask);

  const dProjections: tf.Tensor2D[] = new Array(time);
  const parts: tf.Tensor2D[][] = Array.from({ length: kernel.partCount }, () => new Array(time));
  let carry: tf.Tensor2D[] | null = null;
  for (let t = time - 1; t >= 0; t--) {
    const carried: tf.Tensor2D[] | null = carry;
    const dNew: tf.Tensor2D[] = dyPerState.map((d, i) =>
      carried == null ? d[t] : (tf.add(d[t], carried[i]) as tf.Tensor2D),
    );
    const previous = t === 0 ? a.initialStates : a.states.map((s) => s[t - 1]);
    const dStep = masks == null ? dNew : dNew.map((d): tf.Tensor2D => tf.mul(d, masks.keep[t]));
    const back = kernel.stepBackward(
      dStep,
      previous,
      a.saved.map((s) => s[t]),
      prepared,
      UNTAPED,
    );
    dProjections[t] = back.dProjection;
    back.parts.forEach((p, k) => {
      parts[k][t] = p;
    });
    carry =
      masks == null
        ? back.dPreviousStates
        : back.dPreviousStates.map((d, i): tf.Tensor2D => tf.add(d, tf.mul(dNew[i], masks.skip[t])));
  }
  const dInitialStates = carry ?? [];
  const dProjection = a.constant ? sumTensors(dProjections) : tf.stack(dProjections);

  // Everything the parameter gradients need, stacked over time as [time·batch, width].
  const previousStacked = a.states.map(
    (s, i) => tf.concat([a.initialStates[i], ...s.slice(0, time - 1)], 0) as tf.Tensor2D,
  );
  const savedStacked = a.saved.map((s) => tf.concat(s, 0) as tf.Tensor2D);
  const partsStacked = parts.map((p) => tf.concat(p, 0) as tf.Tensor2D);
  const dParameters = kernel.parameterGradients(previousStacked, savedStacked, partsStacked, prepared, a.parameters);
  const grads: tf.Tensor[] = [dProjection, ...dInitialStates, ...dParameters];
  if (a.mask != null) grads.push(tf.zerosLike(a.mask));
  return grads;
}

/**
 * Runs a kernel for `steps` steps of one constant input projection without recording
 * gradients, in chunks whose intermediates are freed as it goes, so memory stays flat however
 * long it runs (used to measure multistability with thousands of steps). Returns the final
 * states, each `[batch, units]`. On the engine all steps are one call, in constant memory.
 */
export function iterateRecurrence<P>(
  kernel: StepEquations<P>,
  projection: tf.Tensor2D,
  initialStates: tf.Tensor2D[],
  parameters: tf.Tensor[],
  steps: number,
  chunkSize = 100,
  engine?: EngineMode,
): tf.Tensor2D[] {
  const cell = chooseEngineCell(kernel as StepEquations<unknown>, engine, [
    projection,
    ...initialStates,
    ...parameters,
  ]);
  if (cell != null) {
    const final = iterateOnEngine(kernel as StepEquations<unknown>, cell, projection, initialStates, parameters, steps);
    if (final != null) return final;
    recordDeclined();
  }
  return tf.tidy(() => {
    const prepared = kernel.prepare(parameters, UNTAPED);
    let states = initialStates;
    for (let done = 0; done < steps; done += chunkSize) {
      const from = states;
      const count = Math.min(chunkSize, steps - done);
      const next = tf.tidy(() => {
        let s = from;
        for (let k = 0; k < count; k++) s = kernel.step(projection, s, prepared, UNTAPED).states;
        return s;
      });
      if (from !== initialStates) tf.dispose(from);
      states = next;
    }
    return states;
  });
}
