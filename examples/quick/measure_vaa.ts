/**
 * `measureVaa` before and after warmup: the exact VAA ≈ (distinct attractors reached) / n of a
 * model's recurrent stack, from n of your sequences held under a constant random input for T
 * steps. 1/n means monostable (everything is forgotten); warmup aims to raise it.
 *
 * Run: npm run build && npx tsx examples/quick/measure_vaa.ts
 */
import * as tf from '@tensorflow/tfjs';
import { gru, measureVaa, warmup } from 'tfjs-warmup-rnn';
import { copyFirstInput } from 'tfjs-warmup-rnn/tasks';

const length = 20;
const { inputs, targets } = copyFirstInput({ samples: 64, length, seed: 5 });
const model = tf.sequential({
  layers: [
    gru({ units: 16, returnSequences: true, inputShape: [length, 1] }),
    gru({ units: 16 }),
    tf.layers.dense({ units: 1 }),
  ],
});

// n = 16 sequences; the same seed gives the same draws, so before and after are compared on
// the same trajectories. T = 50 is the longest horizon this short warmup trains for; the default
// T = 10 000 asks whether the states *stay* apart (here, 500 to keep the example quick).
const measure = (steps: number) => measureVaa(model, inputs, { samples: 16, steps, seed: 0 });
const before = [await measure(50), await measure(500)];

const report = await warmup(model, inputs, { steps: 50, batchSize: 16, stabilisationMax: 50, seed: 3 });
console.log(`VAA* per layer after warmup: ${report.vaaStarAfter.map((v) => v.toFixed(2))}`);

const after = await measureVaa(model, inputs, { samples: 16, steps: 50, seed: 0, details: true });
const after500 = await measure(500);
console.log(`VAA at T = 50:  ${before[0].toFixed(3)} -> ${after.vaa.toFixed(3)}   (1/n = ${(1 / 16).toFixed(3)})`);
for (const { layer, vaa } of after.perLayer) console.log(`  ${layer} alone: ${vaa.toFixed(3)}`);
console.log(`VAA at T = 500: ${before[1].toFixed(3)} -> ${after500.toFixed(3)}`);
// A short warmup can make states converge slowly rather than create lasting attractors:
// measure at the horizon your task needs (and over several seeds), not only at warmup's T.
tf.dispose([inputs, targets]);
model.dispose();
