import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, countAttractors, measureVaa, nbrc, warmup } from '../../src/index';
import { sequences } from '../warmup/models';
import { bistableCell } from './systems';

/** `count` states evenly from −0.9 to 0.9 (exactly 0 in the middle when count is odd). */
const grid = (count: number) =>
  tf.tensor2d(Array.from({ length: count }, (_, i) => [2 * i === count - 1 ? 0 : -0.9 + (1.8 * i) / (count - 1)]));

describe('countAttractors', () => {
  it('bistable cell: two basins, and the start on the unstable point is unresolved (VAA counts it as a third attractor)', async () => {
    const start = grid(19);
    const layer = bistableCell();
    const before = tf.memory();
    const count = await countAttractors(layer, {
      startingStates: start,
      input: 'zero',
      maxIterations: 300,
      horizon: 2000,
      recordPoints: 6,
    });
    expect(count.attractors).toBe(2);
    expect(count.basins.map((b) => b.fraction)).toEqual([9 / 19, 9 / 19]);
    expect(count.unresolved).toBeCloseTo(1 / 19, 12);
    expect(count.vaa * 19).toBeCloseTo(3, 9);
    const { times, states } = count.trajectories!;
    expect(times[0]).toBe(0);
    expect(times[times.length - 1]).toBe(2000);
    expect(states).toHaveLength(19 * times.length);
    for (let i = 0; i < 19; i++) expect(states[i * times.length]).toBeCloseTo(count.analysis.startingStates[i], 6);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    start.dispose();
  });

  it('near a saddle-node (a ghost): VAA at a short horizon over-counts; the slow point is reported, not counted', async () => {
    // b_h a little past the value where the negative stable point and the unstable one merge.
    const a = Math.log(3);
    const y = Math.acosh(Math.sqrt(a));
    const merge = -y + a * Math.tanh(y);
    const layer = bistableCell(merge + 3e-4);
    const start = grid(16);
    const options = { startingStates: start, input: 'zero' as const, maxIterations: 300 };
    const short = await countAttractors(layer, { ...options, horizon: 50 });
    const long = await countAttractors(layer, { ...options, horizon: 5000 });
    for (const c of [short, long]) {
      expect(c.attractors).toBe(1);
      expect(c.analysis.counts.stable).toBe(1);
      expect(c.analysis.counts.slow).toBe(1);
      const slow = c.analysis.points.find((p) => p.kind === 'slow')!;
      expect(slow.state[0]).toBeCloseTo(-Math.tanh(y), 2);
      expect(slow.q).toBeGreaterThan(1e-10);
      expect(slow.q).toBeLessThan(1e-6);
    }
    expect(short.vaa * 16).toBeGreaterThan(2); // trajectories still crossing the ghost look distinct
    expect(short.unresolved).toBeGreaterThan(0.3);
    expect(long.vaa * 16).toBeCloseTo(1, 9); // by 5 000 steps all have crossed
    expect(long.unresolved).toBe(0);
    start.dispose();
  });

  it('agrees with measureVaa at T = 10 000 on a warmed tiny model (same seed: same states, same input)', async () => {
    const model = tf.sequential({
      layers: [nbrc({ units: 4, returnSequences: true, inputShape: [null, 1] }), tf.layers.dense({ units: 1 })],
    });
    const x = sequences(16, 10, 11);
    await warmup(model, x, { steps: 15, batchSize: 8, seed: 3 });
    const before = tf.memory();
    const vaa = await measureVaa(model, x, { samples: 16, steps: 10000, seed: 5 });
    const count = await countAttractors(model, { inputs: x, samples: 16, horizon: 10000, seed: 5, maxIterations: 300 });
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    // The same trajectories: identical VAA.
    expect(count.vaa).toBe(vaa);
    // Sampling error as defined in docs/attractors.md: trajectories that did not end on a
    // stable point found (unresolved) may form ε-clusters of their own.
    const n = 16;
    expect(Math.abs(count.attractors - Math.round(vaa * n))).toBeLessThanOrEqual(Math.round(count.unresolved * n));
    expect(count.attractors).toBeGreaterThanOrEqual(1);
    x.dispose();
  });

  it('rejects bad options with typed errors before running', async () => {
    const layer = bistableCell();
    const start = grid(3);
    const before = tf.memory();
    for (const bad of [
      { horizon: 0 },
      { chunkSize: 2.5 },
      { epsilon: -1 },
      { basinTolerance: 'a' },
      { recordPoints: -1 },
      { horizen: 5 },
    ]) {
      await expect(
        countAttractors(layer, { startingStates: start, ...bad } as never),
        JSON.stringify(bad),
      ).rejects.toThrow(InvalidArgumentError);
    }
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    start.dispose();
  });
});
