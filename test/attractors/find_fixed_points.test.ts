import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NonFiniteError,
  ShapeError,
  doubleRNN,
  findFixedPoints,
  gru,
  lstm,
  type FixedPointAnalysis,
} from '../../src/index';
import { expectClose } from '../helpers';
import { sequences } from '../warmup/models';
import { BISTABLE, bistableCell, linearRnn, monostableGru } from './systems';

/** Runs `fn` and checks that it leaves neither tensors nor bytes behind. */
async function withoutLeaks<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory();
  const result = await fn();
  const after = tf.memory();
  expect(after.numTensors, 'tensors').toBe(before.numTensors);
  expect(after.numBytes, 'bytes').toBe(before.numBytes);
  return result;
}

const FAST = { maxIterations: 300, input: 'zero' as const };

function moduli(a: FixedPointAnalysis, p: number): number[] {
  return a.points[p].eigenvalues.map((e) => Math.hypot(e.re, e.im));
}

describe('findFixedPoints: analytic cases', () => {
  it('1-unit bistable cell: stable points at exactly ±½ and an unstable one at 0, with their eigenvalues', async () => {
    const layer = bistableCell();
    const grid = tf.tensor2d(Array.from({ length: 19 }, (_, i) => [-0.9 + 0.1 * i]));
    const a = await withoutLeaks(() => findFixedPoints(layer, { ...FAST, startingStates: grid }));
    expect(a.counts).toEqual({ stable: 2, unstable: 1, slow: 0, discarded: 0 });
    const stable = a.points
      .filter((p) => p.kind === 'stable')
      .map((p) => p.state[0])
      .sort((x, y) => x - y);
    expectClose(stable, [-BISTABLE.stable, BISTABLE.stable], 1e-5, 0, 'stable points');
    const unstable = a.points.find((p) => p.kind === 'unstable')!;
    expect(Math.abs(unstable.state[0])).toBeLessThan(1e-5);
    expect(unstable.eigenvalues[0].re).toBeCloseTo(BISTABLE.unstableEigenvalue, 4);
    expect(unstable.unstableModes).toBe(1);
    for (const p of a.points.filter((q) => q.kind === 'stable')) {
      expect(p.eigenvalues[0].re).toBeCloseTo(BISTABLE.stableEigenvalue, 4);
      expect(p.eigenvalues[0].im).toBe(0);
      expect(p.spectralRadius).toBeCloseTo(BISTABLE.stableEigenvalue, 4);
      expect(p.q).toBeLessThan(1e-10);
    }
    // Every start is accounted for; each side's starts end on that side's point.
    expect(a.points.reduce((s, p) => s + p.starts, 0)).toBe(19);
    a.pointOfStart.forEach((p, i) => {
      const h = a.points[p].state[0];
      const x0 = -0.9 + 0.1 * i;
      if (Math.abs(x0) > 0.35) expect(Math.sign(h)).toBe(Math.sign(x0));
    });
    expect(a.blocks).toEqual([{ layer: layer.name, state: 'h', offset: 0, size: 1 }]);
    grid.dispose();
  });

  it('linear recurrence (simpleRNN, linear): one fixed point h* = b(I − U)⁻¹ with the spectrum of U', async () => {
    // U has eigenvalues 0.9 and 0.3 ± 0.4i (|λ| = 0.5): stable.
    const u = [
      [0.3, 0.4, 0],
      [-0.4, 0.3, 0],
      [0, 0, 0.9],
    ];
    const b = [0.1, 0.2, 0.05];
    const layer = linearRnn(u, b);
    const start = tf.tensor2d([
      [0.5, -0.5, 0.2],
      [-0.3, 0.1, 0.9],
      [0, 0, 0],
      [0.8, 0.8, -0.8],
    ]);
    const a = await withoutLeaks(() => findFixedPoints(layer, { ...FAST, startingStates: start }));
    expect(a.points).toHaveLength(1);
    const p = a.points[0];
    expect(p.kind).toBe('stable');
    // h(I − U) = b, solved by hand: the 2×2 rotation block and the scalar.
    const m = [
      [0.7, -0.4],
      [0.4, 0.7],
    ]; // I − U restricted to the first two coordinates
    const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const h0 = (b[0] * m[1][1] - b[1] * m[1][0]) / det;
    const h1 = (b[1] * m[0][0] - b[0] * m[0][1]) / det;
    expectClose(p.state, [h0, h1, 0.05 / 0.1], 1e-4, 0, 'h*');
    expectClose(moduli(a, 0), [0.9, 0.5, 0.5], 1e-5, 0, '|λ|');
    expect(Math.abs(p.eigenvalues[1].im)).toBeCloseTo(0.4, 5);
    expect(p.eigenvalues[1].re).toBeCloseTo(0.3, 5);
    expect(p.starts).toBe(4);
    // The leading mode is the third coordinate (eigenvalue 0.9).
    expect(Math.abs(p.leadingModes[0].vectorRe[2])).toBeCloseTo(1, 5);
    start.dispose();
  });

  it('linear recurrence with one eigenvalue above 1: a saddle (unstable, one unstable mode)', async () => {
    const layer = linearRnn(
      [
        [1.2, 0],
        [0, 0.5],
      ],
      [0.02, 0.1],
    );
    const start = tf.tensor2d([
      [0.1, 0.1],
      [-0.2, 0.3],
    ]);
    const a = await withoutLeaks(() => findFixedPoints(layer, { ...FAST, startingStates: start }));
    expect(a.points).toHaveLength(1);
    expect(a.points[0].kind).toBe('unstable');
    expect(a.points[0].unstableModes).toBe(1);
    expectClose(a.points[0].state, [0.02 / -0.2, 0.1 / 0.5], 1e-4, 0, 'h*');
    expectClose(moduli(a, 0), [1.2, 0.5], 1e-5, 0, '|λ|');
    start.dispose();
  });

  it('monostable GRU: the one fixed point tanh(b_h) with Jacobian σ(b_z)·I, from every start', async () => {
    const layer = monostableGru([0, 1, -1], [0.3, -0.2, 0.6]);
    const start = tf.tensor2d([
      [0.9, -0.9, 0],
      [-0.5, 0.5, 0.5],
      [0.1, 0.2, -0.7],
      [-0.9, -0.9, -0.9],
      [0.6, 0, 0.3],
    ]);
    const a = await withoutLeaks(() => findFixedPoints(layer, { ...FAST, startingStates: start }));
    expect(a.counts).toEqual({ stable: 1, unstable: 0, slow: 0, discarded: 0 });
    expectClose(a.points[0].state, [0.3, -0.2, 0.6].map(Math.tanh), 1e-5, 0, 'h*');
    const sigma = (x: number) => 1 / (1 + Math.exp(-x));
    expectClose(
      moduli(a, 0),
      [1, 0, -1].map(sigma).sort((x, y) => y - x),
      1e-5,
      0,
      '|λ|',
    );
    expect(a.points[0].starts).toBe(5);
    start.dispose();
  });
});

describe('findFixedPoints: layers, models and starting states', () => {
  it('LSTM: the state is [h, c] (2·units), starting from states reached on sequences', async () => {
    const model = tf.sequential({ layers: [lstm({ units: 3, returnSequences: true, inputShape: [null, 2] })] });
    const x = sequences(6, 5, 3, 2);
    const a = await withoutLeaks(() =>
      findFixedPoints(model.layers[0], { inputs: x, maxIterations: 100, seed: 2, noise: 0.01 }),
    );
    expect(a.dimension).toBe(6);
    expect(a.blocks.map((b) => [b.state, b.offset, b.size])).toEqual([
      ['h', 0, 3],
      ['c', 3, 3],
    ]);
    expect(a.startingStates).toHaveLength(6 * 6);
    expect(a.input).toHaveLength(2);
    for (const p of a.points) expect(p.eigenvalues).toHaveLength(6);
    x.dispose();
  });

  it('a model: the whole recurrent stack; a double layer: both halves, or one half alone', async () => {
    const double = doubleRNN({ cell: 'gru', units: 4, returnSequences: true, inputShape: [null, 1] });
    const model = tf.sequential({ layers: [double, tf.layers.dense({ units: 2 }), gru({ units: 3 })] });
    const x = sequences(5, 4, 7);
    const whole = await withoutLeaks(() => findFixedPoints(model, { inputs: x, maxIterations: 50, seed: 1 }));
    expect(whole.dimension).toBe(7);
    expect(whole.blocks.map((b) => b.state)).toEqual(['h (first half)', 'h (second half)', 'h']);
    const half = await withoutLeaks(() =>
      findFixedPoints(double.first, { inputs: x, maxIterations: 50, seed: 1, input: [0.5] }),
    );
    expect(half.dimension).toBe(2);
    expect(Array.from(half.input)).toEqual([0.5]);
    // Same seed, same draws: the double layer alone starts where the model's stack starts.
    const layerOnly = await findFixedPoints(double, { inputs: x, maxIterations: 1, newtonSteps: 0, seed: 1 });
    expectClose(
      Array.from({ length: 5 }, (_, i) => Array.from(layerOnly.startingStates.subarray(i * 4, i * 4 + 4))).flat(),
      Array.from({ length: 5 }, (_, i) => Array.from(whole.startingStates.subarray(i * 7, i * 7 + 4))).flat(),
      1e-6,
      0,
    );
    x.dispose();
  });

  it('tfjs built-in layers through the adapter', async () => {
    const layer = tf.layers.gru({ units: 2, returnSequences: true });
    tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [null, 1] }), layer] });
    const x = sequences(4, 3, 1);
    const a = await withoutLeaks(() => findFixedPoints(layer, { inputs: x, maxIterations: 50, seed: 3 }));
    expect(a.dimension).toBe(2);
    x.dispose();
  });
});

describe('findFixedPoints: bad input', () => {
  it('throws typed errors before anything runs, and leaks nothing', async () => {
    const layer = bistableCell();
    const before = tf.memory();
    const start = tf.tensor2d([[0.1]]);
    const x = sequences(3, 4, 1);
    const cases: Array<[unknown, unknown, unknown]> = [
      [null, { startingStates: start }, InvalidArgumentError],
      [tf.layers.dense({ units: 2 }), { startingStates: start }, InvalidArgumentError],
      [gru({ units: 2 }), { startingStates: start }, InvalidArgumentError], // not built
      [layer, {}, InvalidArgumentError],
      [layer, { startingStates: start, inputs: x }, InvalidArgumentError],
      [layer, { startingStates: [[0.1]] }, InvalidArgumentError],
      [layer, { startingStates: start, stepz: 1 }, InvalidArgumentError],
      [layer, { startingStates: start, tolerance: -1 }, InvalidArgumentError],
      [layer, { startingStates: start, tolerance: 1e-4, slowTolerance: 1e-6 }, InvalidArgumentError],
      [layer, { startingStates: start, maxIterations: 1.5 }, InvalidArgumentError],
      [layer, { startingStates: start, input: 'ones' }, InvalidArgumentError],
      [layer, { startingStates: start, input: [NaN] }, InvalidArgumentError],
      [layer, { startingStates: start, input: [1, 2] }, ShapeError],
      [layer, { startingStates: start, samples: 2 }, InvalidArgumentError],
      [layer, { startingStates: tf.zeros([2, 3]) }, ShapeError],
      [layer, { startingStates: tf.tensor2d([[NaN]]) }, NonFiniteError],
      [layer, { inputs: x, samples: 4 }, InvalidArgumentError],
      [layer, { inputs: sequences(3, 4, 1, 2) }, ShapeError],
      [layer, { inputs: tf.zeros([3, 4]) }, ShapeError],
    ];
    const created = tf.memory().numTensors - before.numTensors;
    for (const [target, options, type] of cases) {
      await expect(findFixedPoints(target as never, options as never), JSON.stringify(options)).rejects.toThrow(
        type as never,
      );
    }
    // Only the tensors the cases themselves created are alive.
    expect(tf.memory().numTensors).toBe(before.numTensors + created);
    for (const [, options] of cases) {
      const o = options as { startingStates?: unknown; inputs?: unknown };
      for (const t of [o.startingStates, o.inputs])
        if (t instanceof tf.Tensor && t !== start && t !== x && !t.isDisposed) t.dispose();
    }
    start.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
