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
 * default warmup (100 steps). Full runs: wasm only. Measured (this backend and engine, seeds
 * 0–9): seeds 2 and 3 end with VAA* ≈ 0.97–0.99 and VAA 1.0 at T = 2 000 (ok); seed 6 holds
 * VAA* 0.95 at T = 200 but its states merge by T = 2 000 (VAA 0.12: slow points), which only
 * the long horizon shows. Warmup is chaotic in the float rounding: a change of operation order
 * in the recurrence (here: the engine forming the input projection) moves the seeds, which then
 * need re-measuring (docs/results.md). Of seeds 0–9, 2, 3, 4, 9 were ok and 0, 1, 6, 8 held
 * without staying multistable.
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

  it('seeds 2 and 3: reached, held, multistable, ok; seed 6: held at T = 200 but not multistable at 2 000', async () => {
    await ready();
    const { inputs, targets } = copyFirstInput({ samples: 64, length: 30, seed: 0 });
    const memory = memoryCount();
    const verdicts = [];
    // Order: ok, slow points, ok (the checks below index them so).
    for (const seed of [2, 6, 3]) {
      const model = oneGru(seed);
      const report = await warmup(model, inputs, { seed });
      verdicts.push({ ...report.verdict[0], reportOk: report.ok });
      model.dispose();
    }
    expectSameMemory(memory);
    for (const v of [verdicts[0], verdicts[2]]) {
      expect(v).toMatchObject({ reportOk: true, ok: true, reached: true, held: true, multistable: true });
      expect(v.vaaBefore).toBeCloseTo(1 / 32, 6);
      expect(v.vaaAfter).toBeGreaterThanOrEqual(0.8);
    }
    expect(verdicts[1]).toMatchObject({ reportOk: false, ok: false, held: true, multistable: false });
    expect(verdicts[1].vaaAfter).toBeLessThan(0.5);
    tf.dispose([inputs, targets]);
  }, 600_000);
});
