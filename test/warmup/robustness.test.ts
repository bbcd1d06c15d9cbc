/**
 * The holes found by attacking warmup and measureVaa as a careless or unlucky user would
 * (issue 9): length-1 sequences, throws inside a gradient step, concurrent calls, recurrent
 * layers warmup cannot drive, the rollback's scope (weights and optimizer state), disposed
 * inputs and time-length mismatches. Every test checks tensors AND bytes.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConcurrentUseError, InvalidArgumentError, ShapeError, gru, measureVaa, warmup } from '../../src/index';
import { holdsRecurrentWeights } from '../../src/multistability/recurrent_path';
import { expectSameMemory, memoryCount } from '../helpers';
import { expectSameWeights, sequences, stackedModel, weightValues } from './models';

const short = { steps: 3, batchSize: 4, stabilisationMax: 20 };

function changed(a: Float32Array[], b: Float32Array[]): boolean {
  return a.some((w, i) => w.some((v, k) => v !== b[i][k]));
}

/** A per-step identity layer that throws when armed (stands for any failure inside a step). */
class ThrowWhenArmed extends tf.layers.Layer {
  static className = 'ThrowWhenArmed';
  armed = false;
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (this.armed) throw new Error('boom inside the gradient step');
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }
  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return shape;
  }
}

describe('length-1 sequences (state after the only step)', () => {
  it('warmup and measureVaa accept [n, 1, features] inputs', async () => {
    const model = stackedModel('gru', 3);
    const x = sequences(8, 1, 1);
    const before = memoryCount();
    const report = await warmup(model, x, { ...short, seed: 1 });
    expect(report.stepsCompleted).toBe(3);
    expect(report.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    const v = await measureVaa(model, x, { samples: 8, steps: 20, seed: 1 });
    expect(v).toBeGreaterThanOrEqual(1 / 8);
    expect(v).toBeLessThanOrEqual(1);
    expectSameMemory(before);
    x.dispose();
  });

  it('a variable-length list whose batches hold only length-1 sequences runs every step', async () => {
    const model = stackedModel('nbrc', 3);
    const lengths = [1, 1, 1, 1, 1, 1, 1, 1, 1, 7];
    const list = lengths.map((t, i) =>
      tf.tensor2d(
        Array.from({ length: t }, (_, k) => Math.cos(k + i)),
        [t, 1],
      ),
    );
    const before = memoryCount();
    const report = await warmup(model, list, { steps: 8, batchSize: 2, stabilisationMax: 5, seed: 3 });
    expect(report.stepsCompleted).toBe(8);
    const v = await measureVaa(model, list, { samples: 10, steps: 10, seed: 2 });
    expect(v).toBeGreaterThan(0);
    expectSameMemory(before);
    tf.dispose(list);
  });
});

describe('a throw inside a gradient step', () => {
  it('leaves no tensor behind (what tfjs saved for the backward pass) and restores the weights', async () => {
    const thrower = new ThrowWhenArmed({});
    const model = tf.sequential({
      layers: [
        gru({ units: 4, returnSequences: true, inputShape: [null, 1] }),
        thrower,
        gru({ units: 4 }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const x = sequences(8, 6, 2);
    const weights = weightValues(model);
    const before = memoryCount();
    const error = await warmup(model, x, {
      ...short,
      seed: 2,
      onStep: () => {
        thrower.armed = true;
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/boom inside the gradient step/);
    expectSameMemory(before);
    expectSameWeights(weightValues(model), weights);
    // The engine is usable afterwards: a later warmup runs and leaks nothing.
    thrower.armed = false;
    await warmup(model, x, { ...short, steps: 1, seed: 2 });
    expectSameMemory(before);
    x.dispose();
  });
});

describe('one warmup or measureVaa at a time per model', () => {
  it('a second concurrent call on the same model rejects at once; other models are not affected', async () => {
    const model = stackedModel('gru', 3);
    const other = stackedModel('gru', 3);
    const x = sequences(8, 5, 3);
    const before = memoryCount();
    const first = warmup(model, x, { ...short, seed: 1 });
    const second = warmup(model, x, { ...short, seed: 2 }).catch((e: unknown) => e);
    const measured = measureVaa(model, x, { steps: 5 }).catch((e: unknown) => e);
    const elsewhere = warmup(other, x, { ...short, seed: 2 });
    const [e2, e3] = await Promise.all([second, measured]);
    expect(e2).toBeInstanceOf(ConcurrentUseError);
    expect(String(e2)).toMatch(/warmup: this model is already in use by a warmup call/);
    expect(e3).toBeInstanceOf(ConcurrentUseError);
    expect(String(e3)).toMatch(/measureVaa: this model is already in use by a warmup call/);
    expect((await first).stepsCompleted).toBe(3);
    expect((await elsewhere).stepsCompleted).toBe(3);
    // Released after success and after failure.
    await measureVaa(model, x, { steps: 5 });
    await warmup(model, x, { steps: 0 } as never).catch(() => undefined);
    await warmup(model, x, { ...short, steps: 1 });
    expectSameMemory(before);
    x.dispose();
  });
});

describe('one warmup or measureVaa at a time per shared layer', () => {
  it('a call on a model sharing a layer with a running call rejects at once; a shared input does not count', async () => {
    const input = tf.input({ shape: [null, 1] });
    const shared = gru({ units: 4, returnSequences: true });
    const sequence = shared.apply(input) as tf.SymbolicTensor;
    const headA = tf.layers.dense({ units: 1 }).apply(gru({ units: 3 }).apply(sequence)) as tf.SymbolicTensor;
    const headB = tf.layers.dense({ units: 1 }).apply(gru({ units: 3 }).apply(sequence)) as tf.SymbolicTensor;
    const modelA = tf.model({ inputs: input, outputs: headA });
    const modelB = tf.model({ inputs: input, outputs: headB });
    // Shares only the tf.input with modelA: no weights in common.
    const modelC = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 1 }).apply(gru({ units: 2 }).apply(input)) as tf.SymbolicTensor,
    });
    const x = sequences(8, 5, 3);
    const before = memoryCount();
    const sharedBefore = weightValues(shared);
    const first = warmup(modelA, x, { ...short, seed: 1 });
    const second = warmup(modelB, x, { ...short, seed: 2 }).catch((e: unknown) => e);
    const measured = measureVaa(modelB, x, { steps: 5 }).catch((e: unknown) => e);
    const unrelated = warmup(modelC, x, { ...short, seed: 3 });
    const [e2, e3] = await Promise.all([second, measured]);
    expect(e2).toBeInstanceOf(ConcurrentUseError);
    expect(String(e2)).toMatch(new RegExp(`warmup: layer '${shared.name}' of this model is in use by a warmup call`));
    expect(e3).toBeInstanceOf(ConcurrentUseError);
    expect((await first).stepsCompleted).toBe(3);
    expect((await unrelated).stepsCompleted).toBe(3);
    expect(changed(sharedBefore, weightValues(shared))).toBe(true);
    // Released: the second model can now be warmed up.
    expect((await warmup(modelB, x, { ...short, seed: 2 })).stepsCompleted).toBe(3);
    expectSameMemory(before);
    x.dispose();
  });
});

describe('recurrent layers warmup cannot drive keep their exact weights', () => {
  it('bidirectional(gru) and a stacked tf.layers.rnn before a warmed layer', async () => {
    const input = tf.input({ shape: [null, 2] });
    const bi = tf.layers.bidirectional({
      layer: tf.layers.gru({ units: 3, returnSequences: true }) as never,
      mergeMode: 'concat',
    });
    const stacked = tf.layers.rnn({
      cell: [tf.layers.gruCell({ units: 3 }), tf.layers.simpleRNNCell({ units: 3 })],
      returnSequences: true,
    });
    const dense = tf.layers.dense({ units: 3, activation: 'tanh' });
    const warmed = gru({ units: 4 });
    const out = tf.layers
      .dense({ units: 1 })
      .apply(warmed.apply(dense.apply(stacked.apply(bi.apply(input))))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const frozen = [bi, stacked].map(weightValues);
    const [w, d] = [warmed, dense].map(weightValues);
    const x = sequences(8, 5, 4, 2);
    const before = memoryCount();
    const report = await warmup(model, x, { ...short, seed: 5 });
    expect(report.layers).toEqual([warmed.name]);
    expectSameWeights(weightValues(bi), frozen[0], 'bidirectional');
    expectSameWeights(weightValues(stacked), frozen[1], 'stacked rnn');
    expect(changed(weightValues(warmed), w)).toBe(true);
    expect(changed(weightValues(dense), d)).toBe(true); // per-step layers before a warmed layer are trained
    expectSameMemory(before);
    x.dispose();
  });
});

describe('which layers hold recurrent weights warmup cannot drive', () => {
  it('recurrent layers, wrappers and nested models around one; not per-step layers or wrappers around them', () => {
    const gruLayer = () => tf.layers.gru({ units: 2 }) as unknown as tf.layers.Layer;
    expect(holdsRecurrentWeights(tf.layers.rnn({ cell: tf.layers.gruCell({ units: 2 }) }))).toBe(true);
    expect(holdsRecurrentWeights(tf.layers.bidirectional({ layer: gruLayer() as never }))).toBe(true);
    expect(holdsRecurrentWeights(tf.layers.timeDistributed({ layer: gruLayer() }))).toBe(true);
    const nested = tf.sequential({ layers: [tf.layers.gru({ units: 2, inputShape: [null, 1] })] });
    expect(holdsRecurrentWeights(nested as unknown as tf.layers.Layer)).toBe(true);
    expect(holdsRecurrentWeights(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }))).toBe(false);
    expect(holdsRecurrentWeights(tf.layers.dense({ units: 2 }))).toBe(false);
  });
});

describe('rollback scope', () => {
  it('restores what warmup changed, not weights it never touches (a head changed during warmup keeps the change)', async () => {
    const model = stackedModel('gru', 3);
    const head = model.layers[2];
    const recurrent = [model.layers[0], model.layers[1]].map(weightValues);
    const x = sequences(8, 5, 6);
    let headDuringWarmup: Float32Array[] = [];
    const error = await warmup(model, x, {
      ...short,
      onStep: (info) => {
        if (info.step === 0) {
          tf.tidy(() => head.setWeights(head.getWeights().map((t) => tf.add(t, 1))));
          headDuringWarmup = weightValues(head);
        }
        if (info.step === 1) throw new Error('stop');
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/stop/);
    expectSameWeights(weightValues(model.layers[0]), recurrent[0]);
    expectSameWeights(weightValues(model.layers[1]), recurrent[1]);
    expectSameWeights(weightValues(head), headDuringWarmup, 'head');
    x.dispose();
  });

  it("restores a user-supplied optimizer's state (step count and moments) on rollback", async () => {
    const model = stackedModel('gru', 3);
    const x = sequences(8, 5, 7);
    const optimizer = tf.train.adam(0.01);
    // getWeights returns the live accumulators and a fresh step-count tensor (disposed here).
    const read = async () => {
      const weights = await optimizer.getWeights();
      const out = await Promise.all(
        weights.map(async (w) => ({ name: w.name, values: Array.from(await w.tensor.data()) })),
      );
      tf.dispose(weights.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
      return out;
    };
    await warmup(model, x, { ...short, steps: 2, optimizer, seed: 1 });
    const state = await read();
    expect(state[0].values).toEqual([2]); // two steps taken
    expect(state.length).toBeGreaterThan(1);
    const weights = weightValues(model);
    const before = memoryCount();
    const error = await warmup(model, x, {
      ...short,
      optimizer,
      onStep: (i) => {
        if (i.step === 1) throw new Error('stop');
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/stop/);
    expect(await read()).toEqual(state);
    expectSameWeights(weightValues(model), weights);
    expectSameMemory(before);
    optimizer.dispose();
    x.dispose();
  });

  it('a fresh optimizer is fresh again after a failed warmup', async () => {
    const model = stackedModel('lstm', 3);
    const x = sequences(8, 5, 8);
    const optimizer = tf.train.rmsprop(0.01);
    await warmup(model, x, {
      ...short,
      optimizer,
      onStep: (i) => {
        if (i.step === 1) throw new Error('stop');
      },
    }).catch(() => undefined);
    const weights = await optimizer.getWeights();
    expect(weights).toHaveLength(1);
    expect(Array.from(await weights[0].tensor.data())).toEqual([0]);
    tf.dispose(weights.map((w) => w.tensor));
    optimizer.dispose();
    x.dispose();
  });
});

describe('inputs that are not what they seem', () => {
  it('a disposed input tensor gets a typed error', async () => {
    const model = stackedModel('gru', 3);
    const x = sequences(8, 5, 9);
    x.dispose();
    const list = [tf.ones([4, 1]), tf.ones([5, 1])] as tf.Tensor2D[];
    list[1].dispose();
    const before = memoryCount();
    for (const run of [() => warmup(model, x), () => measureVaa(model, x)]) {
      const e = await run().catch((err: unknown) => err);
      expect(e).toBeInstanceOf(InvalidArgumentError);
      expect(String(e)).toMatch(/inputs were disposed/);
    }
    const e = await warmup(model, list, { batchSize: 2 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(String(e)).toMatch(/inputs\[1\] was disposed/);
    expectSameMemory(before);
    list[0].dispose();
  });

  it('a model built for a fixed time length rejects another length', async () => {
    const model = tf.sequential({ layers: [gru({ units: 3, inputShape: [6, 1] }), tf.layers.dense({ units: 1 })] });
    const weights = weightValues(model);
    const x = sequences(8, 9, 10);
    const list = [tf.ones([6, 1]), tf.ones([4, 1])] as tf.Tensor2D[];
    const before = memoryCount();
    for (const run of [() => warmup(model, x, short), () => measureVaa(model, x)]) {
      const e = await run().catch((err: unknown) => err);
      expect(e).toBeInstanceOf(ShapeError);
      expect(String(e)).toMatch(/built for sequences of 6 steps .* but inputs have 9/);
    }
    const e = await warmup(model, list, { ...short, batchSize: 2 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ShapeError);
    expect(String(e)).toMatch(/inputs\[1\] has 4/);
    expectSameMemory(before);
    expectSameWeights(weightValues(model), weights);
    // The right length works.
    const ok = sequences(8, 6, 11);
    expect((await warmup(model, ok, { ...short, seed: 1 })).stepsCompleted).toBe(3);
    tf.dispose([x, ok, ...list]);
  });
});

describe('default optimizer', () => {
  it("gives the same weights, bit for bit, as tfjs's Adam with the same learning rate, with a lower peak", async () => {
    const run = async (optimizer?: tf.Optimizer) => {
      const model = stackedModel('lstm', 6);
      tf.tidy(() =>
        model.setWeights(
          model
            .getWeights()
            .map((w, i) =>
              tf.mul(tf.onesLike(w), Math.sin(i + 1) * 0.3).add(tf.randomUniform(w.shape, -0.3, 0.3, 'float32', 7 + i)),
            ),
        ),
      );
      const x = sequences(8, 5, 12);
      const info = await tf.profile(async () => {
        await warmup(model, x, { ...short, seed: 9, ...(optimizer ? { optimizer } : { learningRate: 0.02 }) });
        return [];
      });
      x.dispose();
      const weights = weightValues(model);
      model.dispose();
      return { weights, peak: info.peakBytes };
    };
    const ours = await run();
    const adam = tf.train.adam(0.02);
    const tfjs = await run(adam);
    adam.dispose();
    expectSameWeights(ours.weights, tfjs.weights);
    expect(ours.peak).toBeLessThan(tfjs.peak);
  });
});
