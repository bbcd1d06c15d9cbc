import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors';
import { gru as ourGru } from '../../src/index';
import type { WarmupCapable } from '../../src/layers/warmup_capable';
import { adaptBuiltinRecurrentLayer } from '../../src/layers/builtin_adapter';
import { expectClose, expectNoLeaks, seededArray } from '../helpers';

/**
 * The adapter that makes tfjs-layers' own gru / lstm / simpleRNN warmup-capable: it must
 * compute exactly what the built-in layer computes, with gradients landing in the built-in's
 * own variables.
 */
const batch = 3;
const time = 5;
const features = 2;
const units = 4;

type Kind = 'gru' | 'lstm' | 'simpleRNN';
interface Case {
  label: string;
  kind: Kind;
  options: Record<string, unknown>;
}

const cases: Case[] = [
  { label: 'gru (hardSigmoid default)', kind: 'gru', options: {} },
  { label: 'gru sigmoid', kind: 'gru', options: { recurrentActivation: 'sigmoid' } },
  { label: 'gru no bias', kind: 'gru', options: { useBias: false } },
  { label: 'lstm (hardSigmoid default)', kind: 'lstm', options: {} },
  {
    label: 'lstm sigmoid, dropout ignored',
    kind: 'lstm',
    options: { recurrentActivation: 'sigmoid', dropout: 0.3, recurrentDropout: 0.2 },
  },
  { label: 'simpleRNN tanh', kind: 'simpleRNN', options: {} },
  { label: 'simpleRNN relu', kind: 'simpleRNN', options: { activation: 'relu' } },
  { label: 'simpleRNN no bias', kind: 'simpleRNN', options: { useBias: false } },
];

function makeLayer(kind: Kind, options: Record<string, unknown>): tf.layers.Layer {
  const args = { units, returnSequences: true, returnState: true, ...options };
  if (kind === 'gru') return tf.layers.gru(args as Parameters<typeof tf.layers.gru>[0]);
  if (kind === 'lstm') return tf.layers.lstm(args as Parameters<typeof tf.layers.lstm>[0]);
  return tf.layers.simpleRNN(args as Parameters<typeof tf.layers.simpleRNN>[0]);
}

/** A built-in layer in a model, with random weights; returns the layer and its adapter. */
function build(kind: Kind, options: Record<string, unknown>): { layer: tf.layers.Layer; adapter: WarmupCapable } {
  const layer = makeLayer(kind, options);
  const input = tf.input({ shape: [null, features] });
  tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor[] });
  const values = layer.getWeights().map((w, i) => tf.tensor(seededArray(100 + i, w.size, 0.7), w.shape));
  layer.setWeights(values);
  tf.dispose(values);
  const adapter = adaptBuiltinRecurrentLayer(layer);
  if (adapter == null) throw new Error('adapter expected');
  return { layer, adapter };
}

function inputs(seed = 7, b = batch, t = time): tf.Tensor3D {
  return tf.tensor3d(seededArray(seed, b * t * features, 1.5), [b, t, features]);
}

function stateCount(kind: Kind): number {
  return kind === 'lstm' ? 2 : 1;
}

function close(actual: tf.Tensor, expected: tf.Tensor, label: string, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.shape, label).toEqual(expected.shape);
  expectClose(actual.dataSync(), expected.dataSync(), atol, rtol, label);
}

function lastStep(states: tf.Tensor3D): tf.Tensor2D {
  const [b, t, u] = states.shape;
  return tf.reshape(tf.slice(states, [0, t - 1, 0], [b, 1, u]), [b, u]) as tf.Tensor2D;
}

function randomStates(kind: Kind, seed: number): tf.Tensor2D[] {
  return Array.from({ length: stateCount(kind) }, (_, i) =>
    tf.tensor2d(seededArray(seed + i, batch * units, 0.8), [batch, units]),
  );
}

for (const c of cases) {
  for (const goBackwards of [false, true]) {
    describe(`${c.label}${goBackwards ? ', goBackwards' : ''}`, () => {
      it('describes the layer', () => {
        const { layer, adapter } = build(c.kind, { ...c.options, goBackwards });
        expect(adapter.warmupCapable).toBe(true);
        expect(adapter.name).toBe(layer.name);
        expect(adapter.goBackwards).toBe(goBackwards);
        expect(adapter.returnSequences).toBe(true);
        expect(adapter.warmupInputSize).toBe(features);
        expect(adapter.stateSizes).toEqual(Array.from({ length: stateCount(c.kind) }, () => units));
        expect(adapter.warmupStateIndices).toEqual(Array.from({ length: stateCount(c.kind) }, (_, i) => i));
        expect(adapter.warmupWeights).toEqual(layer.trainableWeights);
        expect(adapter.warmupWeights.length).toBe(c.options.useBias === false ? 2 : 3);
      });

      it('runSequence equals the built-in output sequence and final states', () => {
        tf.tidy(() => {
          const { layer, adapter } = build(c.kind, { ...c.options, goBackwards });
          const x = inputs();
          for (const initial of [undefined, randomStates(c.kind, 50)]) {
            const expected = layer.apply(x, initial == null ? {} : { initialState: initial }) as tf.Tensor[];
            const states = adapter.runSequence(x, initial);
            expect(states.length).toBe(stateCount(c.kind));
            close(adapter.outputSequence(states), expected[0], 'output sequence');
            states.forEach((s, i) => close(lastStep(s), expected[1 + i], `final state ${i}`));
          }
        });
      });

      it('runConstantInput equals runSequence on the tiled input', () => {
        tf.tidy(() => {
          const { adapter } = build(c.kind, { ...c.options, goBackwards });
          const steps = 6;
          const initial = randomStates(c.kind, 60);
          for (const rows of [1, batch]) {
            const u = tf.tensor2d(seededArray(70 + rows, rows * features, 1.5), [rows, features]);
            const tiled = tf.tile(tf.expandDims(u, 1), [batch / rows, steps, 1]) as tf.Tensor3D;
            const expected = adapter.runSequence(tiled, initial).map(lastStep);
            for (const differentiable of [true, false]) {
              const final = adapter.runConstantInput(u, initial, steps, { differentiable });
              expect(final.length).toBe(stateCount(c.kind));
              final.forEach((s, i) =>
                close(s, expected[i], `rows=${rows} differentiable=${differentiable} state ${i}`),
              );
            }
          }
        });
      });

      it('gradients land in the built-in variables and equal the built-in gradients', () => {
        tf.tidy(() => {
          const { layer, adapter } = build(c.kind, { ...c.options, goBackwards });
          const x = inputs();
          const probe = tf.tensor3d(seededArray(3, batch * time * units, 1), [batch, time, units]);
          const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const lossOf = (out: tf.Tensor) => tf.sum(tf.mul(out, probe)) as tf.Scalar;
          const builtin = tf.variableGrads(() => lossOf((layer.apply(x) as tf.Tensor[])[0]), variables);
          const ours = tf.variableGrads(() => lossOf(adapter.outputSequence(adapter.runSequence(x))), variables);
          close(ours.value, builtin.value, 'loss');
          variables.forEach((v) => {
            expect(ours.grads[v.name], v.name).toBeDefined();
            close(ours.grads[v.name], builtin.grads[v.name], `gradient of ${v.name}`, 1e-4, 1e-3);
          });
          // Through the constant-input run as well (warmup's stabilisation phase).
          const u = tf.tensor2d(seededArray(80, features, 1.5), [1, features]);
          const initial = randomStates(c.kind, 90);
          const stateProbe = tf.tensor2d(seededArray(4, batch * units, 1), [batch, units]);
          const constant = tf.variableGrads(
            () =>
              tf.addN(adapter.runConstantInput(u, initial, 4).map((s) => tf.sum(tf.mul(s, stateProbe)))) as tf.Scalar,
            variables,
          );
          const tiled = tf.tile(tf.expandDims(u, 1), [batch, 4, 1]) as tf.Tensor3D;
          const reference = tf.variableGrads(
            () =>
              tf.addN(
                adapter.runSequence(tiled, initial).map((s) => tf.sum(tf.mul(lastStep(s), stateProbe))),
              ) as tf.Scalar,
            variables,
          );
          variables.forEach((v) =>
            close(constant.grads[v.name], reference.grads[v.name], `constant-input gradient of ${v.name}`, 1e-4, 1e-3),
          );
        });
      });
    });
  }
}

describe('adaptBuiltinRecurrentLayer: what it adapts and what it rejects', () => {
  it('returns null for layers that are not tfjs built-in GRU / LSTM / SimpleRNN', () => {
    const input = tf.input({ shape: [time, features] });
    const dense = tf.layers.dense({ units: 3 });
    dense.apply(input);
    const generic = tf.layers.rnn({ cell: tf.layers.gruCell({ units }) });
    generic.apply(input);
    const ours = ourGru({ units });
    ours.apply(input);
    expect(adaptBuiltinRecurrentLayer(dense)).toBeNull();
    expect(adaptBuiltinRecurrentLayer(generic)).toBeNull();
    expect(adaptBuiltinRecurrentLayer(ours)).toBeNull();
    expect(adaptBuiltinRecurrentLayer(tf.layers.dropout({ rate: 0.5 }))).toBeNull();
  });

  it('rejects an activation the fused backward pass cannot express, naming layer and activation', () => {
    const input = tf.input({ shape: [time, features] });
    const simple = tf.layers.simpleRNN({ units, activation: 'elu', name: 'my_elu_rnn' });
    simple.apply(input);
    expect(() => adaptBuiltinRecurrentLayer(simple)).toThrow(InvalidArgumentError);
    expect(() => adaptBuiltinRecurrentLayer(simple)).toThrow(/my_elu_rnn.*activation "elu"/);
    const gate = tf.layers.gru({ units, recurrentActivation: 'selu', name: 'my_selu_gru' });
    gate.apply(input);
    expect(() => adaptBuiltinRecurrentLayer(gate)).toThrow(/my_selu_gru.*recurrentActivation "selu"/);
  });

  it('rejects a layer that is not built yet', () => {
    expect(() => adaptBuiltinRecurrentLayer(tf.layers.lstm({ units }))).toThrow(InvalidArgumentError);
    expect(() => adaptBuiltinRecurrentLayer(tf.layers.lstm({ units }))).toThrow(/not built/);
  });

  it('validates shapes with ShapeError', () => {
    const { adapter } = build('lstm', {});
    const x = inputs();
    const bad3d = tf.zeros([batch, time, features + 1]) as tf.Tensor3D;
    const rank2 = tf.zeros([batch, features]) as tf.Tensor2D;
    const good = randomStates('lstm', 1);
    const wrongUnits = tf.zeros([batch, units + 1]) as tf.Tensor2D;
    const wrongBatch = tf.zeros([batch + 1, units]) as tf.Tensor2D;
    expect(() => adapter.runSequence(rank2 as unknown as tf.Tensor3D)).toThrow(ShapeError);
    expect(() => adapter.runSequence(bad3d)).toThrow(/3 features per step.*built for 2/);
    expect(() => adapter.runSequence(x, [good[0]])).toThrow(/expects 2 initial state\(s\), got 1/);
    expect(() => adapter.runSequence(x, [good[0], wrongUnits])).toThrow(ShapeError);
    expect(() => adapter.runSequence(x, [wrongBatch, good[1]])).toThrow(/initial state 0 must have shape \[3, 4\]/);
    expect(() => adapter.outputSequence([x])).toThrow(ShapeError);
    const u = tf.zeros([1, features]) as tf.Tensor2D;
    expect(() => adapter.runConstantInput(tf.zeros([1, features + 1]) as tf.Tensor2D, good, 3)).toThrow(ShapeError);
    expect(() => adapter.runConstantInput(tf.zeros([2, features]) as tf.Tensor2D, good, 3)).toThrow(/must be 1 or 3/);
    expect(() => adapter.runConstantInput(u, [], 3)).toThrow(ShapeError);
    expect(() => adapter.runConstantInput(u, [good[0]], 3)).toThrow(ShapeError);
    expect(() => adapter.runConstantInput(u, good, 0)).toThrow(InvalidArgumentError);
    expect(() => adapter.runConstantInput(u, good, 1.5)).toThrow(InvalidArgumentError);
    tf.dispose([x, bad3d, rank2, ...good, wrongUnits, wrongBatch, u]);
  });
});

describe('adaptBuiltinRecurrentLayer: no leaked tensors', () => {
  for (const kind of ['gru', 'lstm', 'simpleRNN'] as const) {
    it(kind, async () => {
      const { layer, adapter } = build(kind, {});
      const x = inputs();
      const initial = randomStates(kind, 5);
      const u = tf.tensor2d(seededArray(6, features, 1), [1, features]);
      await expectNoLeaks(() => adaptBuiltinRecurrentLayer(layer) as unknown as object, 'adapt');
      await expectNoLeaks(() => adapter.runSequence(x), 'runSequence');
      await expectNoLeaks(() => adapter.runSequence(x, initial), 'runSequence with initial states');
      await expectNoLeaks(() => {
        const states = adapter.runSequence(x);
        const output = adapter.outputSequence(states);
        tf.dispose(states.filter((s) => s !== output));
        return output;
      }, 'outputSequence');
      await expectNoLeaks(() => adapter.runConstantInput(u, initial, 7), 'runConstantInput');
      await expectNoLeaks(
        () => adapter.runConstantInput(u, initial, 250, { differentiable: false }),
        'runConstantInput (no gradient)',
      );
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      await expectNoLeaks(
        () =>
          tf.variableGrads(() => {
            const states = adapter.runSequence(x, initial);
            const finals = adapter.runConstantInput(u, states.map(lastStep), 3);
            return tf.addN([tf.sum(adapter.outputSequence(states)), ...finals.map((s) => tf.sum(s))]) as tf.Scalar;
          }, variables),
        'gradients',
      );
      tf.dispose([x, ...initial, u]);
    });
  }
});
