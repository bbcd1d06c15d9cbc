import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, doubleRNN, lstm, measureVaa, nbrc } from '../../src/index';
import { expectSameMemory, memoryCount } from '../helpers';
import { sequences, stackedModel } from '../warmup/models';

describe('measureVaa', () => {
  it('freshly initialised 2-layer GRU and LSTM are monostable: VAA = 1/n on copy-first-input sequences', async () => {
    for (const kind of ['gru', 'lstm'] as const) {
      const model = stackedModel(kind, 6);
      const x = sequences(16, 12, 1);
      const v = await measureVaa(model, x, { samples: 16, steps: 1000, seed: 1 });
      expect(v, kind).toBeCloseTo(1 / 16, 6);
      x.dispose();
    }
  });

  it('does not depend on the chunk size and leaks no tensors', async () => {
    const model = stackedModel('nbrc', 5);
    const x = sequences(12, 8, 3);
    const before = memoryCount();
    const a = await measureVaa(model, x, { samples: 12, steps: 120, seed: 9, chunkSize: 7, details: true });
    const b = await measureVaa(model, x, { samples: 12, steps: 120, seed: 9, chunkSize: 120, details: true });
    expectSameMemory(before);
    expect(b.vaa).toBe(a.vaa);
    expect(b.perLayer).toEqual(a.perLayer);
    expect(a.samples).toBe(12);
    expect(a.steps).toBe(120);
    x.dispose();
  });

  it('works on double layers and tfjs built-in layers: values, not only names', async () => {
    const model = tf.sequential({
      layers: [
        doubleRNN({ cell: 'lstm', units: 4, returnSequences: true, inputShape: [null, 1] }),
        tf.layers.dense({ units: 3 }),
        tf.layers.gru({ units: 3 }),
      ],
    });
    const x = sequences(8, 5, 4);
    // Freshly initialised: every layer and the whole stack monostable, VAA = 1/n exactly.
    const fresh = await measureVaa(model, x, { samples: 8, steps: 200, seed: 1, details: true });
    expect(fresh.perLayer.map((p) => p.layer)).toEqual([model.layers[0].name, model.layers[2].name]);
    for (const p of fresh.perLayer) expect(p.vaa, p.layer).toBeCloseTo(1 / 8, 7);
    expect(fresh.vaa).toBeCloseTo(1 / 8, 7);
    // Make the built-in GRU bistable per unit: update gate shut (hardSigmoid(−10) = 0), candidate
    // h' = tanh(6h + x·W): each unit settles on ±1 by the sign of its state, so the stack reaches
    // several attractors.
    const gruLayer = model.layers[2];
    tf.tidy(() => {
      const [kernel] = gruLayer.getWeights();
      const r = tf.concat([tf.zeros([3, 6]), tf.mul(tf.eye(3), 6)], 1);
      const b = tf.concat([tf.fill([3], -10), tf.fill([3], 10), tf.zeros([3])]);
      gruLayer.setWeights([tf.mul(kernel, 0.1), r, b]);
    });
    const bistable = await measureVaa(model, x, { samples: 8, steps: 200, seed: 1, details: true });
    const [first, second] = bistable.perLayer.map((p) => p.vaa);
    expect(first).toBeCloseTo(1 / 8, 7); // the double layer did not change
    expect(second).toBeGreaterThan(1 / 8);
    // Concatenated states split clusters further: the stack's VAA is at least each layer's.
    expect(bistable.vaa).toBeGreaterThanOrEqual(Math.max(first, second));
    expect(second).toBeLessThanOrEqual(1);
    x.dispose();
  });

  it('validates its arguments', async () => {
    const model = stackedModel('gru', 3);
    const x = sequences(8, 5, 5);
    await expect(measureVaa(model, x, { samples: 9 })).rejects.toThrow(
      /samples 9 is larger than the number of input sequences \(8\)/,
    );
    await expect(measureVaa(model, x, { steps: 0 })).rejects.toThrow(/'steps' must be an integer >= 1/);
    await expect(measureVaa(model, x, { stpes: 1 } as never)).rejects.toThrow(InvalidArgumentError);
    await expect(measureVaa(model, x, { epsilon: -1 })).rejects.toThrow(/'epsilon' must be a positive finite number/);
    const conv = tf.sequential({
      layers: [
        nbrc({ units: 3, returnSequences: true, inputShape: [6, 1] }),
        tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same' }),
        lstm({ units: 3 }),
      ],
    });
    await expect(measureVaa(conv, sequences(4, 6, 1))).rejects.toThrow(/does not act on each time step independently/);
    x.dispose();
  });
});
