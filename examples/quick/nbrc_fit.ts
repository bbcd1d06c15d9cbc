/**
 * An nBRC network trained with `model.fit` on copy-first-input: the target, read at the last
 * step, is the sequence's first value. nBRC layers are ordinary `tf.layers.RNN` layers.
 *
 * Run: npm run build && npx tsx examples/quick/nbrc_fit.ts
 */
import * as tf from '@tensorflow/tfjs';
import { nbrc } from 'tfjs-warmup-rnn';
import { copyFirstInput } from 'tfjs-warmup-rnn/tasks';

const length = 20;
const train = copyFirstInput({ samples: 128, length, seed: 1 });
const test = copyFirstInput({ samples: 64, length, seed: 2 });

const model = tf.sequential({
  layers: [
    nbrc({ units: 16, returnSequences: true, inputShape: [length, 1] }),
    nbrc({ units: 16 }),
    tf.layers.dense({ units: 1 }),
  ],
});
model.compile({ optimizer: tf.train.adam(1e-2), loss: 'meanSquaredError' });

// Predicting 0 gives MSE ≈ 1: anything well below 1 has learned to remember x_1.
const before = model.evaluate(test.inputs, test.targets) as tf.Scalar;
console.log(`test MSE before training: ${(await before.data())[0].toFixed(3)}`);

await model.fit(train.inputs, train.targets, {
  epochs: 8,
  batchSize: 32,
  verbose: 0,
  callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs?.loss.toFixed(3)}`) },
});

const after = model.evaluate(test.inputs, test.targets) as tf.Scalar;
console.log(`test MSE after training:  ${(await after.data())[0].toFixed(3)}`);
tf.dispose([train, test, before, after]);
model.dispose();
