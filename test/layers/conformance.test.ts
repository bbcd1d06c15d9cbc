import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { brc, gru, lstm, nbrc, BRCCell, GRUCell, LSTMCell, NBRCCell } from '../../src/index';
import type { FusedRNNCell } from '../../src/cells/fused_cell';
import type { FusedRNN } from '../../src/layers/fused_rnn';
import { expectClose, expectNoLeaks, seededArray } from '../helpers';

/** One conformance suite over every layer (Keras' run_layer_test in spirit). */
const batch = 2;
const time = 4;
const features = 3;
const units = 3;

interface Kind {
  name: string;
  layer: (args: Record<string, unknown>) => FusedRNN;
  cell: (args: { units: number }) => FusedRNNCell;
  stateCount: number;
  weightShapes: number[][];
}

const kinds: Kind[] = [
  {
    name: 'BRC',
    layer: (a) => brc({ units, ...a }),
    cell: (a) => new BRCCell(a),
    stateCount: 1,
    weightShapes: [[features, 3 * units], [2 * units], [3 * units]],
  },
  {
    name: 'NBRC',
    layer: (a) => nbrc({ units, ...a }),
    cell: (a) => new NBRCCell(a),
    stateCount: 1,
    weightShapes: [[features, 3 * units], [units, 2 * units], [3 * units]],
  },
  {
    name: 'GRU',
    layer: (a) => gru({ units, ...a }),
    cell: (a) => new GRUCell(a),
    stateCount: 1,
    weightShapes: [
      [features, 3 * units],
      [units, 3 * units],
      [2, 3 * units],
    ],
  },
  {
    name: 'LSTM',
    layer: (a) => lstm({ units, ...a }),
    cell: (a) => new LSTMCell(a),
    stateCount: 2,
    weightShapes: [[features, 4 * units], [units, 4 * units], [4 * units]],
  },
];

function input(seed = 1, b = batch, t = time): tf.Tensor3D {
  return tf.tensor3d(seededArray(seed, b * t * features, 1), [b, t, features]);
}

/** Builds `layer` on [batch, time, features] and gives it deterministic non-trivial weights. */
function built(layer: FusedRNN, seed = 50): FusedRNN {
  layer.build([null, time, features]);
  layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(seededArray(seed + i, w.size, 0.6), w.shape)));
  return layer;
}

for (const k of kinds) {
  describe(`${k.name} conformance`, () => {
    it('weights have the SPEC layout, in order kernel, recurrent_kernel, bias', () => {
      const layer = k.layer({});
      layer.build([null, time, features]);
      expect(layer.getWeights().map((w) => w.shape)).toEqual(k.weightShapes);
      expect(layer.weights.map((w) => (w.name.split('/').pop() ?? '').replace(/_\d+$/, ''))).toEqual([
        'kernel',
        'recurrent_kernel',
        'bias',
      ]);
      const noBias = k.layer({ useBias: false });
      noBias.build([null, time, features]);
      expect(noBias.getWeights().length).toBe(2);
    });

    it('output and state shapes for returnSequences × returnState', () => {
      tf.tidy(() => {
        for (const returnSequences of [false, true]) {
          for (const returnState of [false, true]) {
            const layer = k.layer({ returnSequences, returnState });
            const out = layer.apply(input()) as tf.Tensor | tf.Tensor[];
            const list = Array.isArray(out) ? out : [out];
            expect(list.length).toBe(returnState ? 1 + k.stateCount : 1);
            expect(list[0].shape).toEqual(returnSequences ? [batch, time, units] : [batch, units]);
            for (const s of list.slice(1)) expect(s.shape).toEqual([batch, units]);
            // Symbolic shapes agree with computeOutputShape.
            const sym = layer.apply(tf.input({ shape: [null, features] })) as tf.SymbolicTensor | tf.SymbolicTensor[];
            const symList = Array.isArray(sym) ? sym : [sym];
            expect(symList[0].shape).toEqual(returnSequences ? [null, null, units] : [null, units]);
          }
        }
      });
    });

    it('the last output equals the last step of returnSequences and the final h state', () => {
      tf.tidy(() => {
        const seqLayer = built(k.layer({ returnSequences: true, returnState: true }));
        const [seq, h] = seqLayer.apply(input()) as tf.Tensor[];
        const last = tf.slice(seq, [0, time - 1, 0], [batch, 1, units]);
        expectClose(last.dataSync(), h.dataSync(), 0, 0);
      });
    });

    it('getConfig → fromConfig round trip rebuilds an equal layer', () => {
      tf.tidy(() => {
        const layer = built(k.layer({ returnSequences: true, goBackwards: true, name: `rt_${k.name}` }));
        const config = layer.getConfig();
        const cls = layer.constructor as unknown as tf.serialization.SerializableConstructor<FusedRNN> & {
          fromConfig: (c: typeof cls, cfg: tf.serialization.ConfigDict) => FusedRNN;
        };
        const copy = cls.fromConfig(cls, JSON.parse(JSON.stringify(config)));
        copy.build([null, time, features]);
        copy.setWeights(layer.getWeights());
        expect(copy.getConfig()).toEqual(config);
        expectClose(
          (copy.apply(input()) as tf.Tensor).dataSync(),
          (layer.apply(input()) as tf.Tensor).dataSync(),
          0,
          0,
        );
      });
    });

    it('model.save → tf.loadLayersModel restores an identical model', async () => {
      const model = tf.sequential({
        layers: [
          k.layer({ returnSequences: true, inputShape: [null, features] }),
          k.layer({}),
          tf.layers.dense({ units: 1 }),
        ],
      });
      let artifacts: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      if (artifacts == null) throw new Error('nothing saved');
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      const x = input(9);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expectClose(b.dataSync(), a.dataSync(), 0, 0);
      expect(loaded.layers[0].getClassName()).toBe(model.layers[0].getClassName());
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    });

    it('initial states (concrete and symbolic) are used', () => {
      tf.tidy(() => {
        const layer = built(k.layer({ returnState: true }));
        const x = input(3);
        const states = Array.from({ length: k.stateCount }, (_, i) =>
          tf.tensor2d(seededArray(70 + i, batch * units, 0.8), [batch, units]),
        );
        const withStates = layer.apply(x, { initialState: states }) as tf.Tensor[];
        const fromZero = layer.apply(x) as tf.Tensor[];
        expect(Math.abs(tf.sub(withStates[0], fromZero[0]).abs().max().dataSync()[0])).toBeGreaterThan(1e-4);
        // A run from the states equals the states a first half-run left: split the sequence in two.
        const first = layer.apply(tf.slice(x, [0, 0, 0], [batch, 2, features])) as tf.Tensor[];
        const second = layer.apply(tf.slice(x, [0, 2, 0], [batch, time - 2, features]), {
          initialState: first.slice(1),
        }) as tf.Tensor[];
        expectClose(second[0].dataSync(), fromZero[0].dataSync(), 1e-6, 1e-5);
        // Symbolic initial states in a functional model.
        const xIn = tf.input({ shape: [time, features] });
        const sIn = Array.from({ length: k.stateCount }, () => tf.input({ shape: [units] }));
        const out = layer.apply(xIn, { initialState: sIn }) as tf.SymbolicTensor[];
        const model = tf.model({ inputs: [xIn, ...sIn], outputs: out[0] });
        const viaModel = model.predict([x, ...states]) as tf.Tensor;
        expectClose(viaModel.dataSync(), withStates[0].dataSync(), 1e-6, 1e-5);
      });
    });

    it('stateful layers carry states across calls and resetStates zeroes them', () => {
      tf.tidy(() => {
        const layer = k.layer({ stateful: true, batchInputShape: [batch, 2, features] });
        const model = tf.sequential({ layers: [layer] });
        layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(seededArray(50 + i, w.size, 0.6), w.shape)));
        const x = input(4);
        const whole = tf.tidy(() => {
          const ref = k.layer({});
          ref.build([null, time, features]);
          ref.setWeights(layer.getWeights());
          return ref.apply(x) as tf.Tensor;
        });
        model.predict(tf.slice(x, [0, 0, 0], [batch, 2, features]));
        const second = model.predict(tf.slice(x, [0, 2, 0], [batch, 2, features])) as tf.Tensor;
        expectClose(second.dataSync(), whole.dataSync(), 1e-6, 1e-5);
        layer.resetStates();
        const fresh = model.predict(tf.slice(x, [0, 0, 0], [batch, 2, features])) as tf.Tensor;
        const ref2 = tf.tidy(() => {
          const r = k.layer({});
          r.build([null, 2, features]);
          r.setWeights(layer.getWeights());
          return r.apply(tf.slice(x, [0, 0, 0], [batch, 2, features])) as tf.Tensor;
        });
        expectClose(fresh.dataSync(), ref2.dataSync(), 1e-6, 1e-5);
      });
    });

    it('masking keeps the state over masked steps', () => {
      tf.tidy(() => {
        const layer = built(k.layer({}));
        const x = input(5);
        const mask = tf.tensor2d(
          [
            [1, 1, 0, 0],
            [1, 0, 1, 1],
          ],
          [batch, time],
        );
        const masked = layer.apply(x, { mask }) as tf.Tensor;
        // Sample 0: only its first two steps count.
        const first = layer.apply(tf.slice(x, [0, 0, 0], [1, 2, features])) as tf.Tensor;
        expectClose(tf.slice(masked, [0, 0], [1, units]).dataSync(), first.dataSync(), 1e-6, 1e-5);
      });
    });

    it('goBackwards processes the reversed sequence', () => {
      tf.tidy(() => {
        const back = built(k.layer({ goBackwards: true }));
        const fwd = built(k.layer({}));
        const x = input(6);
        expectClose(
          (back.apply(x) as tf.Tensor).dataSync(),
          (fwd.apply(tf.reverse(x, 1)) as tf.Tensor).dataSync(),
          1e-6,
          1e-5,
        );
      });
    });

    it('the cell works in tf.layers.rnn and stackedRNNCells and equals the fused layer', () => {
      tf.tidy(() => {
        const fused = built(k.layer({ returnSequences: true }));
        const cell = k.cell({ units });
        const generic = tf.layers.rnn({ cell, returnSequences: true });
        const x = input(8);
        generic.apply(x);
        generic.setWeights(fused.getWeights());
        expectClose((generic.apply(x) as tf.Tensor).dataSync(), (fused.apply(x) as tf.Tensor).dataSync(), 1e-6, 1e-5);
        const stacked = tf.layers.rnn({
          cell: tf.layers.stackedRNNCells({ cells: [k.cell({ units }), k.cell({ units })] }),
        });
        expect((stacked.apply(x) as tf.Tensor).shape).toEqual([batch, units]);
      });
    });

    it('trains with fit: finite loss that decreases, no leaked tensors', async () => {
      const model = tf.sequential({
        layers: [
          k.layer({ returnSequences: true, inputShape: [time, features] }),
          k.layer({}),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
      const x = input(11, 8);
      const y = tf.tensor2d(seededArray(12, 8, 1), [8, 1]);
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      const before = tf.memory().numTensors;
      const history = await model.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
      expect(tf.memory().numTensors).toBe(before);
      await expectNoLeaks(() => {
        const p = model.predict(x) as tf.Tensor;
        p.dispose();
      }, 'predict');
      tf.dispose([x, y]);
      model.dispose();
    });

    it('warmup contract: runSequence and runConstantInput agree with the layer', () => {
      const layer = built(k.layer({ returnSequences: true, returnState: true }));
      tf.tidy(() => {
        const x = input(13);
        const [seq] = layer.apply(x) as tf.Tensor[];
        const states = layer.runSequence(x);
        expect(states.length).toBe(k.stateCount);
        expect(states[0].shape).toEqual([batch, time, units]);
        expectClose(states[0].dataSync(), seq.dataSync(), 1e-6, 1e-5);
        // A constant input for 5 steps equals running the tiled sequence.
        const u = tf.tensor2d(seededArray(14, features, 1), [1, features]);
        const start = states.map(
          (s) => tf.reshape(tf.slice(s, [0, 1, 0], [batch, 1, units]), [batch, units]) as tf.Tensor2D,
        );
        const viaConstant = layer.runConstantInput(u, start, 5);
        const viaNoGrad = layer.runConstantInput(u, start, 5, { differentiable: false });
        const tiled = tf.tile(tf.reshape(u, [1, 1, features]), [batch, 5, 1]) as tf.Tensor3D;
        const viaSequence = layer.runSequence(tiled, start).map((s) => tf.slice(s, [0, 4, 0], [batch, 1, units]));
        viaConstant.forEach((s, i) => {
          expectClose(s.dataSync(), viaSequence[i].dataSync(), 1e-6, 1e-5, `state ${i}`);
          expectClose(viaNoGrad[i].dataSync(), s.dataSync(), 1e-6, 1e-5, `no-grad state ${i}`);
        });
        // Differentiable through the constant run, into the weights.
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => tf.sum(layer.runConstantInput(u, start, 5)[0]) as tf.Scalar, vars);
        for (const v of vars) {
          const total = tf.sum(tf.abs(grads[v.name])).dataSync()[0];
          expect(Number.isFinite(total) && total > 0).toBe(true);
        }
      });
    });

    it('warmup contract functions leak no tensors', async () => {
      const layer = built(k.layer({}));
      const x = input(15);
      const u = tf.ones([1, features]) as tf.Tensor2D;
      const start = layer.stateSizes.map((size) => tf.zeros([batch, size]) as tf.Tensor2D);
      await expectNoLeaks(() => layer.runSequence(x), 'runSequence');
      await expectNoLeaks(() => layer.runConstantInput(u, start, 7), 'runConstantInput');
      await expectNoLeaks(
        () => layer.runConstantInput(u, start, 250, { differentiable: false }),
        'runConstantInput no-grad',
      );
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      await expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(layer.runConstantInput(u, start, 7)[0]) as tf.Scalar,
          vars,
        );
        return [value, ...Object.values(grads)];
      }, 'gradient of runConstantInput');
      tf.dispose([x, u, ...start]);
    });
  });
}

describe('validation errors name the problem', () => {
  it('rejects bad units, unknown options, unsupported activations, recurrentDropout', () => {
    expect(() => gru({ units: 0 })).toThrow(/units must be a positive integer, got 0/);
    expect(() => gru({ units: 2.5 })).toThrow(/units must be a positive integer/);
    expect(() => lstm({ units: 4, recurrent_activation: 'sigmoid' } as never)).toThrow(
      /unknown option\(s\) 'recurrent_activation'/,
    );
    expect(() => gru({ units: 4, activation: 'elu' as never })).toThrow(/activation must be one of/);
    expect(() => nbrc({ units: 4, recurrentDropout: 0.2 })).toThrow(/recurrentDropout is not supported/);
    expect(() => brc({ units: 4, dropout: 1.5 })).toThrow(/dropout must be a number in \[0, 1\)/);
    expect(() => gru({ units: 4, kernelInitializer: 'notAnInitializer' })).toThrow(/unknown initializer/);
    expect(() => lstm({ units: 4, chrono: { tMax: 1 } })).toThrow(/chrono.tMax must be a finite number greater than 2/);
  });

  it('rejects wrong input rank, feature size and initial-state shapes', () => {
    tf.tidy(() => {
      const layer = built(gru({ units }));
      expect(() => layer.apply(tf.zeros([batch, features]))).toThrow(/rank 3\), got rank 2/);
      expect(() => layer.apply(tf.zeros([batch, time, features + 1]))).toThrow(
        /has 4 features per step, but the layer was built for 3/,
      );
      expect(() =>
        layer.apply(tf.zeros([batch, time, features]), { initialState: [tf.zeros([batch, units + 1])] }),
      ).toThrow(/initial state 0 must have shape \[2, 3\]/);
      const l2 = built(lstm({ units }));
      expect(() => l2.apply(tf.zeros([batch, time, features]), { initialState: [tf.zeros([batch, units])] })).toThrow(
        /expects 2 initial state\(s\), got 1/,
      );
    });
  });

  it('setWeights rejects NaN and wrong shapes before touching any weight', () => {
    tf.tidy(() => {
      const layer = built(nbrc({ units }));
      const before = layer.getWeights().map((w) => Array.from(w.dataSync()));
      const bad = layer.getWeights().map((w) => tf.clone(w));
      bad[2] = tf.fill(bad[2].shape, NaN);
      bad[0] = tf.add(bad[0], 1);
      expect(() => layer.setWeights(bad)).toThrow(/weight 2 \(.*bias.*\) holds NaN/);
      expect(() => layer.setWeights([bad[0]])).toThrow(/expected 3 weight tensor\(s\)/);
      expect(() => layer.setWeights([tf.zeros([1, 1]), bad[1], bad[2]])).toThrow(
        /must have shape \[3,9\], got \[1,1\]/,
      );
      expect(layer.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    });
  });
});

describe('initializers', () => {
  it('GRU and LSTM recurrent kernels are orthogonal per gate block', () => {
    tf.tidy(() => {
      for (const layer of [gru({ units: 5 }), lstm({ units: 5 })]) {
        layer.build([null, 3, 2]);
        const u = layer.getWeights()[1];
        const blocks = (u.shape[1] ?? 0) / 5;
        for (let b = 0; b < blocks; b++) {
          const block = tf.slice(u, [0, b * 5], [5, 5]);
          expectClose(tf.matMul(block, block, true, false).dataSync(), tf.eye(5).dataSync(), 1e-5, 0);
        }
      }
    });
  });

  it('BRC memory weights start at 1, biases at 0, nBRC recurrent kernel is not zero', () => {
    tf.tidy(() => {
      const b = brc({ units: 4 });
      b.build([null, 3, 2]);
      expect(Array.from(b.getWeights()[1].dataSync())).toEqual(new Array(8).fill(1));
      expect(Array.from(b.getWeights()[2].dataSync())).toEqual(new Array(12).fill(0));
      const n = nbrc({ units: 4 });
      n.build([null, 3, 2]);
      expect(tf.sum(tf.abs(n.getWeights()[1])).dataSync()[0]).toBeGreaterThan(0);
    });
  });

  it('LSTM chrono initialization: b_f = log u, b_i = −log u, u in [1, tMax − 1]', () => {
    tf.tidy(() => {
      const layer = lstm({ units: 50, chrono: { tMax: 100, seed: 3 } });
      layer.build([null, 3, 2]);
      const bias = layer.getWeights()[2].dataSync();
      for (let k = 0; k < 50; k++) {
        const bi = bias[k];
        const bf = bias[50 + k];
        expect(bi).toBeCloseTo(-bf, 6);
        expect(Math.exp(bf)).toBeGreaterThanOrEqual(1 - 1e-5);
        expect(Math.exp(bf)).toBeLessThanOrEqual(99 + 1e-3);
        expect(bias[100 + k]).toBe(0);
        expect(bias[150 + k]).toBe(0);
      }
      const withForget = lstm({ units: 2, unitForgetBias: true });
      withForget.build([null, 3, 2]);
      expect(Array.from(withForget.getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    });
  });
});
