import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BlockOrthogonal, InvalidArgumentError, gru, ready, warmup, type WarmupStepInfo } from '../../src/index';
import { copyFirstInput } from '../../src/tasks/index';
import { backendName, expectSameMemory, memoryCount } from '../helpers';
import { sequences, stackedModel, weightValues } from './models';

const short = { steps: 3, batchSize: 8, stabilisationMax: 20, verdictHorizon: 50 };

/** An optimizer that never changes a weight: warmup then fails to change the model. */
function idleOptimizer(): tf.Optimizer {
  const optimizer = tf.train.sgd(0.1);
  optimizer.applyGradients = () => {};
  return optimizer;
}

/** Two seeded GRU layers of 8 units (monostable at initialisation, as the paper reports). */
function seededGru(): tf.Sequential {
  const init = (k: number) => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed: k }),
    recurrentInitializer: new BlockOrthogonal({ blockSize: 8, seed: k + 5 }),
  });
  return tf.sequential({
    layers: [
      gru({ units: 8, returnSequences: true, inputShape: [null, 1], ...init(1) }),
      gru({ units: 8, ...init(2) }),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

describe('warmup verdict', () => {
  it('a layer warmup fails to change (the other excluded through layers): not reached, not held, monostable, not ok', async () => {
    const model = seededGru();
    const x = sequences(16, 10, 3);
    const before = weightValues(model);
    const optimizer = idleOptimizer();
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 25,
      stabilisationMax: 100,
      optimizer,
      layers: [model.layers[1].name],
      verdictHorizon: 300,
      seed: 4,
    });
    expectSameMemory(memory);
    weightValues(model).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(before[i])));
    expect(report.ok).toBe(false);
    expect(report.verdictHorizon).toBe(300);
    expect(report.verdict).toHaveLength(1);
    const v = report.verdict[0];
    expect(v.layer).toBe(model.layers[1].name);
    expect(v.vaaStarAfter).toBe(v.vaaStarBefore);
    expect(v.vaaAfter).toBe(v.vaaBefore);
    expect(v.vaaAfter).toBeCloseTo(1 / 8, 6); // all 8 final states in one attractor
    expect(v).toMatchObject({ reached: false, held: false, multistable: false, ok: false });
    expect(v.recentMean).toBeCloseTo(report.history.slice(-10).reduce((s, h) => s + h.vaaStar[0], 0) / 10, 10);
    optimizer.dispose();
    x.dispose();
  });

  it('fields agree with the figures and onStep carries the same per-layer progress', async () => {
    const model = stackedModel('nbrc', 4);
    const x = sequences(12, 6, 2);
    const infos: WarmupStepInfo[] = [];
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 12,
      stabilisationIncrement: 2,
      seed: 3,
      onStep: (i) => {
        infos.push(i);
      },
    });
    expectSameMemory(memory);
    expect(report.history).toEqual(infos);
    const threshold = 0.95 - 0.15;
    for (const [k, info] of infos.entries()) {
      expect(info.perLayer.map((p) => p.layer)).toEqual(report.layers);
      info.perLayer.forEach((p, l) => {
        expect(p.vaaStar).toBe(info.vaaStar[l]);
        const window = infos.slice(Math.max(0, k - 9), k + 1).map((h) => h.vaaStar[l]);
        expect(p.recentMean).toBeCloseTo(window.reduce((s, v) => s + v, 0) / window.length, 10);
        // A 10-step running mean ending at or after step 10 (where T_max reaches its maximum).
        const means = infos.slice(0, k + 1).map((_, j) => {
          const w = infos.slice(Math.max(0, j - 9), j + 1).map((h) => h.vaaStar[l]);
          return w.reduce((s, v) => s + v, 0) / w.length;
        });
        expect(p.reached).toBe(means.some((m, j) => j >= 10 && m >= threshold));
      });
    }
    expect(report.verdict).toHaveLength(2);
    report.verdict.forEach((v) => {
      for (const vs of [v.vaaStarBefore, v.vaaStarAfter]) {
        expect(vs).toBeGreaterThan(0);
        expect(vs).toBeLessThanOrEqual(1);
      }
      expect(v.held).toBe(v.vaaStarAfter >= threshold);
      expect(v.multistable).toBe((v.vaaAfter as number) >= threshold);
      expect(v.ok).toBe(v.held && v.multistable === true);
      for (const vaa of [v.vaaBefore, v.vaaAfter]) {
        expect(vaa).toBeGreaterThanOrEqual(1 / 8 - 1e-9);
        expect(vaa).toBeLessThanOrEqual(1);
      }
    });
    expect(report.ok).toBe(report.verdict.every((v) => v.ok));
    expect(report.verdictMs).toBeGreaterThan(0);
    expect(report.restoredStep).toBeNull();
    x.dispose();
  });

  it('verdictHorizon 0 skips the long-horizon VAA; the verdict then judges VAA* alone', async () => {
    const model = stackedModel('gru', 4);
    const x = sequences(10, 5, 1);
    const report = await warmup(model, x, { ...short, seed: 1, verdictHorizon: 0 });
    expect(report.verdictHorizon).toBe(0);
    for (const v of report.verdict) {
      expect(v).toMatchObject({ vaaBefore: null, vaaAfter: null, multistable: null });
      expect(v.ok).toBe(v.held);
    }
    x.dispose();
  });

  it('verdictTolerance moves the threshold', async () => {
    const model = stackedModel('gru', 4);
    const x = sequences(10, 5, 1);
    const report = await warmup(model, x, { ...short, seed: 1, verdictHorizon: 0, verdictTolerance: 0.94 });
    // threshold 0.01 < 1/n: every layer holds it.
    expect(report.verdict.every((v) => v.held && v.ok)).toBe(true);
    expect(report.ok).toBe(true);
    x.dispose();
  });

  describe('validation of the new options, before any weight is touched', () => {
    const model = stackedModel('gru', 4);
    const x = sequences(10, 6, 1);
    const cases: Array<[string, object, RegExp]> = [
      ['restoreBest not a boolean', { restoreBest: 1 }, /'restoreBest' must be true or false, received 1/],
      ['negative verdictHorizon', { verdictHorizon: -1 }, /'verdictHorizon' must be an integer >= 0, received -1/],
      ['fractional verdictHorizon', { verdictHorizon: 2.5 }, /'verdictHorizon' must be an integer >= 0, received 2.5/],
      [
        'verdictTolerance not a number',
        { verdictTolerance: '0.1' },
        /'verdictTolerance' must be a finite number, received "0.1"/,
      ],
      [
        'negative verdictTolerance',
        { verdictTolerance: -0.1 },
        /'verdictTolerance' must be in \[0, target\) = \[0, 0.95\), received -0.1/,
      ],
      [
        'verdictTolerance ≥ target',
        { verdictTolerance: 0.5, target: 0.5 },
        /'verdictTolerance' must be in \[0, target\) = \[0, 0.5\), received 0.5/,
      ],
    ];
    for (const [name, options, message] of cases) {
      it(name, async () => {
        const before = weightValues(model);
        const memory = memoryCount();
        const error = await warmup(model, x, options as never).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect(String((error as Error).message)).toMatch(message);
        weightValues(model).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(before[i])));
        expectSameMemory(memory);
      });
    }
  });
});

/**
 * The verdict on real warmups: one seeded GRU layer of 16 units, copy-first-input inputs, the
 * default warmup (100 steps). Full runs: wasm only. Warmup is chaotic in the float rounding: any
 * change of operation order in the engine moves which seed lands where, so the test asks for
 * both outcomes over three seeds rather than pinning one per seed. Measured at the merge of the
 * faster kernels and the fused projection (seeds 0–9): 0, 1, 2, 4, 9 ok (VAA 1.0 at T = 2 000);
 * 3, 5, 6, 7, 8 held VAA* at T = 200 but their states merged by T = 2 000 (VAA 0.04–0.46: slow
 * points, which only the long horizon shows). Seeds 2, 6, 3 used here: ok, slow, slow.
 */
describe.runIf(backendName() === 'wasm')('warmup verdict on a success case and on slow points (wasm)', () => {
  const oneGru = (seed: number) =>
    tf.sequential({
      layers: [
        gru({
          units: 16,
          inputShape: [null, 1],
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
          recurrentInitializer: new BlockOrthogonal({ blockSize: 16, seed: seed + 5 }),
        }),
        tf.layers.dense({ units: 1 }),
      ],
    });

  // Which seed lands where is chaotic in float rounding (any change to the engine's arithmetic
  // moves it), so the outcomes are judged over the seeds, not pinned to one seed each.
  it('over seeds 2, 6, 3: a warmup that reached, held and stayed multistable (ok), and one held at T = 200 but not multistable at 2 000', async () => {
    await ready();
    const { inputs, targets } = copyFirstInput({ samples: 64, length: 30, seed: 0 });
    const memory = memoryCount();
    const verdicts = [];
    for (const seed of [2, 6, 3]) {
      const model = oneGru(seed);
      const report = await warmup(model, inputs, { seed });
      verdicts.push({ ...report.verdict[0], reportOk: report.ok });
      model.dispose();
    }
    expectSameMemory(memory);
    for (const v of verdicts) {
      expect(v.vaaBefore).toBeCloseTo(1 / 32, 6);
      expect(v.ok).toBe(v.held && v.multistable !== false);
      expect(v.reportOk).toBe(v.ok);
    }
    const succeeded = verdicts.filter((v) => v.ok);
    expect(succeeded.length, JSON.stringify(verdicts)).toBeGreaterThanOrEqual(1);
    for (const v of succeeded) {
      expect(v).toMatchObject({ reached: true, held: true, multistable: true });
      expect(v.vaaAfter).toBeGreaterThanOrEqual(0.8);
    }
    const slowPoints = verdicts.filter((v) => v.held && v.multistable === false);
    expect(slowPoints.length, JSON.stringify(verdicts)).toBeGreaterThanOrEqual(1);
    for (const v of slowPoints) {
      expect(v.ok).toBe(false);
      expect(v.vaaAfter).toBeLessThan(0.8);
    }
    tf.dispose([inputs, targets]);
  }, 600_000);
});
