/**
 * Project `no-union`: runs WITHOUT test/setup/backend.ts, importing only
 * tfjs-core, tfjs-layers and the cpu backend, the way a user of the
 * peer-dependency packages (no `@tensorflow/tfjs` union) would. Chained ops
 * (`tensor.flatten()`, ...) must therefore be absent, and our layers must not
 * rely on them.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  // Silence the cpu backend's one-time "install tfjs-node" banner.
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof backend.firstUse === 'boolean') backend.firstUse = false;
});

describe('no-union environment', () => {
  it('does not load the @tensorflow/tfjs union package', () => {
    const require = createRequire(import.meta.url);
    const cache = (require('node:module') as { _cache: Record<string, unknown> })._cache;
    const loaded = Object.keys(cache);
    // Sanity: the CJS cache does see the tfjs packages we did import.
    expect(loaded.some((p) => p.includes('/@tensorflow/tfjs-core/'))).toBe(true);
    const union = loaded.filter((p) => /[\\/]@tensorflow[\\/]tfjs[\\/]/.test(p));
    expect(union, 'union package modules were loaded').toEqual([]);
    expect(loaded.some((p) => p.includes('/@tensorflow/tfjs-backend-webgl/'))).toBe(false);
    expect(loaded.some((p) => p.includes('/@tensorflow/tfjs-backend-wasm/'))).toBe(false);
  });

  it('has no chained ops registered', () => {
    const t = tf.zeros([1]);
    expect(typeof (t as unknown as { flatten?: unknown }).flatten).not.toBe('function');
    expect(typeof (t as unknown as { add?: unknown }).add).not.toBe('function');
    t.dispose();
  });

  it('runs on the cpu backend', () => {
    expect(tf.getBackend()).toBe('cpu');
  });

  it('our four layers build with default initializers, predict, fit and save/load without the union package', async () => {
    const { brc, gru, lstm, nbrc } = await import('../src/index');
    for (const make of [brc, nbrc, gru, lstm]) {
      const model = tfl.sequential({
        layers: [
          make({ units: 4, returnSequences: true, inputShape: [5, 2] }),
          make({ units: 4, goBackwards: true }),
          tfl.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const x = tf.randomNormal([6, 5, 2]);
      const y = tf.randomNormal([6, 1]);
      const history = await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
      expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          saved = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      if (saved == null) throw new Error('nothing saved');
      const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved));
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      tf.dispose([x, y, a, b]);
      model.dispose();
      loaded.dispose();
    }
  });
});
