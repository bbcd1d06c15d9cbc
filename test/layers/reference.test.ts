import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { brc, gru, nbrc } from '../../src/index';
import type { FusedRNN } from '../../src/layers/fused_rnn';
import { expectClose, seededArray } from '../helpers';
import { referenceRun, type ReferenceCell, type ReferenceWeights } from './reference';

const batch = 2;
const time = 4;
const features = 3;
const units = 3;

function makeLayer(cell: ReferenceCell): FusedRNN {
  const args = { units, returnSequences: true };
  return cell === 'brc' ? brc(args) : cell === 'nbrc' ? nbrc(args) : gru(args);
}

function setup(cell: ReferenceCell) {
  const layer = makeLayer(cell);
  layer.build([batch, time, features]);
  const shapes = layer.getWeights().map((w) => w.shape);
  const arrays = shapes.map((s, i) =>
    seededArray(
      200 + i,
      s.reduce((a, b) => a * b, 1),
      0.9,
    ),
  );
  layer.setWeights(arrays.map((a, i) => tf.tensor(a, shapes[i])));
  const x = seededArray(300, batch * time * features, 1.2);
  const probe = seededArray(400, batch * time * units, 1);
  return { layer, arrays, shapes, x, probe };
}

function referenceOutputs(cell: ReferenceCell, arrays: Float32Array[], x: Float32Array): number[] {
  const w: ReferenceWeights = {
    kernel: Float64Array.from(arrays[0]),
    recurrentKernel: Float64Array.from(arrays[1]),
    bias: Float64Array.from(arrays[2]),
  };
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const seq = Array.from({ length: time }, (_, t) =>
      Array.from({ length: features }, (_, f) => x[(b * time + t) * features + f]),
    );
    for (const h of referenceRun(cell, w, seq, units)) out.push(...h);
  }
  return out;
}

function referenceLoss(
  cell: ReferenceCell,
  arrays: Float32Array[] | Float64Array[],
  x: Float32Array,
  probe: Float32Array,
): number {
  const out = referenceOutputs(cell, arrays as Float32Array[], x);
  return out.reduce((s, v, i) => s + v * probe[i], 0);
}

for (const cell of ['brc', 'nbrc', 'gru'] as const) {
  describe(`${cell} matches a float64 reference of the SPEC equations`, () => {
    it('outputs over a few steps', () => {
      const { layer, arrays, x } = setup(cell);
      const actual = tf.tidy(() => (layer.apply(tf.tensor3d(x, [batch, time, features])) as tf.Tensor).dataSync());
      expectClose(actual, referenceOutputs(cell, arrays, x), 1e-5, 1e-4);
    });

    it('weight gradients equal central finite differences of the reference', () => {
      const { layer, arrays, shapes, x, probe } = setup(cell);
      const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
      const analytic = tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            tf.sum(
              tf.mul(
                layer.apply(tf.tensor3d(x, [batch, time, features])) as tf.Tensor,
                tf.tensor3d(probe, [batch, time, units]),
              ),
            ) as tf.Scalar,
          variables,
        );
        return variables.map((v) => Array.from(grads[v.name].dataSync()));
      });
      const h = 1e-5;
      arrays.forEach((a, k) => {
        const numeric: number[] = [];
        for (let i = 0; i < a.length; i++) {
          const plus = arrays.map((w) => Float64Array.from(w));
          const minus = arrays.map((w) => Float64Array.from(w));
          plus[k][i] += h;
          minus[k][i] -= h;
          numeric.push((referenceLoss(cell, plus, x, probe) - referenceLoss(cell, minus, x, probe)) / (2 * h));
        }
        expectClose(analytic[k], numeric, 1e-4, 1e-3, `gradient of weight ${k} [${shapes[k]}]`);
      });
    });
  });
}
