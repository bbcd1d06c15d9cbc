/**
 * A functional model with double layers: each `doubleRNN` holds two independent halves of
 * `units / 2`; warmup trains only the first half (partial warmup), the second keeps its ordinary
 * initialisation, and with it the precision of a plain network.
 *
 * Run: npm run build && npx tsx examples/quick/double_rnn_partial_warmup.ts
 */
import * as tf from '@tensorflow/tfjs';
import { DoubleRNN, doubleRNN, warmup } from 'tfjs-warmup-rnn';
import { copyFirstInput } from 'tfjs-warmup-rnn/tasks';

const length = 20;
const { inputs, targets } = copyFirstInput({ samples: 64, length, seed: 3 });

const input = tf.input({ shape: [length, 1] });
const first = doubleRNN({ cell: 'gru', units: 16, returnSequences: true, name: 'double_1' });
const second = doubleRNN({ cell: 'gru', units: 16, name: 'double_2' });
const output = tf.layers.dense({ units: 1 }).apply(second.apply(first.apply(input))) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: output });

const snapshot = (layer: DoubleRNN) => ({
  first: layer.first.getWeights().map((w) => w.clone()),
  second: layer.second.getWeights().map((w) => w.clone()),
});
const changed = (a: tf.Tensor[], b: tf.Tensor[]) =>
  a.some((w, i) => w.dataSync().some((v, k) => v !== b[i].dataSync()[k]));
const before = snapshot(first);

const report = await warmup(model, inputs, { steps: 50, batchSize: 16, stabilisationMax: 50, seed: 1 });
console.log(
  `VAA* of the first halves: ${report.vaaStarBefore.map((v) => v.toFixed(3))} -> ${report.vaaStarAfter.map((v) => v.toFixed(3))}`,
);

const after = snapshot(first);
console.log(`double_1 first half changed by warmup:  ${changed(before.first, after.first)}`); // true
console.log(`double_1 second half changed by warmup: ${changed(before.second, after.second)}`); // false

model.compile({ optimizer: tf.train.adam(1e-2), loss: 'meanSquaredError' });
const history = await model.fit(inputs, targets, { epochs: 3, batchSize: 32, verbose: 0 });
console.log(`training loss: ${(history.history.loss as number[]).map((v) => v.toFixed(3)).join(' -> ')}`);
tf.dispose([inputs, targets, ...before.first, ...before.second, ...after.first, ...after.second]);
model.dispose();
