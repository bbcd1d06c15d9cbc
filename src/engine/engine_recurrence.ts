import * as tf from '@tensorflow/tfjs-core';
import type { StepEquations } from '../recurrence/step_equations';
import { ACTIVATION_CODES, ENGINE_CELL_LAYOUTS, type EngineCell } from './engine_cell';
import { loadedEngine, type EngineExports } from './engine_loader';
import { ShapeError } from '../errors';
import { floatView } from '../backend/tfjs_quirks';
import type { SequenceInput } from '../recurrence/projection';
import { engineMemoryNeeded, floatIndex, layoutEngineMemory, reserveEngineMemory } from './engine_memory';

/** What {@link runOnEngine} needs (the checked arguments of `runRecurrence`). */
export interface EngineRunArgs {
  /** The formed projection, or null when `input` is given. */
  projection: tf.Tensor | null;
  /** The layer's input and projection weights: the engine forms the projection itself. */
  input: SequenceInput | null;
  time: number;
  initialStates: tf.Tensor2D[];
  parameters: tf.Tensor[];
  mask: tf.Tensor3D | null;
  /** Return only the last step's states, `[stateCount, 1, batch, units]`. */
  finalOnly: boolean;
}

type EngineFunction = (...args: number[]) => void;

let busyMs = 0;

/**
 * Milliseconds spent inside the engine's WebAssembly calls since the module loaded (internal:
 * the benchmarks split a job's time into the engine's own work and everything around it).
 */
export function engineBusyMs(): number {
  return busyMs;
}

/** The engine's function `name`, timed into {@link engineBusyMs} (two clock reads per call). */
function engineFunction(engine: EngineExports, name: string): EngineFunction {
  const f = engine[name] as EngineFunction;
  return (...args: number[]) => {
    const start = performance.now();
    try {
      f(...args);
    } finally {
      busyMs += performance.now() - start;
    }
  };
}

/**
 * A float32 tensor from `heap[from, from + size)` (engine memory). The wasm backend copies the
 * values into its own heap as the tensor is created, so a view is enough there; the cpu
 * backend keeps the array it is given, so it gets a copy (engine memory is reused by later calls).
 */
function tensorFromEngine(heap: Float32Array, from: number, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = tf.getBackend() === 'wasm' ? heap.subarray(from, from + size) : heap.slice(from, from + size);
  return tf.tensor(values, shape, 'float32');
}

/** The sizes and codes of one kernel on the engine. */
function describe(kernel: StepEquations<unknown>, cell: EngineCell, batch: number) {
  const units = kernel.units;
  const layout = ENGINE_CELL_LAYOUTS[cell.kind];
  return {
    units,
    batch,
    stateCount: kernel.stateCount,
    projectionWidth: kernel.projectionWidth,
    savedWidth: layout.saved(units),
    gatesWidth: layout.gates(units),
    recurrentWidth: layout.recurrent(units),
    activation: ACTIVATION_CODES[cell.activation ?? 'tanh'],
    recurrentActivation: ACTIVATION_CODES[cell.recurrentActivation ?? 'sigmoid'],
    forward: engineFunction(requireEngine(), `${cell.kind}Forward`),
    backward: engineFunction(requireEngine(), `${cell.kind}Backward`),
  };
}

/**
 * Throws {@link ShapeError} unless every input has the shape the kernel implies: the engine
 * reads raw memory, so a mismatch the op path would reject inside a tfjs op must be caught here.
 */
function checkShapes(
  kernel: StepEquations<unknown>,
  cell: EngineCell,
  args: Pick<EngineRunArgs, 'projection' | 'input' | 'initialStates' | 'parameters' | 'mask'>,
): void {
  const { projection, input, initialStates, parameters, mask } = args;
  const { units, projectionWidth, stateCount } = kernel;
  const batch = initialStates[0]?.shape[0];
  const fail = (what: string): never => {
    throw new ShapeError(`${kernel.name} recurrence: ${what}.`);
  };
  const same = (a: readonly number[], b: readonly (number | undefined)[]): boolean => a.join() === b.join();
  if (initialStates.length !== stateCount) fail(`expects ${stateCount} initial state(s), got ${initialStates.length}`);
  let time: number | null;
  if (input != null) {
    const [xBatch, xTime, features] = input.x.shape;
    time = xTime;
    if (input.x.rank !== 3 || xBatch !== batch)
      fail(`input must have shape [${batch}, time, features], got [${input.x.shape}]`);
    if (!same(input.kernel.shape, [features, projectionWidth])) {
      fail(`projection kernel must have shape [${features}, ${projectionWidth}], got [${input.kernel.shape}]`);
    }
    if (input.bias != null && !same(input.bias.shape, [projectionWidth])) {
      fail(`projection bias must have shape [${projectionWidth}], got [${input.bias.shape}]`);
    }
  } else {
    time = projection!.rank === 3 ? projection!.shape[0] : null;
    const expected = time == null ? [batch, projectionWidth] : [time, batch, projectionWidth];
    if (!same(projection!.shape, expected))
      fail(`projection must have shape [${expected}], got [${projection!.shape}]`);
  }
  initialStates.forEach((s, i) => {
    if (!same(s.shape, [batch, units]))
      fail(`initial state ${i} must have shape [${batch}, ${units}], got [${s.shape}]`);
  });
  const layout = ENGINE_CELL_LAYOUTS[cell.kind];
  const shapes = layout.parameters(units);
  if (parameters.length < layout.requiredParameters || parameters.length > shapes.length) {
    fail(`expects ${layout.requiredParameters}–${shapes.length} recurrent parameter(s), got ${parameters.length}`);
  }
  parameters.forEach((p, i) => {
    if (!same(p.shape, shapes[i])) fail(`parameter ${i} must have shape [${shapes[i]}], got [${p.shape}]`);
  });
  if (mask != null && (time == null || !same(mask.shape, [time, batch, 1]))) {
    fail(`mask must have shape [${time}, ${batch}, 1], got [${mask.shape}]`);
  }
}

/**
 * Per step t, 1 + the last batch row whose mask is nonzero at t (0 when none): the rows from
 * there on are fully masked, so the engine skips their arithmetic (they keep their state and
 * pass their gradient through). A batch sorted by decreasing length skips all its padding.
 */
export function activeRows(mask: Float32Array, time: number, batch: number): Int32Array {
  const active = new Int32Array(time);
  for (let t = 0; t < time; t++) {
    let b = batch;
    while (b > 0 && mask[t * batch + b - 1] === 0) b--;
    active[t] = b;
  }
  return active;
}

function requireEngine(): EngineExports {
  const engine = loadedEngine();
  if (engine == null) throw new Error('runOnEngine: the recurrence engine is not loaded.');
  return engine;
}

/**
 * {@link runRecurrence} on the WebAssembly engine: the same single `tf.customGrad` node, the
 * same value `[stateCount, time, batch, units]` and the same gradients, but the whole forward
 * pass and the whole backward pass through time (parameter gradients included) are one engine
 * call each. Given the layer's `input` instead of a projection, the engine also forms the
 * projection `x·W + b` and its gradients (dX, dW, db) inside those calls, reading x in the
 * layer's batch-first layout (and reversed for goBackwards), so no tfjs op runs around the
 * recurrence. Inputs are read once, outputs created once. The intermediates the backward pass
 * needs stay in one JavaScript array held by the gradient function (freed with it): handed to
 * `save()` as a tensor, they were copied into the tfjs heap, cloned by the tape and copied out
 * again, three copies of the largest block for nothing.
 *
 * Returns null, having done nothing, when the engine's memory cannot hold the run (its forward
 * and its backward pass are reserved up front): the caller then takes the tfjs-op path.
 */
export function runOnEngine(kernel: StepEquations<unknown>, cell: EngineCell, args: EngineRunArgs): tf.Tensor4D | null {
  const { time, input, finalOnly } = args;
  // Steps the value holds: every step, or the last one only.
  const valueSteps = finalOnly ? 1 : time;
  checkShapes(kernel, cell, args);
  const constant = input == null && args.projection!.rank === 2;
  const batch = args.initialStates[0].shape[0];
  const d = describe(kernel, cell, batch);
  const { units, stateCount: S, projectionWidth: P, savedWidth: W } = d;
  const stepSize = batch * units;
  const parameterCount = args.parameters.length;
  const hasMask = args.mask != null;
  const parameterShapes = args.parameters.map((p) => p.shape);
  const parameterSizes = args.parameters.map((p) => p.size);
  // The fused projection (input given): x [batch, time, features], kernel [features, P], bias.
  const fused = input != null;
  const hasBias = input?.bias != null;
  const features = input?.x.shape[2] ?? 0;
  const reverse = input?.reverse === true ? 1 : 0;
  const xShape = input?.x.shape ?? [];
  const xSize = fused ? batch * time * features : 0;
  const kernelShape = input?.kernel.shape ?? [];
  const kernelSize = fused ? features * P : 0;
  const biasSize = hasBias ? P : 0;
  const leadCount = fused ? 2 + (hasBias ? 1 : 0) : 1;
  const projectionShape = args.projection?.shape ?? [];
  const projectionSize = constant ? batch * P : time * batch * P;
  // Without a gradient tape (inference, predict) nothing is saved for a backward pass: the
  // intermediates then use one step's scratch instead of memory for every step.
  const state = tf.engine().state;
  const recording = state.gradientDepth > 0 && state.kernelDepth === 0;

  const activeSize = hasMask ? time : 0;
  const forwardSizes = [
    projectionSize,
    hasMask ? time * batch : 0,
    activeSize,
    S * (time + 1) * stepSize,
    (recording ? time : 1) * batch * W,
    batch * d.gatesWidth,
    xSize,
    kernelSize,
    biasSize,
    ...parameterSizes,
  ];
  const backwardSizes = [
    S * time * stepSize,
    S * (time + 1) * stepSize,
    time * batch * W,
    hasMask ? time * batch : 0,
    activeSize,
    projectionSize,
    time * batch * d.recurrentWidth,
    S * stepSize,
    (2 * S + 1) * stepSize + batch * P,
    xSize,
    kernelSize,
    xSize,
    kernelSize,
    biasSize,
    ...parameterSizes,
    ...parameterSizes,
  ];
  const engine = requireEngine();
  const needed = Math.max(
    engineMemoryNeeded(engine, forwardSizes),
    recording ? engineMemoryNeeded(engine, backwardSizes) : 0,
  );
  if (!reserveEngineMemory(engine, needed)) return null;

  const loop = tf.customGrad((...flat: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = flat[flat.length - 1] as tf.GradSaveFunc;
    const inputs = flat.slice(0, -1) as tf.Tensor[];
    const lead = inputs.slice(0, leadCount);
    const initialStates = inputs.slice(leadCount, leadCount + S);
    const parameters = inputs.slice(leadCount + S, leadCount + S + parameterCount);
    const mask = hasMask ? inputs[leadCount + S + parameterCount] : null;

    const { addresses, heap } = layoutEngineMemory(engine, forwardSizes);
    const [pProjection, pMask, pActive, pStates, pSaved, pGates, pX, pKernel, pBias, ...pParameters] = addresses;
    // With a mask, each step computes only the batch rows up to its last unmasked one.
    const active = mask == null ? null : activeRows(floatView(mask), time, batch);
    if (active != null) new Int32Array(engine.memory.buffer, pActive, time).set(active);
    if (fused) {
      heap.set(floatView(lead[0]), floatIndex(pX));
      heap.set(floatView(lead[1]), floatIndex(pKernel));
      if (hasBias) heap.set(floatView(lead[2]), floatIndex(pBias));
      engineFunction(engine, 'projectSequence')(
        time,
        batch,
        features,
        P,
        pX,
        reverse,
        pKernel,
        hasBias ? pBias : 0,
        pProjection,
        active != null ? pActive : 0,
      );
    } else {
      heap.set(floatView(lead[0]), floatIndex(pProjection));
    }
    if (mask != null) heap.set(floatView(mask), floatIndex(pMask));
    initialStates.forEach((s, i) => heap.set(floatView(s), floatIndex(pStates) + i * (time + 1) * stepSize));
    parameters.forEach((p, i) => heap.set(floatView(p), floatIndex(pParameters[i])));
    d.forward(
      time,
      batch,
      units,
      pProjection,
      constant ? 0 : batch * P,
      hasMask ? pMask : 0,
      active != null ? pActive : 0,
      pStates,
      0,
      pSaved,
      recording ? batch * W : 0,
      pParameters[0],
      pParameters[1] ?? 0,
      pGates,
      d.activation,
      d.recurrentActivation,
    );
    const statesAt = floatIndex(pStates);
    let value: tf.Tensor4D;
    const firstStep = time + 1 - valueSteps; // state slot of the value's first step
    if (S === 1) {
      value = tensorFromEngine(heap, statesAt + firstStep * stepSize, [1, valueSteps, batch, units]) as tf.Tensor4D;
    } else {
      const out = new Float32Array(S * valueSteps * stepSize);
      for (let s = 0; s < S; s++) {
        const from = statesAt + (s * (time + 1) + firstStep) * stepSize;
        out.set(heap.subarray(from, from + valueSteps * stepSize), s * valueSteps * stepSize);
      }
      value = tf.tensor4d(out, [S, valueSteps, batch, units]);
    }
    // Engine memory is reused by other calls before the backward pass: the backward pass reads
    // the states (initial ones included, in the engine's layout) and the intermediates from
    // copies held by the gradient function, not from tensors saved on the tape (which would
    // copy them into the tfjs heap, clone them and copy them out again).
    const statesBlock = recording ? heap.slice(statesAt, statesAt + S * (time + 1) * stepSize) : null;
    const savedBlock = recording ? heap.slice(floatIndex(pSaved), floatIndex(pSaved) + time * batch * W) : null;
    if (recording) {
      // The fused projection's backward needs x and W again.
      const projectionInputs = fused ? lead.slice(0, 2) : [];
      save([...parameters, ...(mask == null ? [] : [mask]), ...projectionInputs]);
    }

    const gradFunc = (dy: tf.Tensor, savedTensors: tf.Tensor[]): tf.Tensor[] => {
      if (savedBlock == null || statesBlock == null) {
        throw new Error('runOnEngine: a gradient was asked of a run that was not recorded.');
      }
      const params = savedTensors.slice(0, parameterCount);
      const savedMask = hasMask ? savedTensors[parameterCount] : null;
      const [savedX, savedKernel] = savedTensors.slice(parameterCount + (hasMask ? 1 : 0));
      const { addresses: a, heap: h } = layoutEngineMemory(engine, backwardSizes);
      const [pDy, pStatesB, pSavedB, pMaskB, pActiveB, pDProjection, pDRecurrent, pCarry, pWork] = a;
      const [pXB, pKernelB, pDx, pDKernel, pDBias] = a.slice(9, 14);
      const pParams = a.slice(14, 14 + parameterCount);
      const pDParams = a.slice(14 + parameterCount);
      if (finalOnly) {
        // dy of the last step only: the earlier steps' output gradients are zero.
        const dyLast = floatView(dy);
        h.fill(0, floatIndex(pDy), floatIndex(pDy) + S * time * stepSize);
        for (let s = 0; s < S; s++) {
          h.set(dyLast.subarray(s * stepSize, (s + 1) * stepSize), floatIndex(pDy) + (s * time + time - 1) * stepSize);
        }
      } else {
        h.set(floatView(dy), floatIndex(pDy));
      }
      h.set(statesBlock, floatIndex(pStatesB));
      h.set(savedBlock, floatIndex(pSavedB));
      if (savedMask != null) h.set(floatView(savedMask), floatIndex(pMaskB));
      if (active != null) new Int32Array(engine.memory.buffer, pActiveB, time).set(active);
      params.forEach((p, i) => h.set(floatView(p), floatIndex(pParams[i])));
      d.backward(
        time,
        batch,
        units,
        pDy,
        hasMask ? pMaskB : 0,
        active != null ? pActiveB : 0,
        pStatesB,
        pSavedB,
        pParams[0],
        parameterCount > 1 ? 1 : 0,
        pDProjection,
        constant ? 1 : 0,
        pDRecurrent,
        pCarry,
        pDParams[0],
        pDParams[1] ?? 0,
        pWork,
        d.activation,
        d.recurrentActivation,
      );
      const tensorAt = (address: number, shape: number[]): tf.Tensor => tensorFromEngine(h, floatIndex(address), shape);
      let leadGrads: tf.Tensor[];
      if (fused) {
        h.set(floatView(savedX), floatIndex(pXB));
        h.set(floatView(savedKernel), floatIndex(pKernelB));
        engineFunction(engine, 'projectSequenceBackward')(
          time,
          batch,
          features,
          P,
          pXB,
          reverse,
          pKernelB,
          pDProjection,
          pDx,
          pDKernel,
          hasBias ? pDBias : 0,
          active != null ? pActiveB : 0,
        );
        leadGrads = [tensorAt(pDx, xShape), tensorAt(pDKernel, kernelShape)];
        if (hasBias) leadGrads.push(tensorAt(pDBias, [P]));
      } else {
        leadGrads = [tensorAt(pDProjection, projectionShape)];
      }
      const grads: tf.Tensor[] = [
        ...leadGrads,
        ...Array.from({ length: S }, (_, s) => tensorAt(pCarry + 4 * s * stepSize, [batch, units])),
        ...parameterShapes.map((shape, i) => tensorAt(pDParams[i], shape)),
      ];
      if (savedMask != null) grads.push(tf.zerosLike(savedMask));
      return grads;
    };
    return { value, gradFunc };
  });

  const lead: tf.Tensor[] =
    input == null ? [args.projection!] : [input.x, input.kernel, ...(input.bias == null ? [] : [input.bias])];
  const inputs: tf.Tensor[] = [...lead, ...args.initialStates, ...args.parameters];
  if (args.mask != null) inputs.push(args.mask);
  return loop(...inputs) as tf.Tensor4D;
}

/**
 * {@link iterateRecurrence} on the engine: `steps` steps of a constant projection in one call,
 * with two state slots used in turn and no history, so memory does not depend on `steps`.
 * Returns null, having done nothing, when the engine's memory cannot hold the run.
 */
export function iterateOnEngine(
  kernel: StepEquations<unknown>,
  cell: EngineCell,
  projection: tf.Tensor2D,
  initialStates: tf.Tensor2D[],
  parameters: tf.Tensor[],
  steps: number,
): tf.Tensor2D[] | null {
  checkShapes(kernel, cell, { projection, input: null, initialStates, parameters, mask: null });
  const batch = initialStates[0].shape[0];
  const d = describe(kernel, cell, batch);
  const { units, stateCount: S } = d;
  const stepSize = batch * units;
  const engine = requireEngine();
  const sizes = [
    projection.size,
    S * 2 * stepSize,
    batch * d.savedWidth,
    batch * d.gatesWidth,
    ...parameters.map((p) => p.size),
  ];
  if (!reserveEngineMemory(engine, engineMemoryNeeded(engine, sizes))) return null;
  const { addresses, heap } = layoutEngineMemory(engine, sizes);
  const [pProjection, pStates, pSaved, pGates, ...pParameters] = addresses;
  heap.set(floatView(projection), floatIndex(pProjection));
  initialStates.forEach((s, i) => heap.set(floatView(s), floatIndex(pStates) + i * 2 * stepSize));
  parameters.forEach((p, i) => heap.set(floatView(p), floatIndex(pParameters[i])));
  d.forward(
    steps,
    batch,
    units,
    pProjection,
    0,
    0,
    0,
    pStates,
    1,
    pSaved,
    0,
    pParameters[0],
    pParameters[1] ?? 0,
    pGates,
    d.activation,
    d.recurrentActivation,
  );
  const last = steps & 1;
  return Array.from({ length: S }, (_, s) => {
    return tensorFromEngine(heap, floatIndex(pStates) + (2 * s + last) * stepSize, [batch, units]) as tf.Tensor2D;
  });
}
