/**
 * The engine's fused input projection: `runRecurrence` given the layer's input sequence and
 * projection weights (`input`) instead of a formed projection. The engine then forms
 * `x·W + b` and its gradients (dX, dW, db) inside its own calls; the op path forms them with
 * tfjs ops. Both must agree in values and in every gradient (x, W, b, initial states,
 * recurrent parameters), with masks, goBackwards and without a bias; leave no tensor behind;
 * and a run the engine's memory cannot hold must take the op path instead of failing.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { engineStatus } from '../../src/engine/engine_loader';
import { setEngineMemoryLimitForTests } from '../../src/engine/engine_memory';
import { iterateRecurrence, runRecurrence } from '../../src/recurrence/run_recurrence';
import { gru, lstm } from '../../src/index';
import { expectClose, seededArray } from '../helpers';
import { memoryCount, expectSameMemory } from '../helpers/leaks';
import { engineKernelCases, expectEngineMatchesOps, runOn } from './compare';

const kernels = (units: number) => engineKernelCases(units);
/** The engine's kernel case called `name` (see engineKernelCases). */
function kernelCase(units: number, name: string) {
  const c = kernels(units).find((k) => k.name === name);
  if (c == null) throw new Error(`no kernel case ${name}`);
  return c;
}

afterEach(() => setEngineMemoryLimitForTests());

describe('fused projection: engine vs tfjs-op path (values and gradients of x, W, b, states, parameters)', () => {
  const variants = [
    { features: 3, bias: true, reverse: false },
    { features: 3, bias: true, reverse: true },
    { features: 1, bias: false, reverse: false },
    { features: 9, bias: false, reverse: true },
  ];
  for (const input of variants) {
    const label = `${input.features} features, ${input.bias ? 'bias' : 'no bias'}${input.reverse ? ', reversed' : ''}`;
    it(label, () => {
      for (const units of [1, 5, 8]) {
        for (const c of kernels(units)) {
          expectEngineMatchesOps({ ...c, time: 7, batch: 3, input, seed: 11 }, `${c.name}, ${units} units, ${label}`);
        }
      }
    });
  }
  it('masks with holes, goBackwards', () => {
    for (const c of kernels(5)) {
      for (const reverse of [false, true]) {
        const input = { features: 4, bias: true, reverse };
        expectEngineMatchesOps({ ...c, time: 9, batch: 4, holes: 0.4, input, seed: 12 }, `${c.name}, mask, ${reverse}`);
      }
    }
  });
  it('length 1 and batch 1', () => {
    for (const c of kernels(4)) {
      const input = { features: 2, bias: true, reverse: true };
      expectEngineMatchesOps({ ...c, time: 1, batch: 2, input, seed: 13 }, `${c.name}, length 1`);
      expectEngineMatchesOps({ ...c, time: 5, batch: 1, input, seed: 13 }, `${c.name}, batch 1`);
    }
  });
});

describe('fused projection: tensors and memory', () => {
  it('leaks no tensor (count and bytes), forward and backward', () => {
    const c = kernelCase(6, 'LSTM');
    const input = { features: 3, bias: true, reverse: true };
    runOn('auto', { ...c, time: 5, batch: 2, input }); // first call may create backend state
    const before = memoryCount();
    const outcome = runOn('auto', { ...c, time: 5, batch: 2, input });
    expect(outcome.path).toBe('engine');
    expectSameMemory(before, 'fused projection');
  });

  it('a run the engine memory cannot hold takes the op path (no 4 GiB allocated)', () => {
    const c = kernelCase(5, 'GRU reset-after + recurrent bias');
    const input = { features: 3, bias: true, reverse: false };
    const small = { ...c, time: 6, batch: 2, input, seed: 14 };
    expect(runOn('auto', small).path).toBe('engine');
    // The limit stands in for the 4 GiB of a 32-bit WebAssembly memory: a run needing more
    // than the memory already holds must decline before anything runs, and the op path run it.
    const grown = engineStatus().memoryBytes;
    setEngineMemoryLimitForTests(grown);
    expect(runOn('auto', small).path, 'a run that fits still uses the engine').toBe('engine');
    const large = { ...small, time: 80, batch: 48 };
    const fellBack = runOn('auto', large);
    expect(fellBack.path, 'a run past the limit takes the op path').toBe('ops');
    expect(engineStatus().memoryBytes, 'memory did not grow').toBe(grown);
    const ops = runOn('ops', large);
    expectClose(fellBack.value, ops.value, 0, 0, 'same as the op path');
    fellBack.grads.forEach((g, i) => expectClose(g, ops.grads[i], 0, 0, `gradient ${i}`));

    // iterateRecurrence (constant input, no gradient) declines the same way.
    const before = memoryCount();
    const batch = 20_000;
    const projection = tf.tensor2d(seededArray(1, batch * 15, 1), [batch, 15]);
    const h = tf.tensor2d(seededArray(2, batch * 5, 0.5), [batch, 5]);
    const w = tf.tensor2d(seededArray(3, 5 * 15, 0.5), [5, 15]);
    const final = iterateRecurrence(c.kernel, projection, [h], [w], 3);
    expect(engineStatus().lastPath).toBe('ops');
    expect(engineStatus().memoryBytes).toBe(grown);
    tf.dispose([...final, projection, h, w]);
    expectSameMemory(before, 'iterate fallback');
  });
});

describe('fused projection in the layers', () => {
  it('GRU and LSTM layers run the engine with no projection product around it', async () => {
    for (const make of [() => gru({ units: 4, returnSequences: true }), () => lstm({ units: 4, goBackwards: true })]) {
      const layer = make();
      const x = tf.tensor3d(seededArray(3, 2 * 5 * 3, 1), [2, 5, 3]);
      tf.dispose(layer.apply(x) as tf.Tensor); // builds
      const info = await tf.profile(() => {
        tf.dispose(layer.apply(x) as tf.Tensor);
      });
      expect(engineStatus().lastPath).toBe('engine');
      const names = info.kernels.map((k) => k.name);
      expect(names.filter((n) => /MatMul|Reverse/.test(n))).toEqual([]);
      x.dispose();
      layer.dispose();
    }
  });
});
describe('runRecurrence arguments', () => {
  it('needs exactly one of projection and input', () => {
    const c = kernelCase(2, 'simpleRNN');
    const h = tf.zeros([1, 2]) as tf.Tensor2D;
    const w = tf.zeros([2, 2]);
    expect(() => runRecurrence(c.kernel, { initialStates: [h], parameters: [w] })).toThrow(/exactly one/);
    tf.dispose([h, w]);
  });
});
