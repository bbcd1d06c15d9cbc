import { describe, it } from 'vitest';
import { RECURRENT_ACTIVATION_NAMES } from '../../src/recurrence/activation';
import { engineKernelCases, expectEngineMatchesOps, type RecurrenceCase } from './compare';

const kernels = engineKernelCases;

function check(c: RecurrenceCase & { name: string }, label: string): void {
  expectEngineMatchesOps(c, `${c.name}, ${label}`);
}

describe('engine vs tfjs-op path: every kernel', () => {
  for (const units of [1, 3, 4, 5, 8]) {
    it(`${units} units, batch 3, 7 steps`, () => {
      for (const c of kernels(units)) check({ ...c, time: 7, batch: 3 }, `${units} units`);
    });
  }
  it('length 1 and batch 1', () => {
    for (const c of kernels(5)) {
      check({ ...c, time: 1, batch: 2 }, 'length 1');
      check({ ...c, time: 5, batch: 1 }, 'batch 1');
      check({ ...c, time: 1, batch: 1 }, 'length 1, batch 1');
    }
  });
});

describe('engine vs tfjs-op path: activations', () => {
  for (const name of RECURRENT_ACTIVATION_NAMES) {
    it(`${name} as activation and as recurrentActivation`, () => {
      for (const c of kernels(5, name, 'sigmoid').slice(0, 5))
        check({ ...c, time: 6, batch: 3, seed: 3 }, `activation ${name}`);
      for (const c of kernels(5, 'tanh', name).slice(0, 4))
        check({ ...c, time: 6, batch: 3, seed: 4 }, `recurrentActivation ${name}`);
    });
  }
});

describe('engine vs tfjs-op path: masks and constant input', () => {
  it('mask with holes (state kept where 0)', () => {
    for (const c of kernels(5)) check({ ...c, time: 9, batch: 4, holes: 0.4, seed: 5 }, 'mask');
  });
  it('mask of all zeros and of all ones', () => {
    for (const c of kernels(3)) {
      check({ ...c, time: 4, batch: 2, holes: 1.1, seed: 6 }, 'all masked');
      check({ ...c, time: 4, batch: 2, holes: 0, seed: 6 }, 'none masked');
    }
  });
  it('final states only (finalOnly: a layer without returnSequences), with masks, fused input and constant input', () => {
    for (const c of kernels(5)) {
      check({ ...c, time: 9, batch: 4, holes: 0.4, seed: 11, finalOnly: true }, 'final only, mask');
      check(
        { ...c, time: 6, batch: 3, seed: 12, finalOnly: true, input: { features: 2, bias: true, reverse: true } },
        'final only, fused input',
      );
      check({ ...c, time: 8, batch: 3, constant: true, seed: 13, finalOnly: true }, 'final only, constant');
      check({ ...c, time: 1, batch: 1, seed: 14, finalOnly: true }, 'final only, length 1');
    }
  });
  it('constant projection for `steps` steps (gradient summed over steps)', () => {
    for (const c of kernels(5)) check({ ...c, time: 12, batch: 3, constant: true, seed: 7 }, 'constant');
  });
  // The op path takes ~20 s here alone and over a minute on a loaded machine.
  it('a differentiable 10 000-step constant-input run', { timeout: 240_000 }, () => {
    const c = kernels(3)[0];
    expectEngineMatchesOps({ ...c, time: 10_000, batch: 2, constant: true, seed: 8 }, `${c.name}, 10 000 steps`, 2e-4);
  });
});
