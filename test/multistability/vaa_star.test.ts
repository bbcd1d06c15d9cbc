import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors';
import { vaaStar } from '../../src/multistability';
import { expectClose, expectNoLeaks, mulberry32 } from '../helpers';
import { distanceFromKink, fround, vaaStarGradientFD, vaaStarReference, type Matrix } from './reference';

const EPS = 1e-4;

function vaaStarOf(states: Matrix, epsilon?: number): number {
  const x = tf.tensor2d(states);
  const v = vaaStar(x, epsilon);
  const value = v.dataSync()[0]!;
  tf.dispose([x, v]);
  return value;
}

function gradientOf(states: Matrix, epsilon?: number): Float32Array {
  const x = tf.tensor2d(states);
  const g = tf.grad((s: tf.Tensor) => vaaStar(s as tf.Tensor2D, epsilon))(x);
  const values = g.dataSync() as Float32Array;
  tf.dispose([x, g]);
  return values;
}

function seeded(n: number, d: number, seed: number, scale: number): Matrix {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => (rand() * 2 - 1) * scale));
}

/**
 * Five points in 2-D around (0.3, −0.2): after tanh, pairs at ≈ 0.47ε (inside a ball),
 * ≈ 2.1ε … 3.7ε (the decaying part of C), and one far point.
 */
const NEAR_BOUNDARY: Matrix = fround([
  [0.3, -0.2],
  [0.3 + 3e-4, -0.2],
  [0.3, -0.2 + 2.5e-4],
  [0.3 + 0.4e-4, -0.2 + 0.3e-4],
  [-0.5, 0.7],
]);

describe('vaaStar values', () => {
  it('matches a float64 evaluation of the formula (points between ε and a few ε apart)', () => {
    expect(distanceFromKink(NEAR_BOUNDARY)).toBeGreaterThan(0.3);
    const expected = vaaStarReference(NEAR_BOUNDARY);
    expect(expected).toBeGreaterThan(0.3); // the configuration is not trivial: C ∈ (0, 1)
    expect(expected).toBeLessThan(0.9);
    expectClose([vaaStarOf(NEAR_BOUNDARY)], [expected], 0, 1e-4);
  });

  it('matches the float64 formula on small random and tiny-scale configurations', () => {
    const configs: Array<[Matrix, number]> = [
      [fround(seeded(4, 3, 11, 1)), EPS],
      [fround(seeded(6, 2, 12, 3e-4)), EPS], // distances of a few ε
      [fround(seeded(5, 3, 13, 0.05)), 0.02], // custom ε
      [fround([[0], [0.5 * EPS], [1.5 * EPS], [3 * EPS]]), EPS], // 1-D, overlapping balls
    ];
    for (const [states, eps] of configs) {
      expectClose([vaaStarOf(states, eps)], [vaaStarReference(states, eps)], 0, 2e-4);
    }
  });

  it('is 1/n when all states are identical', () => {
    for (const n of [1, 2, 5, 32]) {
      expect(vaaStarOf(Array.from({ length: n }, () => [0.4, -0.1, 2]))).toBeCloseTo(1 / n, 7);
    }
  });

  it('tends to 1 when all states are far apart', () => {
    const states = [
      [-3, -3],
      [-3, 3],
      [3, -3],
      [3, 3],
      [0, 0],
    ];
    const value = vaaStarOf(states);
    // Each distant pair still adds ≈ ε/d to the row sums, so the value is just below 1.
    expect(value).toBeLessThan(1);
    expect(value).toBeGreaterThan(1 - 5 * EPS);
    expectClose([value], [vaaStarReference(states)], 0, 1e-6);
  });

  it('propagates NaN and ±Infinity states to a NaN result', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(
        Number.isNaN(
          vaaStarOf([
            [0, 0],
            [1, bad],
          ]),
        ),
        String(bad),
      ).toBe(true);
    }
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
    const v = vaaStar(x);
    expectClose(
      v.dataSync(),
      [
        vaaStarReference([
          [0, 0],
          [0, 0],
          [1, 1],
        ]),
      ],
      0,
      1e-6,
    );
    tf.dispose([x, v]);
  });
});

describe('vaaStar gradients', () => {
  it('are finite (no NaN) with exact duplicates, including all-identical states', () => {
    const duplicates = [
      [0.1, 0.2],
      [0.1, 0.2],
      [0.1, 0.2 + 3 * EPS],
      [0.7, -0.4],
      [0.7, -0.4],
    ];
    const g = gradientOf(duplicates);
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    expect(Array.from(g).some((v) => v !== 0)).toBe(true);

    const identical = gradientOf(Array.from({ length: 4 }, () => [0.5, -0.5, 0]));
    // Every pair lies inside the ε-ball, where C is constant: the gradient is exactly 0.
    expect(Array.from(identical)).toEqual(new Array(12).fill(0));
  });

  it('match float64 finite differences near the ε boundary', () => {
    const g = gradientOf(NEAR_BOUNDARY);
    const fd = vaaStarGradientFD(NEAR_BOUNDARY);
    const scale = Math.max(...fd.map(Math.abs));
    expect(scale).toBeGreaterThan(10); // the gradient is large here: a meaningful check
    expectClose(g, fd, 1e-3 * scale, 1e-2);
  });

  it('match float64 finite differences for spread-out states', () => {
    const states = fround(seeded(4, 3, 21, 0.8));
    expect(distanceFromKink(states)).toBeGreaterThan(10);
    const g = gradientOf(states);
    const fd = vaaStarGradientFD(states, EPS, 1e-6);
    const scale = Math.max(...fd.map(Math.abs));
    expectClose(g, fd, 1e-3 * scale, 1e-2);
  });
});

describe('vaaStar memory', () => {
  it('leaks no tensor in a forward pass, a gradient or an optimiser step', async () => {
    const x = tf.tensor2d(NEAR_BOUNDARY);
    await expectNoLeaks(() => vaaStar(x), 'forward');
    expect(x.isDisposed).toBe(false);
    await expectNoLeaks(() => tf.grad((s: tf.Tensor) => vaaStar(s as tf.Tensor2D))(x), 'grad');
    const v = tf.variable(x);
    const optimizer = tf.train.sgd(1e-3);
    await expectNoLeaks(() => {
      optimizer.minimize(() => tf.square(tf.sub(vaaStar(v), 0.95)) as tf.Scalar);
    }, 'minimize');
    tf.dispose([x, v]);
    optimizer.dispose();
  });
});

describe('vaaStar validation', () => {
  it('rejects a rank other than 2 with a ShapeError naming the rank', () => {
    const r3 = tf.zeros([2, 3, 4]);
    expect(() => vaaStar(r3 as unknown as tf.Tensor2D)).toThrow(ShapeError);
    expect(() => vaaStar(r3 as unknown as tf.Tensor2D)).toThrow(/rank 3/);
    r3.dispose();
  });

  it('rejects empty states with a ShapeError', () => {
    const noRows = tf.zeros([0, 3]) as tf.Tensor2D;
    const noCols = tf.zeros([2, 0]) as tf.Tensor2D;
    expect(() => vaaStar(noRows)).toThrow(ShapeError);
    expect(() => vaaStar(noCols)).toThrow(ShapeError);
    tf.dispose([noRows, noCols]);
  });

  it('rejects an epsilon that is not a positive finite number', async () => {
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    await expectNoLeaks(() => {
      for (const bad of [0, -1e-4, NaN, Infinity, -Infinity, '1e-4', undefined as unknown]) {
        if (bad === undefined) continue; // undefined means "use the default"
        expect(() => vaaStar(x, bad as number), String(bad)).toThrow(InvalidArgumentError);
      }
    });
    x.dispose();
  });

  it('rejects non-tensors and non-numeric tensors', () => {
    expect(() => vaaStar({} as tf.Tensor2D)).toThrow(InvalidArgumentError);
    const s = tf.tensor2d([['a', 'b']], [1, 2], 'string');
    expect(() => vaaStar(s)).toThrow(InvalidArgumentError);
    s.dispose();
  });
});
