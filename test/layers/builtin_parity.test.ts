import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { gru, lstm } from '../../src/index';
import type { FusedRNN } from '../../src/layers/fused_rnn';
import { expectClose, seededArray } from '../helpers';

/**
 * Our GRU (resetAfter: false) and LSTM against tf.layers.gru / tf.layers.lstm with equal
 * weights and equal arguments: outputs, final states and weight gradients.
 */
const batch = 3;
const time = 5;
const features = 2;
const units = 4;

type Builtin = tf.layers.Layer;
interface Variant {
  returnSequences: boolean;
  goBackwards: boolean;
  masked: boolean;
  recurrentActivation: 'hardSigmoid' | 'sigmoid';
}

const variants: Variant[] = [
  { returnSequences: false, goBackwards: false, masked: false, recurrentActivation: 'hardSigmoid' },
  { returnSequences: true, goBackwards: false, masked: false, recurrentActivation: 'hardSigmoid' },
  { returnSequences: true, goBackwards: true, masked: false, recurrentActivation: 'sigmoid' },
  { returnSequences: true, goBackwards: false, masked: true, recurrentActivation: 'sigmoid' },
  { returnSequences: false, goBackwards: true, masked: true, recurrentActivation: 'hardSigmoid' },
];

function inputs(): tf.Tensor3D {
  const x = seededArray(7, batch * time * features, 1.5);
  // Zero whole steps to exercise masking (sample 0: steps 1 and 4; sample 2: step 0).
  for (const [b, t] of [
    [0, 1],
    [0, 4],
    [2, 0],
  ]) {
    for (let f = 0; f < features; f++) x[(b * time + t) * features + f] = 0;
  }
  return tf.tensor3d(x, [batch, time, features]);
}

/** A model around layer (behind a Masking layer when masked) returning [output, ...states]. */
function modelOf(layer: Builtin | FusedRNN, masked: boolean): tf.LayersModel {
  const input = tf.input({ shape: [time, features] });
  const seq = masked ? tf.layers.masking({ maskValue: 0 }).apply(input) : input;
  const outputs = layer.apply(seq) as tf.SymbolicTensor[];
  return tf.model({ inputs: input, outputs });
}

function weightGradients(layer: Builtin | FusedRNN, x: tf.Tensor3D, masked: boolean): tf.Tensor[] {
  const probe = tf.tensor(seededArray(3, 1000, 1));
  const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => {
    const outs = (() => {
      const mask = masked ? tf.any(tf.notEqual(x, 0), -1) : undefined;
      const out = layer.apply(x, mask == null ? {} : { mask }) as tf.Tensor[];
      return out;
    })();
    let total = tf.scalar(0);
    for (const o of outs) {
      const w = tf.reshape(tf.slice(probe, 0, o.size), o.shape);
      total = tf.add(total, tf.sum(tf.mul(o, w)));
    }
    return total as tf.Scalar;
  }, variables);
  return variables.map((v) => grads[v.name]);
}

for (const kind of ['gru', 'lstm'] as const) {
  describe(`${kind} equals tf.layers.${kind} with equal weights`, () => {
    for (const v of variants) {
      const label = `returnSequences=${v.returnSequences} goBackwards=${v.goBackwards} masked=${v.masked} ${v.recurrentActivation}`;
      it(label, () => {
        tf.tidy(() => {
          const common = {
            units,
            returnSequences: v.returnSequences,
            returnState: true,
            goBackwards: v.goBackwards,
            recurrentActivation: v.recurrentActivation,
          };
          const builtin = kind === 'gru' ? tf.layers.gru(common) : tf.layers.lstm(common);
          const ours = kind === 'gru' ? gru({ ...common, resetAfter: false }) : lstm(common);
          const x = inputs();
          const builtinModel = modelOf(builtin, v.masked);
          const ourModel = modelOf(ours, v.masked);
          // Random (not initial) weights so every gate matters.
          ours.setWeights(builtin.getWeights().map((w, i) => tf.tensor(seededArray(100 + i, w.size, 0.7), w.shape)));
          builtin.setWeights(ours.getWeights());
          const expected = builtinModel.predict(x) as tf.Tensor[];
          const actual = ourModel.predict(x) as tf.Tensor[];
          actual.forEach((a, i) => expectClose(a.dataSync(), expected[i].dataSync(), 1e-5, 1e-4, `output ${i}`));
          const gExpected = weightGradients(builtin, x, v.masked);
          const gActual = weightGradients(ours, x, v.masked);
          gActual.forEach((g, i) => expectClose(g.dataSync(), gExpected[i].dataSync(), 1e-4, 1e-3, `gradient ${i}`));
        });
      });
    }
  });
}
