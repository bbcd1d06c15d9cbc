import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, doubleRNN, lstm, measureVaa, nbrc } from '../../src/index';
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
    const before = tf.memory().numTensors;
    const a = await measureVaa(model, x, { samples: 12, steps: 120, seed: 9, chunkSize: 7, details: true });
    const b = await measureVaa(model, x, { samples: 12, steps: 120, seed: 9, chunkSize: 120, details: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(b.vaa).toBe(a.vaa);
    expect(b.perLayer).toEqual(a.perLayer);
    expect(a.samples).toBe(12);
    expect(a.steps).toBe(120);
    x.dispose();
  });

  it('works on double layers and tfjs built-in layers', async () => {
    const model = tf.sequential({
      layers: [
        doubleRNN({ cell: 'lstm', units: 4, returnSequences: true, inputShape: [null, 1] }),
        tf.layers.dense({ units: 3 }),
        tf.layers.gru({ units: 3 }),
      ],
    });
    const x = sequences(8, 5, 4);
    const v = await measureVaa(model, x, { samples: 8, steps: 40, seed: 1, details: true });
    expect(v.perLayer.map((p) => p.layer)).toEqual([model.layers[0].name, model.layers[2].name]);
    x.dispose();
  });

  it('validates its arguments', async () => {
    const model = stackedModel('gru', 3);
    const x = sequences(8, 5, 5);
    await expect(measureVaa(model, x, { samples: 9 })).rejects.toThrow(/samples 9 is larger than the number of input sequences \(8\)/);
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
