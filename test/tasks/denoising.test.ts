import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { denoising } from '../../src/tasks';
import { expectNoLeaks } from '../helpers';

interface Decoded {
  noise: number[][];
  marker: number[][];
  targets: number[][];
}

function decode(data: ReturnType<typeof denoising>): Decoded {
  const [samples, length] = data.inputs.shape;
  const marked = data.targets.shape[1];
  const x = data.inputs.dataSync();
  const y = data.targets.dataSync();
  const out: Decoded = { noise: [], marker: [], targets: [] };
  for (let i = 0; i < samples; i++) {
    const noise: number[] = [];
    const marker: number[] = [];
    for (let t = 0; t < length; t++) {
      noise.push(x[(i * length + t) * 2]);
      marker.push(x[(i * length + t) * 2 + 1]);
    }
    out.noise.push(noise);
    out.marker.push(marker);
    out.targets.push(Array.from(y.subarray(i * marked, (i + 1) * marked)));
  }
  return out;
}

describe('denoising', () => {
  it('has the documented shapes and dtypes', async () => {
    await expectNoLeaks(() => {
      const { inputs, targets } = denoising({ samples: 3, length: 30, seed: 1 });
      expect(inputs.shape).toEqual([3, 30, 2]);
      expect(inputs.dtype).toBe('float32');
      expect(targets.shape).toEqual([3, 5]);
      expect(targets.dtype).toBe('float32');
      return [inputs, targets];
    });
  });

  for (const [length, pad, marked] of [
    [40, 5, 5],
    [12, 5, 5],
    [30, 8, 3],
    [10, 1, 1],
  ] as const) {
    it(`marks, the −1 marker and the targets are right (L=${length}, pad=${pad}, marked=${marked})`, () => {
      const data = denoising({ samples: 200, length, pad, marked, seed: 2 });
      const { noise, marker, targets } = decode(data);
      tf.dispose(data);
      for (let i = 0; i < 200; i++) {
        const ones = marker[i].flatMap((m, t) => (m === 1 ? [t] : []));
        const minusOnes = marker[i].flatMap((m, t) => (m === -1 ? [t] : []));
        expect(ones.length).toBe(marked); // distinct positions
        for (const t of ones) expect(t >= 0 && t < length - pad).toBe(true);
        expect(minusOnes).toEqual([length - marked]);
        expect(marker[i].every((m) => m === 0 || m === 1 || m === -1)).toBe(true);
        expect(targets[i]).toEqual(ones.map((t) => noise[i][t])); // time order
      }
    });
  }

  it('with the defaults, −1 is at L − 5 (SPEC §7) and marks cover [0, L − 5)', () => {
    const data = denoising({ samples: 500, length: 15, seed: 3 });
    const { marker } = decode(data);
    tf.dispose(data);
    const used = new Set<number>();
    for (const m of marker) {
      expect(m[10]).toBe(-1);
      m.forEach((v, t) => v === 1 && used.add(t));
    }
    expect([...used].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is reproducible; noise does not depend on pad / marked or on the sample count', () => {
    const generate = (o: Parameters<typeof denoising>[0]) => {
      const data = denoising(o);
      const decoded = decode(data);
      tf.dispose(data);
      return decoded;
    };
    const a = generate({ samples: 5, length: 20, seed: 4 });
    const b = generate({ samples: 5, length: 20, seed: 4 });
    const c = generate({ samples: 5, length: 20, seed: 5 });
    const d = generate({ samples: 8, length: 20, pad: 6, marked: 2, seed: 4 });
    expect(a).toEqual(b);
    expect(a.noise).not.toEqual(c.noise);
    expect(a.marker).not.toEqual(c.marker);
    expect(d.noise.slice(0, 5)).toEqual(a.noise);
  });

  it('noise is roughly N(0, 1)', () => {
    const data = denoising({ samples: 1000, length: 20, seed: 6 });
    const { noise } = decode(data);
    tf.dispose(data);
    const flat = noise.flat();
    const mean = flat.reduce((s, v) => s + v, 0) / flat.length;
    const variance = flat.reduce((s, v) => s + (v - mean) ** 2, 0) / flat.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });

  it('targets fit the documented per-step read-out model', async () => {
    const L = 12;
    const data = denoising({ samples: 4, length: L, seed: 7 });
    const model = tf.sequential({
      layers: [
        tf.layers.simpleRNN({ units: 3, returnSequences: true, inputShape: [L, 2] }),
        tf.layers.dense({ units: 1 }),
        tf.layers.reshape({ targetShape: [L, 1, 1] }),
        tf.layers.cropping2D({
          cropping: [
            [L - 5, 0],
            [0, 0],
          ],
        }),
        tf.layers.reshape({ targetShape: [5] }),
      ],
    });
    const prediction = model.predict(data.inputs) as tf.Tensor;
    expect(prediction.shape).toEqual(data.targets.shape);
    tf.dispose([prediction, data.inputs, data.targets]);
    model.dispose();
  });

  it('validates every option', () => {
    const ok = { samples: 2, length: 20, seed: 1 };
    expect(() => denoising({ ...ok, samples: 0 })).toThrow(/option 'samples' must be an integer >= 1, received 0/);
    expect(() => denoising({ ...ok, length: '20' as never })).toThrow(
      /option 'length' must be an integer >= 1, received "20"/,
    );
    expect(() => denoising({ ...ok, marked: 0 })).toThrow(/option 'marked' must be an integer >= 1, received 0/);
    expect(() => denoising({ ...ok, pad: -1 })).toThrow(/option 'pad' must be an integer >= 0, received -1/);
    expect(() => denoising({ ...ok, pad: 4 })).toThrow(/option 'pad' must be >= 'marked' \(5\).*received pad=4/);
    expect(() => denoising({ ...ok, length: 9 })).toThrow(
      /option 'length' must be >= pad \+ marked = 10.*received length=9/,
    );
    expect(() => denoising({ ...ok, seed: [] as never })).toThrow(
      /option 'seed' must be a safe integer or a string, received an array/,
    );
    expect(() => denoising({ ...ok, noise: 1 } as never)).toThrow(/unknown option 'noise'/);
    expect(() => denoising({ samples: 1 } as never)).toThrow(/option 'length' is required/);
  });
});
