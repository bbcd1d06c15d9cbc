import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { engineStatus, getEngineMode, ready, setEngineMode } from '../../src/index';
import { getRecurrentActivation } from '../../src/recurrence/activation';
import { bistableKernel } from '../../src/recurrence/kernels/bistable';
import { gruResetAfterKernel } from '../../src/recurrence/kernels/gru_reset_after';
import { gruResetBeforeKernel } from '../../src/recurrence/kernels/gru_reset_before';
import { lstmKernel } from '../../src/recurrence/kernels/lstm';
import { simpleRnnKernel } from '../../src/recurrence/kernels/simple_rnn';
import type { StepEquations } from '../../src/recurrence/step_equations';
import { iterateRecurrence, runRecurrence } from '../../src/recurrence/run_recurrence';
import { ShapeError } from '../../src/errors';
import { expectClose, seededArray } from '../helpers';

const tanh = getRecurrentActivation('tanh', 'activation');
const sigmoid = getRecurrentActivation('sigmoid', 'recurrentActivation');
const k = <P>(kernel: StepEquations<P>) => kernel as StepEquations<unknown>;
const u = 5;
const kernels: Array<[string, StepEquations<unknown>, number[][]]> = [
  ['GRU reset-after', k(gruResetAfterKernel(u, tanh, sigmoid)), [[u, 3 * u], [3 * u]]],
  ['GRU reset-before', k(gruResetBeforeKernel(u, tanh, sigmoid)), [[u, 3 * u]]],
  ['LSTM', k(lstmKernel(u, tanh, sigmoid)), [[u, 4 * u]]],
  ['simpleRNN', k(simpleRnnKernel(u, tanh)), [[u, u]]],
  ['BRC', k(bistableKernel(u, 'diagonal')), [[2 * u]]],
  ['nBRC', k(bistableKernel(u, 'full')), [[u, 2 * u]]],
];

function tensors(kernel: StepEquations<unknown>, shapes: number[][], batch: number, seed = 1) {
  return {
    projection: tf.tensor2d(seededArray(seed, batch * kernel.projectionWidth, 1), [batch, kernel.projectionWidth]),
    initialStates: Array.from({ length: kernel.stateCount }, (_, i) =>
      tf.tensor2d(seededArray(seed + 1 + i, batch * u, 0.8), [batch, u]),
    ),
    parameters: shapes.map((s, i) =>
      tf.tensor(
        seededArray(
          seed + 5 + i,
          s.reduce((a, b) => a * b, 1),
          0.6,
        ),
        s,
      ),
    ),
  };
}

function iterate(
  mode: 'auto' | 'ops',
  kernel: StepEquations<unknown>,
  shapes: number[][],
  steps: number,
): Float32Array[] {
  setEngineMode(mode);
  try {
    const t = tensors(kernel, shapes, 3);
    const finals = iterateRecurrence(kernel, t.projection, t.initialStates, t.parameters, steps);
    const out = finals.map((f) => Float32Array.from(f.dataSync()));
    tf.dispose([t.projection, ...t.initialStates, ...t.parameters, ...finals]);
    return out;
  } finally {
    setEngineMode('auto');
  }
}

describe('the engine is loaded and used', () => {
  it('ready() resolves to a ready engine on this backend, and the counters say which path ran', async () => {
    const status = await ready();
    expect(status.state).toBe('ready');
    expect(getEngineMode()).toBe('auto');
    const [, kernel, shapes] = kernels[0];
    const t = tensors(kernel, shapes, 2);
    const before = engineStatus().calls;
    tf.dispose(runRecurrence(kernel, { ...t, steps: 3 }));
    expect(engineStatus().calls.engine).toBe(before.engine + 1);
    expect(engineStatus().lastPath).toBe('engine');
    setEngineMode('ops');
    tf.dispose(runRecurrence(kernel, { ...t, steps: 3 }));
    setEngineMode('auto');
    expect(engineStatus().calls.ops).toBe(before.ops + 1);
    expect(engineStatus().lastPath).toBe('ops');
    expect(() => setEngineMode('fast' as 'auto')).toThrow(/'auto' or 'ops'/);
    tf.dispose([t.projection, ...t.initialStates, ...t.parameters]);
  });
});

describe('constant-input iteration (no gradient) on the engine', () => {
  for (const [name, kernel, shapes] of kernels) {
    it(`${name}: 300 steps match the op path`, () => {
      const engine = iterate('auto', kernel, shapes, 300);
      const ops = iterate('ops', kernel, shapes, 300);
      engine.forEach((s, i) => expectClose(s, ops[i], 1e-4, 1e-4, `${name} state ${i}`));
    });
  }
  for (const [name, kernel, shapes] of [kernels[0], kernels[2]]) {
    it(`${name}: 10 000 steps match the op path`, () => {
      const engine = iterate('auto', kernel, shapes, 10_000);
      expect(engineStatus().lastPath).toBe('engine');
      const ops = iterate('ops', kernel, shapes, 10_000);
      engine.forEach((s, i) => expectClose(s, ops[i], 1e-4, 1e-4, `${name} state ${i}`));
    });
  }
  it('an odd and an even number of steps, and one step', () => {
    const [, kernel, shapes] = kernels[2];
    for (const steps of [1, 2, 7]) {
      const engine = iterate('auto', kernel, shapes, steps);
      const ops = iterate('ops', kernel, shapes, steps);
      engine.forEach((s, i) => expectClose(s, ops[i], 1e-5, 1e-5, `${steps} steps, state ${i}`));
    }
  });
});

describe('shape checks before the engine reads memory', () => {
  it('mismatched inputs get a ShapeError and leave no tensor behind', () => {
    const [, kernel, shapes] = kernels[0];
    const t = tensors(kernel, shapes, 2);
    const before = tf.memory().numTensors;
    const wrongBatch = tf.zeros([3, u]) as tf.Tensor2D;
    const wrongParameter = tf.zeros([u, 2 * u]);
    const wrongMask = tf.ones([3, 2, 1]) as tf.Tensor3D;
    const sequence = tf.zeros([4, 2, kernel.projectionWidth]);
    const cases: Array<() => unknown> = [
      () => runRecurrence(kernel, { ...t, steps: 3, initialStates: [wrongBatch] }),
      () => runRecurrence(kernel, { ...t, steps: 3, parameters: [wrongParameter] }),
      () => runRecurrence(kernel, { ...t, projection: sequence, mask: wrongMask }),
      () => iterateRecurrence(kernel, t.projection, [wrongBatch], t.parameters, 5),
    ];
    for (const run of cases) expect(run).toThrow(ShapeError);
    expect(engineStatus().lastPath).toBe('engine');
    tf.dispose([wrongBatch, wrongParameter, wrongMask, sequence]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t.projection, ...t.initialStates, ...t.parameters]);
  });
});

describe('engine memory and tensors', () => {
  it('leaks no tensor (count and bytes) forward, backward and iterating', () => {
    for (const [, kernel, shapes] of kernels) {
      const t = tensors(kernel, shapes, 2);
      const sequence = tf.tensor3d(seededArray(9, 4 * 2 * kernel.projectionWidth, 1), [4, 2, kernel.projectionWidth]);
      const mask = tf.tensor3d([1, 0, 1, 1, 0, 1, 1, 1], [4, 2, 1]);
      const before = tf.memory();
      tf.dispose(runRecurrence(kernel, { ...t, projection: sequence, mask }));
      tf.dispose(
        tf.grads((p: tf.Tensor, ...ps: tf.Tensor[]) =>
          tf.sum(runRecurrence(kernel, { projection: p, initialStates: t.initialStates, parameters: ps, mask })),
        )([sequence, ...t.parameters]),
      );
      tf.dispose(iterateRecurrence(kernel, t.projection, t.initialStates, t.parameters, 20));
      tf.dispose(
        tf.tidy(() =>
          tf.grads((p: tf.Tensor) => tf.sum(runRecurrence(kernel, { ...t, projection: p, steps: 5 })))([t.projection]),
        ),
      );
      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytes).toBe(before.numBytes);
      tf.dispose([t.projection, ...t.initialStates, ...t.parameters, sequence, mask]);
    }
  });

  it('does not grow its memory over 1 000 calls of the same size', () => {
    const [, kernel, shapes] = kernels[2];
    const t = tensors(kernel, shapes, 4);
    const sequence = tf.tensor3d(seededArray(9, 20 * 4 * kernel.projectionWidth, 1), [20, 4, kernel.projectionWidth]);
    const step = () =>
      tf.dispose(
        tf.grads((p: tf.Tensor, ...ps: tf.Tensor[]) =>
          tf.sum(runRecurrence(kernel, { projection: p, initialStates: t.initialStates, parameters: ps })),
        )([sequence, ...t.parameters]),
      );
    step();
    const memory = engineStatus().memoryBytes;
    const tensorsBefore = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) step();
    expect(engineStatus().memoryBytes).toBe(memory);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(engineStatus().lastPath).toBe('engine');
    tf.dispose([t.projection, ...t.initialStates, ...t.parameters, sequence]);
  });
});
