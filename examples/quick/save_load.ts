/**
 * Save and load a model with this library's layers. Importing `tfjs-warmup-rnn` registers its
 * classes, so `tf.loadLayersModel` restores them (weights, options and all).
 *
 * In Node, `model.save('file://...')` needs `@tensorflow/tfjs-node`; without it, write the
 * artifacts yourself with `tf.io.withSaveHandler` (here: kept in memory, and written to JSON as
 * you could to a file) and load them with `tf.io.fromMemory`. In a browser, `'localstorage://'`
 * and `'indexeddb://'` URLs work as usual.
 *
 * Run: npm run build && npx tsx examples/quick/save_load.ts
 */
import * as tf from '@tensorflow/tfjs';
import { doubleRNN, lstm } from 'tfjs-warmup-rnn';

const model = tf.sequential({
  layers: [
    lstm({ units: 8, returnSequences: true, chrono: { tMax: 20 }, inputShape: [null, 3] }),
    doubleRNN({ cell: 'nbrc', units: 8 }),
    tf.layers.dense({ units: 2 }),
  ],
});

let saved: tf.io.ModelArtifacts | undefined;
await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);
if (saved?.weightData == null) throw new Error('nothing was saved');
console.log(
  `saved ${saved.weightSpecs?.length} weight tensors, ${JSON.stringify(saved.modelTopology).length} bytes of topology`,
);

const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
console.log(`loaded layers: ${loaded.layers.map((l) => l.getClassName()).join(', ')}`);

const x = tf.randomNormal([4, 10, 3], 0, 1, 'float32', 7);
const difference = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)));
console.log(`largest difference between the two models' outputs: ${(await difference.data())[0]}`); // 0
tf.dispose([x, difference]);
model.dispose();
loaded.dispose();
