/**
 * Variable-length sequences (e.g. reinforcement-learning histories): `warmup` and `measureVaa`
 * take a list of `[time_i, features]` tensors of any lengths. Batches are right-padded with
 * zeros, and the random prefixes stay inside each sequence's true length.
 *
 * For training with `fit`, pad the sequences yourself and put a `masking` layer first, so the
 * recurrent layers skip the padded steps.
 *
 * Run: npm run build && npx tsx examples/quick/variable_length.ts
 */
import * as tf from '@tensorflow/tfjs';
import { brc, measureVaa, warmup } from 'tfjs-warmup-rnn';

const features = 2;
const lengths = Array.from({ length: 40 }, (_, i) => 5 + ((i * 7) % 26)); // 5 … 30 steps
const sequences = lengths.map((t, i) => tf.randomNormal([t, features], 0, 1, 'float32', i) as tf.Tensor2D);

const model = tf.sequential({
  layers: [
    tf.layers.masking({ maskValue: 0, inputShape: [null, features] }),
    brc({ units: 8, returnSequences: true }),
    brc({ units: 8 }),
    tf.layers.dense({ units: 1 }),
  ],
});

const vaaBefore = await measureVaa(model, sequences, { samples: 16, steps: 500, seed: 0 });
const report = await warmup(model, sequences, { steps: 30, batchSize: 16, stabilisationMax: 50, seed: 0 });
const vaaAfter = await measureVaa(model, sequences, { samples: 16, steps: 500, seed: 0 });
console.log(`${sequences.length} sequences of ${Math.min(...lengths)} to ${Math.max(...lengths)} steps`);
console.log(
  `VAA* per layer: ${report.vaaStarBefore.map((v) => v.toFixed(3))} -> ${report.vaaStarAfter.map((v) => v.toFixed(3))}`,
);
console.log(`VAA: ${vaaBefore.toFixed(3)} -> ${vaaAfter.toFixed(3)}`);

// Training: pad to one length (zeros after the end) and let the masking layer skip the padding.
const longest = Math.max(...lengths);
const padded = tf.stack(
  sequences.map((s) =>
    tf.pad(s, [
      [0, longest - s.shape[0]],
      [0, 0],
    ]),
  ),
);
const targets = tf.stack(sequences.map((s) => tf.reshape(tf.slice(s, [0, 0], [1, 1]), [1])));
model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
const history = await model.fit(padded, targets, { epochs: 2, batchSize: 16, verbose: 0 });
console.log(`training loss after 2 epochs: ${(history.history.loss.at(-1) as number).toFixed(3)}`);
tf.dispose([...sequences, padded, targets]);
model.dispose();
