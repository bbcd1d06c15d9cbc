import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  brc,
  doubleRNN,
  gru,
  lstm,
  nbrc,
  DoubleRNN,
  InvalidArgumentError,
  ShapeError,
  isWarmupCapable,
  type DoubleRNNCellKind,
} from '../../src/index';
import type { FusedRNN } from '../../src/layers/fused_rnn';
import { expectClose, expectNoLeaks, seededArray } from '../helpers';

/** The double layer (SPEC §6) against two separately built single layers of units / 2. */
const batch = 2;
const time = 4;
const features = 3;
const units = 4;
const half = units / 2;

interface Kind {
  cell: DoubleRNNCellKind;
  single: (args: Record<string, unknown>) => FusedRNN;
  stateCount: number;
}

const kinds: Kind[] = [
  { cell: 'brc', single: (a) => brc({ units: half, ...a }), stateCount: 1 },
  { cell: 'nbrc', single: (a) => nbrc({ units: half, ...a }), stateCount: 1 },
  { cell: 'gru', single: (a) => gru({ units: half, ...a }), stateCount: 1 },
  { cell: 'lstm', single: (a) => lstm({ units: half, ...a }), stateCount: 2 },
];

function input(seed = 1, b = batch, t = time): tf.Tensor3D {
  return tf.tensor3d(seededArray(seed, b * t * features, 1), [b, t, features]);
}

function randomWeights(layer: tf.layers.Layer, seed: number): void {
  layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(seededArray(seed + i, w.size, 0.6), w.shape)));
}

/** A built double layer and two built single layers holding its halves' weights. */
function trio(k: Kind, args: Record<string, unknown> = {}): { double: DoubleRNN; a: FusedRNN; b: FusedRNN } {
  const a = k.single(args);
  const b = k.single(args);
  for (const [layer, seed] of [
    [a, 50],
    [b, 80],
  ] as const) {
    layer.build([null, time, features]);
    randomWeights(layer, seed);
  }
  const double = doubleRNN({ cell: k.cell, units, ...args } as never);
  double.build([null, time, features]);
  double.setWeights([...a.getWeights(), ...b.getWeights()]);
  return { double, a, b };
}

const list = (x: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(x) ? x : [x]);
const cat = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.concat([x, y], -1);
const halves = (s: tf.Tensor): tf.Tensor[] => tf.split(s, 2, -1);

function expectTensorsClose(actual: tf.Tensor[], expected: tf.Tensor[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((t, i) => {
    expect(t.shape, `${label} ${i}`).toEqual(expected[i].shape);
    expectClose(t.dataSync(), expected[i].dataSync(), 1e-6, 1e-5, `${label} ${i}`);
  });
}

for (const k of kinds) {
  describe(`DoubleRNN(${k.cell})`, () => {
    it('output and state shapes for returnSequences × returnState (concrete and symbolic)', () => {
      tf.tidy(() => {
        for (const returnSequences of [false, true]) {
          for (const returnState of [false, true]) {
            const layer = doubleRNN({ cell: k.cell, units, returnSequences, returnState });
            const out = list(layer.apply(input()) as tf.Tensor | tf.Tensor[]);
            expect(out.length).toBe(returnState ? 1 + k.stateCount : 1);
            expect(out[0].shape).toEqual(returnSequences ? [batch, time, units] : [batch, units]);
            for (const s of out.slice(1)) expect(s.shape).toEqual([batch, units]);
            const sym = layer.apply(tf.input({ shape: [null, features] })) as tf.SymbolicTensor | tf.SymbolicTensor[];
            const symList = Array.isArray(sym) ? sym : [sym];
            expect(symList.length).toBe(out.length);
            expect(symList[0].shape).toEqual(returnSequences ? [null, null, units] : [null, units]);
            for (const s of symList.slice(1)) expect(s.shape).toEqual([null, units]);
          }
        }
      });
    });

    it('weights: first half then second, distinct names, independent default initialization', () => {
      tf.tidy(() => {
        const model = tf.sequential({ layers: [doubleRNN({ cell: k.cell, units, inputShape: [time, features] })] });
        const layer = model.layers[0] as DoubleRNN;
        expect(layer.weights).toEqual([...layer.first.weights, ...layer.second.weights]);
        expect(layer.trainableWeights).toEqual(layer.weights);
        expect(layer.nonTrainableWeights).toEqual([]);
        const names = layer.weights.map((w) => w.originalName);
        expect(new Set(names).size).toBe(names.length);
        // Kernels are Glorot-uniform, unseeded by default: the halves must differ.
        const [ka, kb] = [layer.first.getWeights()[0], layer.second.getWeights()[0]];
        expect(tf.max(tf.abs(tf.sub(ka, kb))).dataSync()[0]).toBeGreaterThan(1e-3);
        layer.trainable = false;
        expect(layer.trainableWeights).toEqual([]);
        expect(layer.nonTrainableWeights.length).toBe(layer.weights.length);
        expect(layer.first.trainable).toBe(false);
        layer.trainable = true;
        expect(layer.trainableWeights.length).toBe(layer.weights.length);
      });
    });

    it("dispose frees both halves' weights", () => {
      const before = tf.memory().numTensors;
      const model = tf.sequential({ layers: [doubleRNN({ cell: k.cell, units, inputShape: [time, features] })] });
      expect(tf.memory().numTensors).toBeGreaterThan(before);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    for (const variant of [
      { goBackwards: false, masked: false },
      { goBackwards: true, masked: false },
      { goBackwards: false, masked: true },
      { goBackwards: true, masked: true },
    ]) {
      it(`equals two single layers of units/2 (goBackwards=${variant.goBackwards}, masked=${variant.masked})`, () => {
        tf.tidy(() => {
          for (const returnSequences of [false, true]) {
            const { double, a, b } = trio(k, { returnSequences, returnState: true, goBackwards: variant.goBackwards });
            const x = input(2);
            const kwargs = variant.masked
              ? {
                  mask: tf.tensor2d(
                    [
                      [1, 1, 0, 1],
                      [1, 0, 1, 1],
                    ],
                    [batch, time],
                  ),
                }
              : {};
            const actual = list(double.apply(x, kwargs) as tf.Tensor[]);
            const outA = list(a.apply(x, kwargs) as tf.Tensor[]);
            const outB = list(b.apply(x, kwargs) as tf.Tensor[]);
            expectTensorsClose(
              actual,
              outA.map((t, i) => cat(t, outB[i])),
              `returnSequences=${returnSequences}`,
            );
          }
        });
      });
    }

    it('masks from a Masking layer reach both halves in a model', () => {
      tf.tidy(() => {
        const { double, a, b } = trio(k, { returnSequences: true });
        const modelOf = (layer: tf.layers.Layer): tf.LayersModel => {
          const xIn = tf.input({ shape: [time, features] });
          return tf.model({
            inputs: xIn,
            outputs: layer.apply(tf.layers.masking({ maskValue: 0 }).apply(xIn)) as tf.SymbolicTensor,
          });
        };
        const x = tf.mul(input(3), tf.tensor3d([1, 1, 0, 1, 0, 1, 1, 1], [batch, time, 1]));
        const actual = modelOf(double).predict(x) as tf.Tensor;
        const expected = cat(modelOf(a).predict(x) as tf.Tensor, modelOf(b).predict(x) as tf.Tensor);
        expectTensorsClose([actual], [expected], 'masked model');
      });
    });

    it('initial states (concrete and symbolic) use the single-layer layout, split between halves', () => {
      tf.tidy(() => {
        const { double, a, b } = trio(k, { returnState: true });
        const x = input(4);
        const states = Array.from({ length: k.stateCount }, (_, i) =>
          tf.tensor2d(seededArray(70 + i, batch * units, 0.8), [batch, units]),
        );
        const split = states.map(halves);
        const actual = double.apply(x, { initialState: states }) as tf.Tensor[];
        const outA = a.apply(x, { initialState: split.map((s) => s[0]) }) as tf.Tensor[];
        const outB = b.apply(x, { initialState: split.map((s) => s[1]) }) as tf.Tensor[];
        expectTensorsClose(
          actual,
          outA.map((t, i) => cat(t, outB[i])),
          'concrete initial states',
        );
        // Also accepted after the input in a list, as tfjs RNN layers do.
        expectTensorsClose(double.apply([x, ...states]) as tf.Tensor[], actual, 'states in the input list');
        // Symbolic initial states in a functional model.
        const xIn = tf.input({ shape: [time, features] });
        const sIn = Array.from({ length: k.stateCount }, () => tf.input({ shape: [units] }));
        const out = double.apply(xIn, { initialState: sIn }) as tf.SymbolicTensor[];
        expect(out.map((o) => o.shape)).toEqual([[null, units], ...sIn.map(() => [null, units])]);
        const model = tf.model({ inputs: [xIn, ...sIn], outputs: out });
        expectTensorsClose(list(model.predict([x, ...states]) as tf.Tensor[]), actual, 'symbolic initial states');
        // model.apply on tensors runs the graph through Layer.call with the states in the input list.
        expectTensorsClose(list(model.apply([x, ...states]) as tf.Tensor[]), actual, 'model.apply');
      });
    });

    it('getConfig → fromConfig round trip rebuilds an equal layer', () => {
      tf.tidy(() => {
        const args = { returnSequences: true, goBackwards: true, name: `rt_double_${k.cell}` };
        const { double } = trio(k, args);
        const config = double.getConfig();
        expect(config.cell).toBe(k.cell);
        expect(config.units).toBe(units);
        expect(config.goBackwards).toBe(true);
        const copy = DoubleRNN.fromConfig(DoubleRNN, {
          ...JSON.parse(JSON.stringify(config)),
          customObjects: {},
        }) as DoubleRNN;
        copy.build([null, time, features]);
        copy.setWeights(double.getWeights());
        expect(copy.getConfig()).toEqual(config);
        const x = input(5);
        expectTensorsClose([copy.apply(x) as tf.Tensor], [double.apply(x) as tf.Tensor], 'round trip');
      });
    });

    it('model.save → tf.loadLayersModel restores identical models (sequential, and functional with symbolic states)', async () => {
      const saveLoad = async (model: tf.LayersModel): Promise<tf.LayersModel> => {
        let artifacts: tf.io.ModelArtifacts | undefined;
        await model.save(
          tf.io.withSaveHandler(async (art) => {
            artifacts = art;
            return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
          }),
        );
        if (artifacts == null) throw new Error('nothing saved');
        return tf.loadLayersModel(tf.io.fromMemory(artifacts));
      };
      const sequential = tf.sequential({
        layers: [
          doubleRNN({ cell: k.cell, units, returnSequences: true, inputShape: [null, features] }),
          doubleRNN({ cell: k.cell, units }),
          tf.layers.dense({ units: 1 }),
        ],
      });
      const xIn = tf.input({ shape: [time, features] });
      const sIn = Array.from({ length: k.stateCount }, () => tf.input({ shape: [units] }));
      const functional = tf.model({
        inputs: [xIn, ...sIn],
        outputs: doubleRNN({ cell: k.cell, units, returnState: true }).apply(xIn, {
          initialState: sIn,
        }) as tf.SymbolicTensor[],
      });
      const x = input(9);
      const states = Array.from({ length: k.stateCount }, (_, i) =>
        tf.tensor2d(seededArray(90 + i, batch * units, 0.8), [batch, units]),
      );
      const cases: [tf.LayersModel, tf.Tensor | tf.Tensor[]][] = [
        [sequential, x],
        [functional, [x, ...states]],
      ];
      for (const [model, feed] of cases) {
        const loaded = await saveLoad(model);
        expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
        const expected = list(model.predict(feed) as tf.Tensor | tf.Tensor[]);
        const actual = list(loaded.predict(feed) as tf.Tensor | tf.Tensor[]);
        actual.forEach((t, i) => expectClose(t.dataSync(), expected[i].dataSync(), 0, 0, `output ${i}`));
        tf.dispose([...expected, ...actual]);
        loaded.dispose();
        model.dispose();
      }
      tf.dispose([x, ...states]);
    });

    it('stateful: carries states across calls; resetStates zeroes them or sets given states', () => {
      tf.tidy(() => {
        const layer = doubleRNN({ cell: k.cell, units, stateful: true, batchInputShape: [batch, 2, features] });
        const model = tf.sequential({ layers: [layer] });
        randomWeights(layer, 50);
        const x = input(6);
        const ref = doubleRNN({ cell: k.cell, units, returnState: true });
        ref.build([null, time, features]);
        ref.setWeights(layer.getWeights());
        const [whole] = ref.apply(x) as tf.Tensor[];
        const firstPart = tf.slice(x, [0, 0, 0], [batch, 2, features]);
        const secondPart = tf.slice(x, [0, 2, 0], [batch, 2, features]);
        model.predict(firstPart);
        expectClose((model.predict(secondPart) as tf.Tensor).dataSync(), whole.dataSync(), 1e-6, 1e-5, 'carried');
        model.resetStates();
        const [fresh, ...freshStates] = ref.apply(firstPart) as tf.Tensor[];
        expectClose((model.predict(firstPart) as tf.Tensor).dataSync(), fresh.dataSync(), 1e-6, 1e-5, 'after reset');
        layer.resetStates(freshStates);
        expectClose((model.predict(secondPart) as tf.Tensor).dataSync(), whole.dataSync(), 1e-6, 1e-5, 'given states');
      });
    });

    it('trains with fit: finite loss that decreases, no leaked tensors', async () => {
      const model = tf.sequential({
        layers: [
          doubleRNN({ cell: k.cell, units, returnSequences: true, inputShape: [time, features] }),
          doubleRNN({ cell: k.cell, units }),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
      const x = input(11, 8);
      const y = tf.tensor2d(seededArray(12, 8, 1), [8, 1]);
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      const before = tf.memory().numTensors;
      const history = await model.fit(x, y, { epochs: 12, batchSize: 8, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      expect(tf.memory().numTensors).toBe(before);
      await expectNoLeaks(() => {
        (model.predict(x) as tf.Tensor).dispose();
      }, 'predict');
      tf.dispose([x, y]);
      model.dispose();
    });

    it('warmup contract: full states, output sequence, and a constant run of the first half only', () => {
      const { double, a, b } = trio(k, { returnSequences: true, returnState: true });
      const n = k.stateCount;
      expect(isWarmupCapable(double)).toBe(true);
      expect(double.stateSizes).toEqual(new Array(2 * n).fill(half));
      expect(double.warmupStateIndices).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(double.warmupInputSize).toBe(features);
      expect(double.warmupWeights).toEqual(double.first.trainableWeights);
      expect(double.goBackwards).toBe(false);
      expect(double.returnSequences).toBe(true);
      tf.tidy(() => {
        const x = input(13);
        const [seq, ...finals] = double.apply(x) as tf.Tensor[];
        const states = double.runSequence(x);
        expect(states.map((s) => s.shape)).toEqual(new Array(2 * n).fill([batch, time, half]));
        expectTensorsClose(states, [...a.runSequence(x), ...b.runSequence(x)], 'runSequence = halves');
        // The last step of the full states is the layer's final states, in the layer's layout.
        const last = states.map((s) => tf.reshape(tf.slice(s, [0, time - 1, 0], [batch, 1, half]), [batch, half]));
        expectTensorsClose(
          finals,
          last.slice(0, n).map((s, i) => cat(s, last[n + i])),
          'final states',
        );
        expectTensorsClose([double.outputSequence(states)], [seq], 'outputSequence');
        // From given full states (hA, cA, hB, cB).
        const start = states.map(
          (s) => tf.reshape(tf.slice(s, [0, 1, 0], [batch, 1, half]), [batch, half]) as tf.Tensor2D,
        );
        expectTensorsClose(
          double.runSequence(x, start),
          [...a.runSequence(x, start.slice(0, n)), ...b.runSequence(x, start.slice(n))],
          'runSequence from states',
        );
        // Constant input: the first half alone, from the first half's states.
        const u = tf.tensor2d(seededArray(14, features, 1), [1, features]);
        const warm = start.slice(0, n);
        expectTensorsClose(double.runConstantInput(u, warm, 5), a.runConstantInput(u, warm, 5), 'runConstantInput');
        expectTensorsClose(
          double.runConstantInput(u, warm, 5, { differentiable: false }),
          a.runConstantInput(u, warm, 5),
          'runConstantInput no-grad',
        );
        // Gradients reach the first half's weights only.
        const vars = double.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => tf.sum(double.runConstantInput(u, warm, 5)[0]) as tf.Scalar, vars);
        const firstCount = double.first.trainableWeights.length;
        vars.forEach((v, i) => {
          const g = grads[v.name];
          const total = g == null ? 0 : tf.sum(tf.abs(g)).dataSync()[0];
          if (i < firstCount) expect(Number.isFinite(total) && total > 0, `first half weight ${i}`).toBe(true);
          else expect(total, `second half weight ${i - firstCount}`).toBe(0);
        });
      });
    });

    it('warmup contract functions leak no tensors', async () => {
      const { double } = trio(k);
      const x = input(15);
      const u = tf.ones([1, features]) as tf.Tensor2D;
      const full = double.stateSizes.map((size) => tf.zeros([batch, size]) as tf.Tensor2D);
      const warm = double.warmupStateIndices.map((i) => full[i]);
      await expectNoLeaks(() => double.runSequence(x), 'runSequence');
      await expectNoLeaks(() => double.runSequence(x, full), 'runSequence from states');
      await expectNoLeaks(() => {
        const states = double.runSequence(x);
        const out = double.outputSequence(states);
        tf.dispose(states);
        return out;
      }, 'outputSequence');
      await expectNoLeaks(() => double.runConstantInput(u, warm, 7), 'runConstantInput');
      await expectNoLeaks(
        () => double.runConstantInput(u, warm, 120, { differentiable: false }),
        'runConstantInput no-grad',
      );
      const vars = double.warmupWeights.map((w) => w.read() as tf.Variable);
      await expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(double.runConstantInput(u, warm, 7)[0]) as tf.Scalar,
          vars,
        );
        return [value, ...Object.values(grads)];
      }, 'gradient of runConstantInput');
      await expectNoLeaks(() => double.apply(x), 'apply');
      tf.dispose([x, u, ...full]);
    });
  });
}

describe('DoubleRNN validation errors name the problem', () => {
  it('rejects odd units, unknown cell kinds and unknown options', () => {
    expect(() => doubleRNN({ cell: 'gru', units: 5 })).toThrow(InvalidArgumentError);
    expect(() => doubleRNN({ cell: 'gru', units: 5 })).toThrow(/units must be even .* got 5/);
    expect(() => doubleRNN({ cell: 'gru', units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => doubleRNN({ cell: 'rnn', units: 4 } as never)).toThrow(
      /cell must be one of 'brc', 'nbrc', 'gru', 'lstm', got "rnn"/,
    );
    expect(() => doubleRNN({ units: 4 } as never)).toThrow(InvalidArgumentError);
    expect(() => doubleRNN({ cell: 'lstm', units: 4, untis: 3 } as never)).toThrow(
      /DoubleRNN: unknown option\(s\) 'untis'/,
    );
    // An option of another cell type is rejected by the chosen cell.
    expect(() => doubleRNN({ cell: 'gru', units: 4, chrono: { tMax: 10 } } as never)).toThrow(
      /GRUCell: unknown option\(s\) 'chrono'/,
    );
    expect(() => doubleRNN({ cell: 'gru', units: 4, activation: 'elu' as never })).toThrow(/activation must be one of/);
  });

  it('rejects wrong inputs, initial states and weights', () => {
    tf.tidy(() => {
      const layer = doubleRNN({ cell: 'lstm', units, returnState: true });
      layer.build([null, time, features]);
      expect(() => layer.apply(tf.zeros([batch, features]))).toThrow(ShapeError);
      expect(() => layer.apply(tf.zeros([batch, time, features + 1]))).toThrow(
        /has 4 features per step, but the layer was built for 3/,
      );
      const x = tf.zeros([batch, time, features]);
      expect(() => layer.apply(x, { initialState: [tf.zeros([batch, units])] })).toThrow(
        /expects 2 initial state\(s\), got 1/,
      );
      expect(() => layer.apply(x, { initialState: [tf.zeros([batch, half]), tf.zeros([batch, half])] })).toThrow(
        /initial state 0 must have shape \[2, 4\], got \[2,2\]/,
      );
      expect(() => layer.runSequence(x as tf.Tensor3D, [tf.zeros([batch, half]) as tf.Tensor2D])).toThrow(
        /expects 4 initial state\(s\)/,
      );
      expect(() => layer.outputSequence([tf.zeros([batch, time, half]) as tf.Tensor3D])).toThrow(
        /expects 4 state sequence\(s\)/,
      );
      expect(() => layer.setWeights([tf.zeros([1])])).toThrow(/expected 6 weight tensor\(s\)/);
      expect(() => layer.resetStates()).toThrow(/needs a stateful layer/);
      expect(() => doubleRNN({ cell: 'gru', units, stateful: true }).build([null, time, features])).toThrow(
        /needs a fixed batch size/,
      );
    });
  });
});
