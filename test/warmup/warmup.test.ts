import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  NonFiniteError,
  ShapeError,
  doubleRNN,
  gru,
  nbrc,
  warmup,
  type WarmupStepInfo,
} from '../../src/index';
import { expectSameMemory, memoryCount } from '../helpers';
import {
  expectSameWeights,
  nanWritingOptimizer,
  sequences,
  setDeterministicWeights,
  stackedModel,
  weightValues,
} from './models';

const short = { steps: 3, batchSize: 8, stabilisationMax: 20 };

function changed(a: Float32Array, b: Float32Array): boolean {
  return a.some((v, i) => v !== b[i]);
}

describe('warmup: validation happens before any weight is touched', () => {
  const model = stackedModel('gru', 4);
  const x = sequences(10, 6, 1);
  const cases: Array<[string, () => Promise<unknown>, new (...a: never[]) => Error, RegExp]> = [
    ['rank-2 inputs', () => warmup(model, tf.zeros([10, 6]) as never), ShapeError, /rank 3\), got rank 2/],
    ['NaN in inputs', () => warmup(model, tf.fill([10, 6, 1], NaN) as tf.Tensor3D), NonFiniteError, /contain NaN/],
    [
      'Infinity in a list input',
      () => warmup(model, [tf.ones([4, 1]), tf.fill([3, 1], Infinity)] as tf.Tensor2D[], { batchSize: 2 }),
      NonFiniteError,
      /inputs\[1\] contain NaN or ±Infinity/,
    ],
    [
      'batch larger than data',
      () => warmup(model, x, { batchSize: 11 }),
      InvalidArgumentError,
      /batchSize 11 is larger than the number of input sequences \(10\)/,
    ],
    ['unknown option', () => warmup(model, x, { stpes: 3 } as never), InvalidArgumentError, /unknown option 'stpes'/],
    ['bad steps', () => warmup(model, x, { steps: 0 }), InvalidArgumentError, /'steps' must be an integer >= 1/],
    ['bad target', () => warmup(model, x, { target: 1.5 }), InvalidArgumentError, /'target' must be in \(0, 1\]/],
    [
      'optimizer and learningRate',
      () => warmup(model, x, { optimizer: tf.train.sgd(1), learningRate: 0.1 }),
      InvalidArgumentError,
      /either 'optimizer' or 'learningRate'/,
    ],
    [
      'wrong feature size',
      () => warmup(model, sequences(10, 6, 1, 3)),
      ShapeError,
      /3 features per step but the model expects 1/,
    ],
    [
      'layers naming a dense layer',
      () => warmup(model, x, { layers: [model.layers[2].name] }),
      InvalidArgumentError,
      /not a recurrent layer of the model/,
    ],
    [
      'no recurrent layer',
      () => warmup(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [6, 1] })] }), x),
      InvalidArgumentError,
      /no recurrent layer/,
    ],
  ];
  for (const [name, run, type, message] of cases) {
    it(name, async () => {
      const before = weightValues(model);
      const tensors = memoryCount();
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(type);
      expect(String((error as Error).message)).toMatch(message);
      expectSameWeights(weightValues(model), before);
      expect(memoryCount().numTensors).toBeLessThanOrEqual(tensors.numTensors + 2); // the case's own inputs
    });
  }

  it('rejects goBackwards layers with variable-length inputs', async () => {
    const m = tf.sequential({ layers: [gru({ units: 3, goBackwards: true, inputShape: [null, 1] })] });
    const error = await warmup(m, [tf.ones([4, 1]), tf.ones([6, 1])], { batchSize: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toMatch(/goBackwards.*variable-length/);
  });
});

describe('warmup: behaviour', () => {
  it('leaks no tensors and reports every step', async () => {
    const model = stackedModel('nbrc', 4);
    const x = sequences(12, 6, 2);
    const infos: WarmupStepInfo[] = [];
    const before = memoryCount();
    const report = await warmup(model, x, {
      ...short,
      seed: 3,
      onStep: (i) => {
        infos.push(i);
      },
    });
    expectSameMemory(before);
    expect(report.stepsCompleted).toBe(3);
    expect(report.history).toEqual(infos);
    expect(report.layers).toEqual([model.layers[0].name, model.layers[1].name]);
    for (const [k, info] of infos.entries()) {
      expect(info.step).toBe(k);
      // T ~ Uniform{1 … min(1 + 10k, max)}
      expect(info.stabilisationSteps).toBeGreaterThanOrEqual(1);
      expect(info.stabilisationSteps).toBeLessThanOrEqual(Math.min(1 + 10 * k, 20));
      expect(info.vaaStar).toHaveLength(2);
      for (const v of info.vaaStar) expect(v).toBeGreaterThan(0);
      const expectedLoss = info.vaaStar.reduce((s, v) => s + (v - 0.95) ** 2, 0) / 2;
      expect(info.loss).toBeCloseTo(expectedLoss, 5);
    }
    expect(report.vaaStarBefore).toHaveLength(2);
    expect(report.vaaStarAfter).toHaveLength(2);
    expect(report.aborted).toBe(false);
    x.dispose();
  });

  it('the same seed gives bit-identical weights and reports', async () => {
    const runOnce = async () => {
      const model = stackedModel('gru', 4);
      setDeterministicWeights(model, 10);
      const x = sequences(12, 6, 4);
      const report = await warmup(model, x, { ...short, seed: 'same' });
      x.dispose();
      return { report, weights: weightValues(model) };
    };
    const a = await runOnce();
    const b = await runOnce();
    // Two models get different auto-generated layer names: compare everything else.
    const comparable = (r: typeof a.report) =>
      r.history.map(({ ms: _ms, perLayer, ...rest }) => ({
        ...rest,
        perLayer: perLayer.map(({ layer: _l, ...p }) => p),
      }));
    expect(comparable(b.report)).toEqual(comparable(a.report));
    expectSameWeights(b.weights, a.weights);
  });

  it('restores the exact weights and throws when the loss becomes NaN', async () => {
    const model = stackedModel('gru', 4);
    const before = weightValues(model);
    const optimizer = nanWritingOptimizer();
    const x = sequences(10, 5, 5);
    const tensors = memoryCount();
    const error = await warmup(model, x, { ...short, optimizer, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(String(error)).toMatch(/loss became NaN at step 1/);
    expectSameWeights(weightValues(model), before);
    expectSameMemory(tensors);
    x.dispose();
  });

  it('restores the exact weights when a weight turns NaN in the last step', async () => {
    const model = stackedModel('brc', 3);
    const before = weightValues(model);
    const optimizer = nanWritingOptimizer();
    const x = sequences(10, 5, 5);
    const error = await warmup(model, x, { ...short, steps: 1, optimizer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteError);
    expectSameWeights(weightValues(model), before);
    x.dispose();
  });

  it('restores the weights when onStep throws', async () => {
    const model = stackedModel('nbrc', 3);
    const before = weightValues(model);
    const x = sequences(10, 5, 6);
    const error = await warmup(model, x, {
      ...short,
      onStep: (i) => {
        if (i.step === 1) throw new Error('stop here');
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/stop here/);
    expectSameWeights(weightValues(model), before);
    x.dispose();
  });

  it('an abort keeps the weights of the last completed step', async () => {
    const model = stackedModel('gru', 4);
    const before = weightValues(model);
    const x = sequences(10, 5, 7);
    const controller = new AbortController();
    let afterStep1: Float32Array[] = [];
    const report = await warmup(model, x, {
      ...short,
      steps: 10,
      signal: controller.signal,
      onStep: (i) => {
        if (i.step === 1) {
          afterStep1 = weightValues(model);
          controller.abort();
        }
      },
    });
    expect(report.aborted).toBe(true);
    expect(report.stepsCompleted).toBe(2);
    expectSameWeights(weightValues(model), afterStep1);
    expect(changed(weightValues(model)[0], before[0])).toBe(true);
    x.dispose();
  });

  it('functional model with a dense layer between two recurrent layers: trains the prefix, not the head', async () => {
    const input = tf.input({ shape: [null, 2] });
    const r1 = gru({ units: 4, returnSequences: true });
    const between = tf.layers.dense({ units: 3, activation: 'tanh' });
    const r2 = nbrc({ units: 4 });
    const head = tf.layers.dense({ units: 1 });
    const out = head.apply(r2.apply(between.apply(r1.apply(input)))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const [w1, wb, w2, wh] = [r1, between, r2, head].map(weightValues);
    const x = sequences(10, 6, 8, 2);
    const report = await warmup(model, x, { ...short, seed: 2 });
    expect(report.layers).toEqual([r1.name, r2.name]);
    expect(changed(weightValues(r1)[0], w1[0])).toBe(true);
    expect(changed(weightValues(between)[0], wb[0])).toBe(true);
    expect(changed(weightValues(r2)[1], w2[1])).toBe(true);
    expectSameWeights(weightValues(head), wh);
    x.dispose();
  });

  it('accepts variable-length sequence lists', async () => {
    const model = stackedModel('gru', 3);
    const list = [5, 9, 3, 12, 7, 4, 8, 6].map((t, i) =>
      tf.tensor2d(
        Array.from({ length: t }, (_, k) => Math.sin(k + i)),
        [t, 1],
      ),
    );
    const before = memoryCount();
    const report = await warmup(model, list, { ...short, batchSize: 4, seed: 5 });
    expect(report.stepsCompleted).toBe(3);
    expectSameMemory(before);
    tf.dispose(list);
  });

  it('layers option: only the listed layer is warmed; other recurrent layers keep their weights', async () => {
    const model = stackedModel('gru', 4);
    const first = weightValues(model.layers[0]);
    const second = weightValues(model.layers[1]);
    const x = sequences(10, 5, 9);
    const report = await warmup(model, x, { ...short, layers: [model.layers[1]] });
    expect(report.layers).toEqual([model.layers[1].name]);
    expect(report.history[0].vaaStar).toHaveLength(1);
    expectSameWeights(weightValues(model.layers[0]), first);
    expect(changed(weightValues(model.layers[1])[1], second[1])).toBe(true);
    x.dispose();
  });

  it("warms up tfjs-layers' own gru, lstm and simpleRNN models", async () => {
    for (const kind of ['tfgru', 'tflstm', 'tfsimple'] as const) {
      const model = stackedModel(kind, 3);
      const before = weightValues(model);
      const x = sequences(10, 5, 10);
      const report = await warmup(model, x, { ...short, seed: 1 });
      expect(report.layers).toHaveLength(2);
      expect(changed(weightValues(model)[1], before[1])).toBe(true);
      x.dispose();
    }
  });

  it("partial warmup: a double layer's second half is bit-identical afterwards", async () => {
    const layer = doubleRNN({ cell: 'gru', units: 6, returnSequences: true, inputShape: [null, 1] });
    const model = tf.sequential({
      layers: [layer, doubleRNN({ cell: 'lstm', units: 4 }), tf.layers.dense({ units: 1 })],
    });
    const firstHalves = [layer.first, (model.layers[1] as ReturnType<typeof doubleRNN>).first].map(weightValues);
    const secondHalves = [layer.second, (model.layers[1] as ReturnType<typeof doubleRNN>).second].map(weightValues);
    const x = sequences(10, 5, 11);
    await warmup(model, x, { ...short, seed: 4 });
    expectSameWeights(weightValues(layer.second), secondHalves[0]);
    expectSameWeights(weightValues((model.layers[1] as ReturnType<typeof doubleRNN>).second), secondHalves[1]);
    expect(changed(weightValues(layer.first)[1], firstHalves[0][1])).toBe(true);
    x.dispose();
  });
});
