/**
 * `mode: 'robust'` (adaptive per-layer horizon, collapse escape, slow-point probe and burn-in):
 * validation, leak freedom, rollback and abort as for the paper's mode, that the remedies do
 * run on a collapsed layer and on a layer whose states merge slowly, that the probed weights
 * that held best are kept, and that a layer that never collapses trains exactly as in the
 * paper's mode until the first probe.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NonFiniteError, warmup, type WarmupStepInfo } from '../../src/index';
import { expectSameMemory, memoryCount } from '../helpers';
import {
  expectSameWeights,
  nanWritingOptimizer,
  sequences,
  setDeterministicWeights,
  stackedModel,
  weightValues,
} from './models';

const short = { steps: 8, batchSize: 8, stabilisationMax: 40, verdictHorizon: 30, mode: 'robust' as const };

/** A 2-layer LSTM with small weights: strongly contracting, every layer collapses within a few steps. */
function collapsedLstm(): tf.Sequential {
  const model = stackedModel('lstm', 3);
  setDeterministicWeights(model, 11, 0.05);
  return model;
}

/**
 * Two simpleRNN layers with slow linear-ish dynamics h ← tanh(0.995·h + W·u): starting states
 * still 0.995^40 ≈ 0.8 times as far apart after 40 steps, merged (≪ ε) after 2 000.
 */
function slowSimpleRnn(): tf.Sequential {
  const model = stackedModel('tfsimple', 3);
  setDeterministicWeights(model, 12, 0.5);
  for (const layer of model.layers.slice(0, 2)) {
    const [kernel, , bias] = layer.getWeights();
    const recurrent = tf.mul(tf.eye(3), 0.995);
    const zero = tf.zerosLike(bias);
    layer.setWeights([kernel, recurrent, zero]);
    tf.dispose([recurrent, zero]);
  }
  return model;
}

describe("warmup with mode: 'robust'", () => {
  describe('validation, before any weight is touched', () => {
    const model = stackedModel('gru', 4);
    const x = sequences(10, 6, 1);
    const cases: Array<[string, object, RegExp]> = [
      ['unknown mode', { mode: 'fast' }, /option 'mode' must be one of 'paper', 'robust', received "fast"/],
      ['mode not a string', { mode: 1 }, /option 'mode' must be one of 'paper', 'robust', received 1/],
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
        expectSameWeights(weightValues(model), before);
        expectSameMemory(memory);
      });
    }
  });

  it('on a collapsed layer: shortens that layer’s horizon, changes the weights, and leaks nothing', async () => {
    const model = collapsedLstm();
    const x = sequences(12, 6, 2);
    const before = weightValues(model);
    const history: WarmupStepInfo[] = [];
    const memory = memoryCount();
    const report = await warmup(model, x, { ...short, steps: 12, seed: 4, onStep: (i) => void history.push(i) });
    expectSameMemory(memory);
    expect(report.stepsCompleted).toBe(12);
    // The layers collapse (VAA* < 2/n) on some step, and a later step runs a layer shorter than
    // the step's drawn T: the adaptive horizon (and with it the escape term) took effect.
    expect(history.some((h) => h.vaaStar.some((v) => v < 2 / 8))).toBe(true);
    expect(history.some((h) => h.perLayer.some((p) => p.stabilisationSteps < h.stabilisationSteps))).toBe(true);
    for (const h of history) {
      expect(Number.isFinite(h.loss)).toBe(true);
      for (const p of h.perLayer) expect(p.stabilisationSteps).toBeLessThanOrEqual(h.stabilisationSteps);
    }
    expect(weightValues(model).some((w, i) => w.some((v, k) => v !== before[i][k]))).toBe(true);
    x.dispose();
  });

  it('the same seed gives the same weights', async () => {
    const once = async () => {
      const model = collapsedLstm();
      const x = sequences(12, 6, 3);
      await warmup(model, x, { ...short, seed: 'same' });
      x.dispose();
      return weightValues(model);
    };
    expectSameWeights(await once(), await once());
  });

  it("with the same learning rate, a layer that never collapses trains exactly as with mode: 'paper' until the first probe", async () => {
    // T ≤ 3 from distinct starting states: VAA* stays far above 2/n. The stabilisation length
    // reaches its maximum (4) at step 3, where the first slow-point probe would run: 3 steps.
    const once = async (mode: 'paper' | 'robust') => {
      const model = stackedModel('gru', 4);
      setDeterministicWeights(model, 5);
      const x = sequences(10, 5, 4);
      const report = await warmup(model, x, {
        ...short,
        steps: 3,
        stabilisationMax: 4,
        stabilisationIncrement: 1,
        learningRate: 1e-2,
        seed: 9,
        mode,
      });
      x.dispose();
      return { weights: weightValues(model), vaaStar: report.history.map((h) => h.vaaStar), report };
    };
    const paper = await once('paper');
    const robust = await once('robust');
    expect(paper.vaaStar.flat().every((v) => v >= 2 / 8)).toBe(true);
    expect(robust.report.restoredStep).toBeNull();
    expectSameWeights(robust.weights, paper.weights);
  });

  it('keeps the probed weights that held best at the probe horizon, and leaks nothing', async () => {
    // stabilisationMax 40, increment 10: probes after steps 4 and 9 and the last (11).
    const model = collapsedLstm();
    const x = sequences(12, 6, 8);
    const perStep: Float32Array[][] = [];
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 12,
      seed: 5,
      onStep: () => void perStep.push(weightValues(model)),
    });
    expectSameMemory(memory);
    expect([4, 9, 11]).toContain(report.restoredStep);
    expectSameWeights(weightValues(model), perStep[report.restoredStep!]);
    x.dispose();
  });

  it('burns in a layer whose states are distinct at stabilisationMax but merge by the probe horizon', async () => {
    const model = slowSimpleRnn();
    const x = sequences(12, 6, 9);
    const history: WarmupStepInfo[] = [];
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 12,
      learningRate: 1e-3,
      seed: 6,
      onStep: (i) => void history.push(i),
    });
    expectSameMemory(memory);
    expect(report.stepsCompleted).toBe(12);
    // No burn-in before the first probe (after step 4), some after it.
    expect(history.slice(0, 5).every((h) => h.perLayer.every((p) => p.burnInSteps === 0))).toBe(true);
    expect(history.slice(5).some((h) => h.perLayer.some((p) => p.burnInSteps === 40))).toBe(true);
    for (const h of history) expect(Number.isFinite(h.loss)).toBe(true);
    x.dispose();
  });

  it('rolls back exactly and leaks nothing when the loss becomes NaN', async () => {
    const model = collapsedLstm();
    const before = weightValues(model);
    const optimizer = nanWritingOptimizer();
    const x = sequences(10, 5, 5);
    const memory = memoryCount();
    const error = await warmup(model, x, { ...short, optimizer, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expectSameWeights(weightValues(model), before);
    expectSameMemory(memory);
    optimizer.dispose();
    x.dispose();
  });

  it('rolls back exactly when onStep throws after the escape has run', async () => {
    const model = collapsedLstm();
    const before = weightValues(model);
    const x = sequences(10, 5, 6);
    const memory = memoryCount();
    let collapsedBefore = false;
    const error = await warmup(model, x, {
      ...short,
      seed: 2,
      onStep: (i) => {
        if (i.step === 6) throw new Error('stop here');
        // A collapse at steps 0–5 turns the escape term on for the next step.
        collapsedBefore ||= i.vaaStar.some((v) => v < 2 / 8);
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/stop here/);
    expect(collapsedBefore).toBe(true);
    expectSameWeights(weightValues(model), before);
    expectSameMemory(memory);
    x.dispose();
  });

  it('rolls back exactly and leaks nothing when onStep throws after a burn-in step', async () => {
    const model = slowSimpleRnn();
    const before = weightValues(model);
    const x = sequences(12, 6, 9);
    const memory = memoryCount();
    let burnedIn = false;
    const error = await warmup(model, x, {
      ...short,
      steps: 12,
      learningRate: 1e-3,
      seed: 6,
      onStep: (i) => {
        burnedIn ||= i.perLayer.some((p) => p.burnInSteps > 0);
        if (burnedIn) throw new Error('stop after burn-in');
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/stop after burn-in/);
    expect(burnedIn).toBe(true);
    expectSameWeights(weightValues(model), before);
    expectSameMemory(memory);
    x.dispose();
  });

  it('an abort before the first probe keeps the weights of the last completed step', async () => {
    const model = collapsedLstm();
    const x = sequences(10, 5, 7);
    const controller = new AbortController();
    let atAbort: Float32Array[] = [];
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 20,
      seed: 3,
      signal: controller.signal,
      onStep: (i) => {
        if (i.step === 3) {
          atAbort = weightValues(model);
          controller.abort();
        }
      },
    });
    expectSameMemory(memory);
    expect(report.aborted).toBe(true);
    expect(report.stepsCompleted).toBe(4);
    expect(report.restoredStep).toBeNull();
    expectSameWeights(weightValues(model), atAbort);
    x.dispose();
  });

  it('an abort after a probe keeps the best probed weights so far', async () => {
    const model = collapsedLstm();
    const x = sequences(10, 5, 7);
    const controller = new AbortController();
    const perStep: Float32Array[][] = [];
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 20,
      seed: 3,
      signal: controller.signal,
      onStep: (i) => {
        perStep.push(weightValues(model));
        if (i.step === 6) controller.abort();
      },
    });
    expectSameMemory(memory);
    expect(report.aborted).toBe(true);
    expect(report.stepsCompleted).toBe(7);
    // The only probe so far ran after step 4.
    expect(report.restoredStep).toBe(4);
    expectSameWeights(weightValues(model), perStep[4]);
    x.dispose();
  });
});
