import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { splitColumns, splitColumnsByTranspose, splitColumnsFromData } from '../../src/backend/tfjs_quirks';
import { expectNoLeaks } from '../helpers';

describe('splitColumns', () => {
  const cases: Array<[number, number[]]> = [
    [3, [4, 4, 4, 4]],
    [2, [6, 3]],
    [5, [2, 2]],
    [1, [1]],
    [4, [4, 6]],
    [3, [5, 3, 2]],
  ];

  it('equals tf.split on the active backend and through the transpose path, for equal and unequal blocks', () => {
    for (const [rows, sizes] of cases) {
      const width = sizes.reduce((a, b) => a + b, 0);
      const x = tf.tensor2d(
        Array.from({ length: rows * width }, (_, i) => i * 0.5 - 3),
        [rows, width],
      );
      const expected = tf.split(x, sizes, 1).map((t) => t.arraySync());
      const splits = [
        (m: tf.Tensor2D, s: number[]) => splitColumns(m, s, { differentiable: true }),
        (m: tf.Tensor2D, s: number[]) => splitColumns(m, s, { differentiable: false }),
        splitColumnsByTranspose,
        splitColumnsFromData,
      ];
      for (const split of splits) {
        const blocks = split(x, sizes);
        expect(blocks.map((b) => b.shape)).toEqual(sizes.map((size) => [rows, size]));
        expect(
          blocks.map((b) => b.arraySync()),
          `${rows}×[${sizes}]`,
        ).toEqual(expected);
        tf.dispose(blocks);
      }
      x.dispose();
    }
  });

  it('leaves only the blocks behind and rejects sizes that do not add up', async () => {
    const x = tf.ones([2, 9]) as tf.Tensor2D;
    await expectNoLeaks(() =>
      tf.tidy(() => {
        splitColumnsByTranspose(x, [6, 3]);
      }),
    );
    const before = tf.memory().numTensors;
    const blocks = splitColumnsByTranspose(x, [3, 3, 3]);
    expect(tf.memory().numTensors - before).toBe(3);
    tf.dispose(blocks);
    expect(() => splitColumnsByTranspose(x, [4, 4])).toThrow(/do not split 9 columns/);
    expect(() => splitColumnsFromData(x, [4, 4])).toThrow(/do not split 9 columns/);
    x.dispose();
  });
});
