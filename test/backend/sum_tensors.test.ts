import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MAX_ADDN_INPUTS, sumTensors } from '../../src/backend/tfjs_quirks';

describe('sumTensors', () => {
  it('sums any number of same-shape tensors', () => {
    for (const count of [1, 2, MAX_ADDN_INPUTS, MAX_ADDN_INPUTS + 1, 50]) {
      const terms = Array.from({ length: count }, (_, i) => tf.fill([2, 3], i + 1));
      const sum = tf.tidy(() => sumTensors(terms));
      expect(sum.shape).toEqual([2, 3]);
      expect(Array.from(sum.dataSync()), `count ${count}`).toEqual(new Array(6).fill((count * (count + 1)) / 2));
      tf.dispose([...terms, sum]);
    }
  });

  it('never runs an AddN kernel with more than MAX_ADDN_INPUTS inputs (webgpu binding limit)', async () => {
    const terms = Array.from({ length: 200 }, () => tf.ones([4]));
    let result: tf.Tensor | undefined;
    const info = await tf.profile(() => {
      result = tf.tidy(() => sumTensors(terms));
      return result;
    });
    const addN = info.kernels.filter((k) => k.name === 'AddN');
    expect(addN.length).toBeGreaterThan(1);
    expect(Math.max(...addN.map((k) => k.inputShapes.length))).toBeLessThanOrEqual(MAX_ADDN_INPUTS);
    expect(result?.dataSync()[0]).toBe(200);
    tf.dispose([...terms, ...(result ? [result] : [])]);
  });

  it('rejects an empty list', () => {
    expect(() => sumTensors([])).toThrow(/no tensors/);
  });
});
