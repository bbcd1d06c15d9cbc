import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../../src/errors';
import { vaa, vaaAsync } from '../../src/multistability';
import { vaaInBlocks } from '../../src/multistability/vaa';
import { expectNoLeaks, mulberry32 } from '../helpers';
import { fround, vaaReference, type Matrix } from './reference';

const EPS = 1e-4;

/**
 * `sizes[c]` points around centre c. Centres are at least `10ε` apart; each point is within
 * `ε/4` of its centre (so any two points of a cluster are within ε/2).
 */
function clusters(sizes: number[], d: number, seed: number, scale = 0.5): Matrix {
  const rand = mulberry32(seed);
  const centres: Matrix = [];
  while (centres.length < sizes.length) {
    const c = Array.from({ length: d }, () => (rand() * 2 - 1) * scale);
    if (centres.every((o) => Math.hypot(...o.map((v, k) => v - c[k]!)) > 10 * EPS)) centres.push(c);
  }
  const points: Matrix = [];
  sizes.forEach((size, c) => {
    for (let p = 0; p < size; p++) {
      const offset = Array.from({ length: d }, () => rand() * 2 - 1);
      const norm = Math.hypot(...offset) || 1;
      const radius = (EPS / 4) * rand();
      points.push(centres[c]!.map((v, k) => v + (offset[k]! / norm) * radius));
    }
  });
  return points;
}

function vaaOf(states: Matrix, epsilon?: number): number {
  const x = tf.tensor2d(states);
  try {
    return vaa(x, epsilon);
  } finally {
    x.dispose();
  }
}

describe('vaa', () => {
  it('is k/n for k tight, well-separated clusters', () => {
    const sizes = [3, 1, 2, 4];
    const states = clusters(sizes, 3, 1);
    expect(vaaReference(fround(states))).toBeCloseTo(4 / 10, 12); // the fixture is what we think
    expect(vaaOf(states)).toBeCloseTo(4 / 10, 12);
  });

  it('is 1/n when all states are identical and 1 when all are far apart', () => {
    expect(vaaOf(Array.from({ length: 7 }, () => [0.3, -0.7, 0.1]))).toBeCloseTo(1 / 7, 12);
    expect(vaaOf(clusters([1, 1, 1, 1, 1], 2, 2))).toBe(1);
    expect(vaaOf([[0.25, 0.5]])).toBe(1);
  });

  it('counts points within ε/2 as one attractor and points 2ε apart as two', () => {
    expect(
      vaaOf([
        [0.5, 0.5],
        [0.5, 0.5 + EPS / 2],
      ]),
    ).toBe(0.5);
    expect(
      vaaOf([
        [0.5, 0.5],
        [0.5, 0.5 + 2 * EPS],
      ]),
    ).toBe(1);
  });

  it('follows the formula exactly when ε-balls overlap (not a clustering)', () => {
    // On a line at 0, 0.6ε, 1.2ε: neighbourhood sizes 2, 3, 2 → (1/2 + 1/3 + 1/2) / 3.
    const states = [[0], [0.6 * EPS], [1.2 * EPS]];
    expect(vaaOf(states)).toBeCloseTo(4 / 9, 12);
    expect(vaaOf(states)).toBeCloseTo(vaaReference(fround(states)), 12);
  });

  it('respects a custom epsilon', () => {
    const states = [
      [0, 0],
      [0.05, 0],
      [1, 1],
    ];
    expect(vaaOf(states, 0.1)).toBeCloseTo(2 / 3, 12);
    expect(vaaOf(states, 0.01)).toBe(1);
  });

  it('sees exact duplicates of unit-scale, high-dimensional states as one (no Gram-matrix error)', () => {
    const rand = mulberry32(7);
    const distinct: Matrix = Array.from({ length: 16 }, () => Array.from({ length: 64 }, () => (rand() * 2 - 1) * 3));
    const states = [...distinct, ...distinct.map((r) => r.slice())];
    expect(vaaOf(states)).toBeCloseTo(16 / 32, 12);
  });

  it('gives the same result when rows are processed in blocks', () => {
    const states = clusters([3, 1, 2, 4, 2], 5, 3);
    const x = tf.tensor2d(states);
    // Block sizes of 1, 3 (uneven last block) and all 12 rows.
    for (const rows of [1, 3, 12]) expect(vaaInBlocks(x, EPS, rows * 12 * 5)).toBeCloseTo(5 / 12, 12);
    x.dispose();
  });

  it('accepts int32 states', () => {
    const x = tf.tensor2d(
      [
        [0, 0],
        [0, 0],
        [1, 1],
      ],
      [3, 2],
      'int32',
    );
    expect(vaa(x)).toBeCloseTo(2 / 3, 12);
    x.dispose();
  });

  it('leaks no tensor and leaves its input alive', async () => {
    const x = tf.tensor2d(clusters([2, 3], 4, 4));
    await expectNoLeaks(() => {
      vaa(x);
    }, 'vaa');
    expect(x.isDisposed).toBe(false);
    const bad = tf.tensor2d([[NaN, 0]]);
    await expectNoLeaks(() => {
      expect(() => vaa(bad)).toThrow(NonFiniteError);
    }, 'vaa throwing NonFiniteError');
    tf.dispose([x, bad]);
  });
});

describe('vaa validation', () => {
  it('rejects a rank other than 2 with a ShapeError naming the rank', () => {
    const r1 = tf.tensor1d([1, 2, 3]);
    const r3 = tf.zeros([2, 3, 4]);
    expect(() => vaa(r1 as unknown as tf.Tensor2D)).toThrow(ShapeError);
    expect(() => vaa(r1 as unknown as tf.Tensor2D)).toThrow(/rank 1/);
    expect(() => vaa(r3 as unknown as tf.Tensor2D)).toThrow(/rank 3/);
    tf.dispose([r1, r3]);
  });

  it('rejects empty states with a ShapeError', () => {
    const noRows = tf.zeros([0, 3]) as tf.Tensor2D;
    const noCols = tf.zeros([3, 0]) as tf.Tensor2D;
    expect(() => vaa(noRows)).toThrow(ShapeError);
    expect(() => vaa(noRows)).toThrow(/n ≥ 1/);
    expect(() => vaa(noCols)).toThrow(ShapeError);
    tf.dispose([noRows, noCols]);
  });

  it('rejects an epsilon that is not a positive finite number', () => {
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    for (const bad of [0, -1e-4, NaN, Infinity, '1e-4', null]) {
      expect(() => vaa(x, bad as number), String(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => vaa(x, -1)).toThrow(/epsilon/);
    x.dispose();
  });

  it('rejects non-tensors and non-numeric tensors', () => {
    expect(() => vaa([[0, 1]] as unknown as tf.Tensor2D)).toThrow(InvalidArgumentError);
    const s = tf.tensor2d([['a', 'b']], [1, 2], 'string');
    expect(() => vaa(s)).toThrow(InvalidArgumentError);
    s.dispose();
  });

  it('rejects NaN and ±Infinity with a NonFiniteError', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = tf.tensor2d([
        [0, 0],
        [1, bad],
      ]);
      expect(() => vaa(x), String(bad)).toThrow(NonFiniteError);
      x.dispose();
    }
  });
});

describe('vaaAsync', () => {
  it('equals vaa, validates the same way, and leaks nothing (also when it rejects)', async () => {
    const x = tf.tensor2d(clusters([2, 3, 1], 5, 7));
    expect(await vaaAsync(x)).toBe(vaa(x));
    expect(await vaaAsync(x, 10)).toBe(vaa(x, 10));
    await expectNoLeaks(async () => {
      await vaaAsync(x);
    }, 'vaaAsync');
    expect(x.isDisposed).toBe(false);
    expect(() => vaaAsync(tf.zeros([2]) as unknown as tf.Tensor2D)).toThrow(ShapeError);
    expect(() => vaaAsync(x, 0)).toThrow(InvalidArgumentError);
    const bad = tf.tensor2d([
      [0, 0],
      [Infinity, 1],
    ]);
    await expectNoLeaks(async () => {
      await expect(vaaAsync(bad)).rejects.toThrow(NonFiniteError);
      await expect(vaaAsync(bad)).rejects.toThrow(/^vaaAsync: states contain NaN/);
    }, 'vaaAsync rejecting');
    tf.dispose([x, bad]);
  });
});
