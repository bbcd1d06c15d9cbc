import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { brc, doubleRNN, gru, lstm, nbrc } from '../../src/index';
import { seededArray } from '../helpers';

export type Kind = 'gru' | 'lstm' | 'brc' | 'nbrc' | 'tfgru' | 'tflstm' | 'tfsimple';

/** A Sequential model: two recurrent layers of `units` and a dense head, inputs [null, features]. */
export function stackedModel(kind: Kind, units: number, features = 1): tf.Sequential {
  const make = (args: { units: number; returnSequences?: boolean; inputShape?: [null, number] }) => {
    switch (kind) {
      case 'gru':
        return gru(args);
      case 'lstm':
        return lstm(args);
      case 'brc':
        return brc(args);
      case 'nbrc':
        return nbrc(args);
      case 'tfgru':
        return tf.layers.gru(args);
      case 'tflstm':
        return tf.layers.lstm(args);
      case 'tfsimple':
        return tf.layers.simpleRNN(args);
    }
  };
  return tf.sequential({
    layers: [
      make({ units, returnSequences: true, inputShape: [null, features] }),
      make({ units }),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

/** Sets every weight of the model to deterministic values (so two models can be identical). */
export function setDeterministicWeights(model: tf.LayersModel, seed: number, scale = 0.5): void {
  tf.tidy(() => {
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(seededArray(seed + i, w.size, scale), w.shape)));
  });
}

/** Copies of all weight values, as plain arrays. */
export function weightValues(model: tf.LayersModel | tf.layers.Layer): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

/** `[n, time, 1]` standard-normal inputs (copy-first-input style). */
export function sequences(n: number, time: number, seed: number, features = 1): tf.Tensor3D {
  return tf.tensor3d(seededArray(seed, n * time * features, 1.7), [n, time, features]);
}

export { doubleRNN };

/** Asserts that two weight lists are equal bit for bit. */
export function expectSameWeights(a: Float32Array[], b: Float32Array[], label = ''): void {
  expect(a.length, label).toBe(b.length);
  a.forEach((w, i) => expect(Array.from(w), `${label} weight ${i}`).toEqual(Array.from(b[i])));
}

/** An optimizer whose update writes NaN into every variable it updates: the next loss is NaN. */
export function nanWritingOptimizer(): tf.Optimizer {
  const optimizer = tf.train.sgd(0.1);
  optimizer.applyGradients = (grads) => {
    for (const name of Object.keys(grads)) {
      const v = tf.engine().registeredVariables[name];
      tf.tidy(() => v.assign(tf.fill(v.shape, NaN)));
    }
  };
  return optimizer;
}
