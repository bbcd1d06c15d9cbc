import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { NonFiniteError, warmup } from '../../src/index';
import { expectSameMemory, memoryCount } from '../helpers';
import { expectSameWeights, nanWritingOptimizer, sequences, stackedModel, weightValues } from './models';

const short = { steps: 8, batchSize: 8, stabilisationMax: 20, verdictHorizon: 30, restoreBest: true };

describe('warmup with restoreBest', () => {
  it('keeps the weights of the step with the best evaluation loss, and leaks nothing', async () => {
    const model = stackedModel('gru', 4);
    const x = sequences(12, 6, 2);
    const initial = weightValues(model);
    const afterStep = new Map<number, Float32Array[]>();
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      seed: 3,
      onStep: (i) => {
        afterStep.set(i.step, weightValues(model));
      },
    });
    expectSameMemory(memory);
    expect(report.stepsCompleted).toBe(8);
    const kept = report.restoredStep as number;
    expect(kept).toBeGreaterThanOrEqual(-1);
    // Only steps whose stabilisation length can reach the maximum (from step 2 here) compete.
    expect(kept === -1 || kept >= 2).toBe(true);
    expectSameWeights(weightValues(model), kept === -1 ? initial : afterStep.get(kept)!);
    const loss = (v: number[]) => v.reduce((s, a) => s + (a - 0.95) ** 2, 0) / v.length;
    const after = report.verdict.map((v) => v.vaaStarAfter);
    const before = report.verdict.map((v) => v.vaaStarBefore);
    expect(loss(after)).toBeLessThanOrEqual(loss(before));
    x.dispose();
  });

  it('the same seed gives the same kept step and weights', async () => {
    const once = async () => {
      const model = stackedModel('nbrc', 3);
      tf.tidy(() => model.setWeights(model.getWeights().map((w, i) => tf.mul(tf.onesLike(w), 0.1 * ((i % 3) + 1)))));
      const x = sequences(10, 5, 4);
      const report = await warmup(model, x, { ...short, seed: 'same' });
      x.dispose();
      return { step: report.restoredStep, weights: weightValues(model) };
    };
    const a = await once();
    const b = await once();
    expect(b.step).toBe(a.step);
    expectSameWeights(b.weights, a.weights);
  });

  it('rolls back to the weights from before warmup and leaks nothing when the loss becomes NaN', async () => {
    const model = stackedModel('gru', 4);
    const before = weightValues(model);
    const optimizer = nanWritingOptimizer();
    const x = sequences(10, 5, 5);
    const memory = memoryCount();
    const error = await warmup(model, x, { ...short, stabilisationMax: 1, optimizer, seed: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NonFiniteError);
    expectSameWeights(weightValues(model), before);
    expectSameMemory(memory);
    optimizer.dispose();
    x.dispose();
  });

  it('rolls back when onStep throws after a best step was kept', async () => {
    const model = stackedModel('nbrc', 3);
    const before = weightValues(model);
    const x = sequences(10, 5, 6);
    const memory = memoryCount();
    const error = await warmup(model, x, {
      ...short,
      onStep: (i) => {
        if (i.step === 5) throw new Error('stop here');
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/stop here/);
    expectSameWeights(weightValues(model), before);
    expectSameMemory(memory);
    x.dispose();
  });

  it('an abort keeps the best weights seen up to the abort', async () => {
    const model = stackedModel('gru', 4);
    const initial = weightValues(model);
    const x = sequences(10, 5, 7);
    const controller = new AbortController();
    const afterStep = new Map<number, Float32Array[]>();
    const memory = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      steps: 20,
      seed: 2,
      signal: controller.signal,
      onStep: (i) => {
        afterStep.set(i.step, weightValues(model));
        if (i.step === 4) controller.abort();
      },
    });
    expectSameMemory(memory);
    expect(report.aborted).toBe(true);
    expect(report.stepsCompleted).toBe(5);
    const kept = report.restoredStep as number;
    expect(kept).toBeLessThanOrEqual(4);
    expectSameWeights(weightValues(model), kept === -1 ? initial : afterStep.get(kept)!);
    x.dispose();
  });
});
