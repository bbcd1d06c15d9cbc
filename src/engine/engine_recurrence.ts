import * as tf from '@tensorflow/tfjs-core';
import type { StepEquations } from '../recurrence/step_equations';
import { ACTIVATION_CODES, ENGINE_CELL_LAYOUTS, type EngineCell } from './engine_cell';
import { loadedEngine, type EngineExports } from './engine_loader';
import { ShapeError } from '../errors';
import { layoutEngineMemory } from './engine_memory';

/** What {@link runOnEngine} needs (the checked arguments of `runRecurrence`). */
export interface EngineRunArgs {
  projection: tf.Tensor;
  time: number;
  initialStates: tf.Tensor2D[];
  parameters: tf.Tensor[];
  mask: tf.Tensor3D | null;
}

type EngineFunction = (...args: number[]) => void;

function engineFunction(engine: EngineExports, name: string): EngineFunction {
  return engine[name] as EngineFunction;
}

function floatsOf(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
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
  projection: tf.Tensor,
  initialStates: readonly tf.Tensor[],
  parameters: readonly tf.Tensor[],
  mask: tf.Tensor | null,
): void {
  const { units, projectionWidth, stateCount } = kernel;
  const batch = initialStates[0]?.shape[0];
  const fail = (what: string): never => {
    throw new ShapeError(`${kernel.name} recurrence: ${what}.`);
  };
  if (initialStates.length !== stateCount) fail(`expects ${stateCount} initial state(s), got ${initialStates.length}`);
  const time = projection.rank === 3 ? projection.shape[0] : null;
  const expected = time == null ? [batch, projectionWidth] : [time, batch, projectionWidth];
  if (projection.shape.join() !== expected.join()) {
    fail(`projection must have shape [${expected}], got [${projection.shape}]`);
  }
  initialStates.forEach((s, i) => {
    if (s.shape.join() !== [batch, units].join())
      fail(`initial state ${i} must have shape [${batch}, ${units}], got [${s.shape}]`);
  });
  const layout = ENGINE_CELL_LAYOUTS[cell.kind];
  const shapes = layout.parameters(units);
  if (parameters.length < layout.requiredParameters || parameters.length > shapes.length) {
    fail(`expects ${layout.requiredParameters}–${shapes.length} recurrent parameter(s), got ${parameters.length}`);
  }
  parameters.forEach((p, i) => {
    if (p.shape.join() !== shapes[i].join()) fail(`parameter ${i} must have shape [${shapes[i]}], got [${p.shape}]`);
  });
  if (mask != null && (time == null || mask.shape.join() !== [time, batch, 1].join())) {
    fail(`mask must have shape [${time}, ${batch}, 1], got [${mask.shape}]`);
  }
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
 * call each. Inputs are read once, outputs created once; the intermediates the backward pass
 * needs are handed to `save()` as one tensor, so tfjs owns their lifetime.
 */
export function runOnEngine(kernel: StepEquations<unknown>, cell: EngineCell, args: EngineRunArgs): tf.Tensor4D {
  const { time } = args;
  checkShapes(kernel, cell, args.projection, args.initialStates, args.parameters, args.mask);
  const constant = args.projection.rank === 2;
  const batch = args.initialStates[0].shape[0];
  const d = describe(kernel, cell, batch);
  const { units, stateCount: S, projectionWidth: P, savedWidth: W } = d;
  const stepSize = batch * units;
  const parameterCount = args.parameters.length;
  const hasMask = args.mask != null;
  const parameterShapes = args.parameters.map((p) => p.shape);
  const projectionShape = args.projection.shape;
  // Without a gradient tape (inference, predict) nothing is saved for a backward pass: the
  // intermediates then use one step's scratch instead of memory for every step.
  const state = tf.engine().state;
  const recording = state.gradientDepth > 0 && state.kernelDepth === 0;

  const loop = tf.customGrad((...flat: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = flat[flat.length - 1] as tf.GradSaveFunc;
    const inputs = flat.slice(0, -1) as tf.Tensor[];
    const projection = inputs[0];
    const initialStates = inputs.slice(1, 1 + S);
    const parameters = inputs.slice(1 + S, 1 + S + parameterCount);
    const mask = hasMask ? inputs[1 + S + parameterCount] : null;

    const engine = requireEngine();
    const { addresses, heap } = layoutEngineMemory(engine, [
      projection.size,
      hasMask ? time * batch : 0,
      S * (time + 1) * stepSize,
      (recording ? time : 1) * batch * W,
      batch * d.gatesWidth,
      ...parameters.map((p) => p.size),
    ]);
    const [pProjection, pMask, pStates, pSaved, pGates, ...pParameters] = addresses;
    heap.set(floatsOf(projection), pProjection >> 2);
    if (mask != null) heap.set(floatsOf(mask), pMask >> 2);
    initialStates.forEach((s, i) => heap.set(floatsOf(s), (pStates >> 2) + i * (time + 1) * stepSize));
    parameters.forEach((p, i) => heap.set(floatsOf(p), pParameters[i] >> 2));
    d.forward(
      time,
      batch,
      units,
      pProjection,
      constant ? 0 : batch * P,
      hasMask ? pMask : 0,
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
    let value: tf.Tensor4D;
    if (S === 1) {
      value = tensorFromEngine(heap, (pStates >> 2) + stepSize, [1, time, batch, units]) as tf.Tensor4D;
    } else {
      const out = new Float32Array(S * time * stepSize);
      for (let s = 0; s < S; s++) {
        const from = (pStates >> 2) + (s * (time + 1) + 1) * stepSize;
        out.set(heap.subarray(from, from + time * stepSize), s * time * stepSize);
      }
      value = tf.tensor4d(out, [S, time, batch, units]);
    }
    if (recording) {
      const saved = tensorFromEngine(heap, pSaved >> 2, [time, batch, W]);
      save([value, saved, ...initialStates, ...parameters, ...(mask == null ? [] : [mask])]);
    }

    const gradFunc = (dy: tf.Tensor, savedTensors: tf.Tensor[]): tf.Tensor[] => {
      const [states, savedBlock, ...rest] = savedTensors;
      const initial = rest.slice(0, S);
      const params = rest.slice(S, S + parameterCount);
      const savedMask = hasMask ? rest[S + parameterCount] : null;
      const e = requireEngine();
      const { addresses: a, heap: h } = layoutEngineMemory(e, [
        dy.size,
        S * (time + 1) * stepSize,
        time * batch * W,
        hasMask ? time * batch : 0,
        constant ? batch * P : time * batch * P,
        time * batch * d.recurrentWidth,
        S * stepSize,
        (2 * S + 1) * stepSize + batch * P,
        ...params.map((p) => p.size),
        ...params.map((p) => p.size),
      ]);
      const [pDy, pStatesB, pSavedB, pMaskB, pDProjection, pDRecurrent, pCarry, pWork] = a;
      const pParams = a.slice(8, 8 + parameterCount);
      const pDParams = a.slice(8 + parameterCount);
      h.set(floatsOf(dy), pDy >> 2);
      const stateData = floatsOf(states);
      for (let s = 0; s < S; s++) {
        const base = (pStatesB >> 2) + s * (time + 1) * stepSize;
        h.set(floatsOf(initial[s]), base);
        h.set(stateData.subarray(s * time * stepSize, (s + 1) * time * stepSize), base + stepSize);
      }
      h.set(floatsOf(savedBlock), pSavedB >> 2);
      if (savedMask != null) h.set(floatsOf(savedMask), pMaskB >> 2);
      params.forEach((p, i) => h.set(floatsOf(p), pParams[i] >> 2));
      d.backward(
        time,
        batch,
        units,
        pDy,
        hasMask ? pMaskB : 0,
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
      const tensorAt = (address: number, shape: number[]): tf.Tensor => tensorFromEngine(h, address >> 2, shape);
      const grads: tf.Tensor[] = [
        tensorAt(pDProjection, projectionShape),
        ...Array.from({ length: S }, (_, s) => tensorAt(pCarry + 4 * s * stepSize, [batch, units])),
        ...parameterShapes.map((shape, i) => tensorAt(pDParams[i], shape)),
      ];
      if (savedMask != null) grads.push(tf.zerosLike(savedMask));
      return grads;
    };
    return { value, gradFunc };
  });

  const inputs: tf.Tensor[] = [args.projection, ...args.initialStates, ...args.parameters];
  if (args.mask != null) inputs.push(args.mask);
  return loop(...inputs) as tf.Tensor4D;
}

/**
 * {@link iterateRecurrence} on the engine: `steps` steps of a constant projection in one call,
 * with two state slots used in turn and no history, so memory does not depend on `steps`.
 */
export function iterateOnEngine(
  kernel: StepEquations<unknown>,
  cell: EngineCell,
  projection: tf.Tensor2D,
  initialStates: tf.Tensor2D[],
  parameters: tf.Tensor[],
  steps: number,
): tf.Tensor2D[] {
  checkShapes(kernel, cell, projection, initialStates, parameters, null);
  const batch = initialStates[0].shape[0];
  const d = describe(kernel, cell, batch);
  const { units, stateCount: S } = d;
  const stepSize = batch * units;
  const engine = requireEngine();
  const { addresses, heap } = layoutEngineMemory(engine, [
    projection.size,
    S * 2 * stepSize,
    batch * d.savedWidth,
    batch * d.gatesWidth,
    ...parameters.map((p) => p.size),
  ]);
  const [pProjection, pStates, pSaved, pGates, ...pParameters] = addresses;
  heap.set(floatsOf(projection), pProjection >> 2);
  initialStates.forEach((s, i) => heap.set(floatsOf(s), (pStates >> 2) + i * 2 * stepSize));
  parameters.forEach((p, i) => heap.set(floatsOf(p), pParameters[i] >> 2));
  d.forward(
    steps,
    batch,
    units,
    pProjection,
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
    return tensorFromEngine(heap, (pStates >> 2) + (2 * s + last) * stepSize, [batch, units]) as tf.Tensor2D;
  });
}
