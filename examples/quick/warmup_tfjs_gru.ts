/**
 * Warmup on a model you already have, built from tfjs's own `tf.layers.gru`: no need to switch
 * to this library's layers. Call `warmup` once, after building and before `fit`.
 *
 * Run: npm run build && npx tsx examples/quick/warmup_tfjs_gru.ts
 */
import * as tf from '@tensorflow/tfjs';
import { warmup } from 'tfjs-warmup-rnn';
import { copyFirstInput } from 'tfjs-warmup-rnn/tasks';

const length = 30;
const { inputs, targets } = copyFirstInput({ samples: 64, length, seed: 1 });

const model = tf.sequential({
  layers: [
    tf.layers.gru({ units: 16, returnSequences: true, inputShape: [length, 1] }),
    tf.layers.gru({ units: 8 }),
    tf.layers.dense({ units: 1 }),
  ],
});

// Label-free: only the inputs are used. The paper's defaults are 100 steps of batch 32;
// 60 steps of 16 sequences, T ≤ 50, keep this example quick.
const report = await warmup(model, inputs, {
  steps: 60,
  stabilisationMax: 50,
  batchSize: 16,
  seed: 1,
  onStep: (info) => {
    if (info.step % 20 === 0)
      console.log(`step ${info.step}: T = ${info.stabilisationSteps}, VAA* = ${info.vaaStar.map((v) => v.toFixed(2))}`);
  },
});
console.log(`warmed ${report.layers.join(', ')} in ${(report.durationMs / 1000).toFixed(1)} s`);
// tfjs's GRU variant (reset before, hard sigmoid) warms up less reliably than this library's
// `gru` (see docs/results.md): judge warmup over several seeds, never one.
console.log(
  `VAA* per layer: ${report.vaaStarBefore.map((v) => v.toFixed(3))} -> ${report.vaaStarAfter.map((v) => v.toFixed(3))}`,
);

// Then train as usual.
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
const history = await model.fit(inputs, targets, { epochs: 2, batchSize: 32, verbose: 0 });
console.log(`training loss after 2 epochs: ${(history.history.loss.at(-1) as number).toFixed(3)}`);
tf.dispose([inputs, targets]);
model.dispose();
