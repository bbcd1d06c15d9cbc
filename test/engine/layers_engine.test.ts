import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { brc, doubleRNN, engineStatus, gru, lstm, nbrc, setEngineMode } from '../../src/index';
import { adaptBuiltinRecurrentLayer } from '../../src/layers/builtin_adapter';
import { expectClose, scoped, seededArray } from '../helpers';

/**
 * The engine through the layers: our layers (goBackwards, initial states, masks, stateful,
 * the double layer) and the adapter of tfjs's own gru / lstm / simpleRNN give the same outputs,
 * states and weight gradients on the engine as on the tfjs-op path.
 */
const batch = 3;
const time = 6;
const features = 2;
const units = 5;

type Make = (args: Record<string, unknown>) => tf.layers.Layer;
const layers: Array<[string, Make, number]> = [
  ['BRC', (a) => brc({ units, ...a }), 1],
  ['nBRC', (a) => nbrc({ units, ...a }), 1],
  ['GRU', (a) => gru({ units, ...a }), 1],
  [
    'GRU resetAfter false, hardSigmoid',
    (a) => gru({ units, resetAfter: false, recurrentActivation: 'hardSigmoid', ...a }),
    1,
  ],
  ['LSTM', (a) => lstm({ units, ...a }), 2],
  ['LSTM relu/hardSigmoid', (a) => lstm({ units, activation: 'relu', recurrentActivation: 'hardSigmoid', ...a }), 2],
  ['doubleRNN gru', (a) => doubleRNN({ cell: 'gru', units: 6, ...a }), 1],
];

function randomWeights(layer: tf.layers.Layer): void {
  const values = layer.getWeights().map((w, i) => tf.tensor(seededArray(50 + i, w.size, 0.6), w.shape));
  layer.setWeights(values);
  tf.dispose(values);
}

/** Outputs and weight gradients of one call on the path `mode`, read as arrays. */
function outcome(mode: 'auto' | 'ops', layer: tf.layers.Layer, x: tf.Tensor, kwargs: Record<string, unknown>) {
  setEngineMode(mode);
  try {
    return scoped(() => {
      const outputs = [layer.apply(x, kwargs)].flat() as tf.Tensor[];
      const path = engineStatus().lastPath;
      const values = outputs.map((o) => Float32Array.from(o.dataSync()));
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => {
        const ys = [layer.apply(x, kwargs)].flat() as tf.Tensor[];
        return tf.addN(
          ys.map((y, i) => tf.sum(tf.mul(y, tf.tensor(seededArray(90 + i, y.size, 1), y.shape)))),
        ) as tf.Scalar;
      }, variables);
      const gradients = variables.map((v) => Float32Array.from(grads[v.name].dataSync()));
      return { path, values, gradients };
    });
  } finally {
    setEngineMode('auto');
  }
}

function expectSame(layer: tf.layers.Layer, x: tf.Tensor, kwargs: Record<string, unknown>, label: string): void {
  const engine = outcome('auto', layer, x, kwargs);
  const ops = outcome('ops', layer, x, kwargs);
  expect(engine.path, label).toBe('engine');
  expect(ops.path, label).toBe('ops');
  engine.values.forEach((v, i) => expectClose(v, ops.values[i], 2e-5, 2e-5, `${label}: output ${i}`));
  engine.gradients.forEach((g, i) => expectClose(g, ops.gradients[i], 1e-4, 1e-4, `${label}: weight gradient ${i}`));
}

describe('layers on the engine match the op path', () => {
  for (const [name, make, stateCount] of layers) {
    it(`${name}: goBackwards, initial states, masks`, () => {
      const x = tf.tensor3d(seededArray(3, batch * time * features, 1.5), [batch, time, features]);
      const mask = tf.tensor2d(
        [
          [1, 1, 0, 1, 0, 1],
          [1, 0, 0, 0, 1, 1],
          [0, 1, 1, 1, 1, 0],
        ],
        [batch, time],
      );
      const width = name.startsWith('double') ? 6 : units;
      const initialState = Array.from({ length: stateCount }, (_, i) =>
        tf.tensor2d(seededArray(7 + i, batch * width, 0.8), [batch, width]),
      );
      for (const goBackwards of [false, true]) {
        const layer = make({ returnSequences: true, returnState: true, goBackwards });
        layer.build([null, time, features]);
        randomWeights(layer);
        const label = `${name}, goBackwards ${goBackwards}`;
        expectSame(layer, x, {}, label);
        expectSame(layer, x, { mask }, `${label}, mask`);
        expectSame(layer, x, { mask, initialState }, `${label}, mask, initial states`);
      }
      tf.dispose([x, mask, ...initialState]);
    });
  }

  it('stateful layers carry the same states on both paths', () => {
    for (const [name, make] of layers) {
      const results = (['auto', 'ops'] as const).map((mode) => {
        setEngineMode(mode);
        try {
          const layer = make({ stateful: true, batchInputShape: [batch, 3, features] });
          layer.build([batch, 3, features]);
          randomWeights(layer);
          const x = tf.tensor3d(seededArray(11, batch * 3 * features, 1), [batch, 3, features]);
          tf.dispose(layer.apply(x) as tf.Tensor);
          const second = layer.apply(x) as tf.Tensor;
          const values = Float32Array.from(second.dataSync());
          tf.dispose([x, second]);
          return values;
        } finally {
          setEngineMode('auto');
        }
      });
      expectClose(results[0], results[1], 2e-5, 2e-5, `${name} stateful`);
    }
  });

  it("a layer's engine option forces the op path for it and is serialized", () => {
    const layer = gru({ units, engine: 'ops', returnSequences: true });
    layer.build([null, time, features]);
    const x = tf.ones([batch, time, features]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(engineStatus().lastPath).toBe('ops');
    expect(layer.getConfig().engine).toBe('ops');
    const auto = gru({ units });
    auto.build([null, time, features]);
    tf.dispose(auto.apply(x) as tf.Tensor);
    expect(engineStatus().lastPath).toBe('engine');
    expect(auto.getConfig().engine).toBe('auto');
    const double = doubleRNN({ cell: 'lstm', units: 4, engine: 'ops' });
    expect(double.getConfig().engine).toBe('ops');
    expect(() => gru({ units, engine: 'fast' as 'auto' })).toThrow(/engine must be 'auto' or 'ops'/);
    tf.dispose(x);
  });
});

describe("tfjs's built-in layers through the adapter on the engine", () => {
  const kinds: Array<[string, () => tf.layers.Layer]> = [
    ['gru', () => tf.layers.gru({ units, returnSequences: true })],
    ['lstm', () => tf.layers.lstm({ units, returnSequences: true })],
    ['simpleRNN relu', () => tf.layers.simpleRNN({ units, activation: 'relu', returnSequences: true })],
    ['gru goBackwards', () => tf.layers.gru({ units, returnSequences: true, goBackwards: true })],
  ];
  for (const [name, make] of kinds) {
    it(`${name}: runSequence, runConstantInput and gradients`, () => {
      const layer = make();
      const input = tf.input({ shape: [null, features] });
      tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
      randomWeights(layer);
      const adapter = adaptBuiltinRecurrentLayer(layer)!;
      const x = tf.tensor3d(seededArray(5, batch * time * features, 1.5), [batch, time, features]);
      const constant = tf.tensor2d(seededArray(6, batch * features, 1), [batch, features]);
      const results = (['auto', 'ops'] as const).map((mode) => {
        setEngineMode(mode);
        try {
          return scoped(() => {
            const states = adapter.runSequence(x);
            const path = engineStatus().lastPath;
            const zeros = adapter.stateSizes.map((s) => tf.zeros([batch, s]) as tf.Tensor2D);
            const finals = adapter.runConstantInput(constant, zeros, 40, { differentiable: false });
            const variables = adapter.warmupWeights.map((w) => w.read() as tf.Variable);
            const { grads } = tf.variableGrads(
              () => tf.sum(tf.square(adapter.runSequence(x)[0])) as tf.Scalar,
              variables,
            );
            return {
              path,
              states: states.map((s) => Float32Array.from(s.dataSync())),
              finals: finals.map((s) => Float32Array.from(s.dataSync())),
              grads: variables.map((v) => Float32Array.from(grads[v.name].dataSync())),
            };
          });
        } finally {
          setEngineMode('auto');
        }
      });
      expect(results.map((r) => r.path)).toEqual(['engine', 'ops']);
      results[0].states.forEach((s, i) => expectClose(s, results[1].states[i], 2e-5, 2e-5, `${name} state ${i}`));
      results[0].finals.forEach((s, i) => expectClose(s, results[1].finals[i], 2e-5, 2e-5, `${name} constant ${i}`));
      results[0].grads.forEach((g, i) => expectClose(g, results[1].grads[i], 1e-4, 1e-4, `${name} gradient ${i}`));
      tf.dispose([x, constant]);
    });
  }
});
