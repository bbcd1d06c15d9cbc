/**
 * The states after each sample's prefix, computed the short way (`prefixStatesOnPath`: batch
 * sorted by prefix length, cut to the longest prefix, steps past each prefix masked, states put
 * back in the batch's order) must equal the plain way (the whole sequence, then each sample's
 * step picked), in values and in gradients with respect to every weight, for stacks of every
 * layer kind on both paths (engine and tfjs ops); and it must fall back to the plain way where
 * masking could change the prefix states (goBackwards, a layer mixing time steps).
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setEngineMode } from '../../src/engine/engine_loader';
import { findRecurrentPath, type RecurrentPath } from '../../src/multistability/recurrent_path';
import {
  prefixesSurviveMasking,
  prefixStatesOnPath,
  runPathOverSequence,
  statesAtPrefix,
} from '../../src/multistability/starting_states';
import { warmedLayersFinalStates, type StepDraws } from '../../src/warmup/layer_vaa_star';
import { gru } from '../../src/index';
import { expectClose, expectNoLeaks, seededArray } from '../helpers';
import { doubleRNN, sequences, setDeterministicWeights, stackedModel, type Kind } from '../warmup/models';

afterEach(() => setEngineMode('auto'));

const BATCH = 7;
const TIME = 11;
// Unsorted, repeated, the full length and length 1; the longest is 10 < TIME (the cut).
const PREFIXES = [4, 10, 1, 7, 4, 9, 2];

function plainPrefixStates(path: RecurrentPath, x: tf.Tensor3D, prefixes: number[]): tf.Tensor2D[][] {
  const all = runPathOverSequence(path, x);
  return path.entries.map((_, k) => statesAtPrefix(all[k], prefixes));
}

/**
 * Values of the states and (unless `gradients` is false) of the gradients of Σ probe ⊙ states
 * w.r.t. every trainable weight.
 */
function outcome(model: tf.LayersModel, compute: () => tf.Tensor2D[][], gradients = true): Float32Array[] {
  return tf.tidy(() => {
    const flat = () => tf.concat(compute().flat(), 1);
    const values = flat();
    if (!gradients) return [Float32Array.from(values.dataSync())];
    const probe = tf.tensor(seededArray(77, values.size, 1), values.shape);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(flat(), probe)) as tf.Scalar,
      model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    return [values, ...Object.values(grads)].map((t) => Float32Array.from(t.dataSync()));
  });
}

function expectSameOutcome(a: Float32Array[], b: Float32Array[], label: string): void {
  expect(a.length, label).toBe(b.length);
  a.forEach((v, i) => expectClose(v, b[i], 2e-5, 2e-5, `${label}: ${i === 0 ? 'states' : `gradient ${i - 1}`}`));
}

describe('prefix states through sorted, masked, cut sequences equal the plain computation', () => {
  const kinds: Kind[] = ['gru', 'lstm', 'brc', 'nbrc', 'tfgru', 'tflstm', 'tfsimple'];
  for (const mode of ['auto', 'ops'] as const) {
    it(`every layer kind, 2-layer stacks (${mode === 'auto' ? 'engine' : 'tfjs ops'})`, () => {
      setEngineMode(mode);
      for (const kind of kinds) {
        const model = stackedModel(kind, 5, 2);
        setDeterministicWeights(model, 3);
        const path = findRecurrentPath(model, 'test', undefined, 'all');
        expect(prefixesSurviveMasking(path), kind).toBe(true);
        const x = sequences(BATCH, TIME, 4, 2);
        // masked: true, so the op path runs the short way too (by default it does not).
        const short = outcome(model, () => prefixStatesOnPath(path, path.entries, x, PREFIXES, true));
        const plain = outcome(model, () => plainPrefixStates(path, x, PREFIXES));
        expectSameOutcome(short, plain, kind);
        x.dispose();
        model.dispose();
      }
    });
  }

  it('a double layer and a per-step dense layer between the recurrent layers', () => {
    const model = tf.sequential({
      layers: [
        doubleRNN({ cell: 'gru', units: 8, returnSequences: true, inputShape: [null, 2] }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }) }),
        gru({ units: 4 }),
      ],
    });
    setDeterministicWeights(model, 5);
    const path = findRecurrentPath(model, 'test', undefined, 'all');
    expect(prefixesSurviveMasking(path)).toBe(true);
    const x = sequences(BATCH, TIME, 6, 2);
    expectSameOutcome(
      outcome(model, () => prefixStatesOnPath(path, path.entries, x, PREFIXES)),
      outcome(model, () => plainPrefixStates(path, x, PREFIXES)),
      'double + dense',
    );
    x.dispose();
    model.dispose();
  });

  it('a model built for a fixed length (the cut sequence is shorter)', () => {
    const model = tf.sequential({
      layers: [
        gru({ units: 4, returnSequences: true, inputShape: [TIME, 2] }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }),
        tf.layers.dense({ units: 3 }),
        gru({ units: 4 }),
      ],
    });
    setDeterministicWeights(model, 16);
    const path = findRecurrentPath(model, 'test', undefined, 'all');
    const x = sequences(BATCH, TIME, 17, 2);
    expectSameOutcome(
      outcome(model, () => prefixStatesOnPath(path, path.entries, x, PREFIXES, true)),
      outcome(model, () => plainPrefixStates(path, x, PREFIXES)),
      'fixed length',
    );
    x.dispose();
    model.dispose();
  });

  it('warmedLayersFinalStates (prefix states, then the constant-input runs) equals the plain composition', () => {
    const model = stackedModel('gru', 6, 1);
    setDeterministicWeights(model, 8);
    const path = findRecurrentPath(model, 'test');
    const warmed = path.entries;
    const x = sequences(BATCH, TIME, 9);
    const constantInputs = warmed.map((e, j) =>
      tf.tensor2d(seededArray(20 + j, e.capable.warmupInputSize, 1), [1, e.capable.warmupInputSize]),
    );
    const draws: StepDraws = { indices: [], prefixLengths: PREFIXES, stabilisationSteps: 6, constantInputs };
    const runLayer = vi.spyOn(warmed[0].capable, 'runSequence');
    const short = outcome(model, () => warmedLayersFinalStates(path, warmed, x, draws, true));
    expect(runLayer.mock.calls[0][2], 'the layers ran with a mask').toBeDefined();
    expect(runLayer.mock.calls[0][0].shape[1], 'cut to the longest prefix').toBe(Math.max(...PREFIXES));
    runLayer.mockRestore();
    const plain = outcome(model, () => {
      const prefixStates = plainPrefixStates(path, x, PREFIXES);
      return warmed.map((entry, j) =>
        entry.capable.runConstantInput(
          constantInputs[j],
          entry.capable.warmupStateIndices.map((i) => prefixStates[j][i]),
          6,
        ),
      );
    });
    expectSameOutcome(short, plain, 'warmedLayersFinalStates');
    tf.dispose([x, ...constantInputs]);
    model.dispose();
  });

  it('takes the short way by default where the engine runs the recurrences, not on the op path', () => {
    const model = stackedModel('gru', 4, 1);
    const path = findRecurrentPath(model, 'test', undefined, 'all');
    const x = sequences(BATCH, TIME, 13);
    for (const [mode, expected] of [
      ['auto', true],
      ['ops', false],
    ] as const) {
      setEngineMode(mode);
      const runLayer = vi.spyOn(path.entries[0].capable, 'runSequence');
      tf.dispose(prefixStatesOnPath(path, path.entries, x, PREFIXES));
      expect(runLayer.mock.calls[0][2] != null, `${mode}: masked`).toBe(expected);
      runLayer.mockRestore();
    }
    x.dispose();
    model.dispose();
  });

  it('stays right with a layer that ignores the mask (warmup reads no masked step)', () => {
    const model = stackedModel('gru', 4, 1);
    setDeterministicWeights(model, 14);
    const path = findRecurrentPath(model, 'test', undefined, 'all');
    const x = sequences(BATCH, TIME, 15);
    const plain = outcome(model, () => plainPrefixStates(path, x, PREFIXES));
    const spies = path.entries.map((entry) => {
      const original = entry.capable.runSequence.bind(entry.capable);
      return vi.spyOn(entry.capable, 'runSequence').mockImplementation((inputs, states) => original(inputs, states));
    });
    const short = outcome(model, () => prefixStatesOnPath(path, path.entries, x, PREFIXES, true));
    expect(spies[0].mock.calls[0][2], 'a mask was offered').toBeDefined();
    spies.forEach((spy) => spy.mockRestore());
    expectSameOutcome(short, plain, 'mask ignored');
    x.dispose();
    model.dispose();
  });

  it('falls back to the whole sequence where masking could change a prefix state', () => {
    const backwards = tf.sequential({
      layers: [gru({ units: 4, returnSequences: true, inputShape: [null, 1] }), gru({ units: 4, goBackwards: true })],
    });
    const mixing = tf.sequential({
      layers: [
        gru({ units: 4, returnSequences: true, inputShape: [null, 1] }),
        tf.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same' }),
        gru({ units: 4 }),
      ],
    });
    // (tfjs 4.22's wasm backend has no Conv1D gradient: values only there.)
    for (const [label, model, gradients] of [
      ['goBackwards', backwards, true],
      ['Conv1D between', mixing, false],
    ] as const) {
      setDeterministicWeights(model, 10);
      const path = findRecurrentPath(model, 'test', undefined, 'all');
      expect(prefixesSurviveMasking(path), label).toBe(false);
      const x = sequences(BATCH, TIME, 11);
      const runLayer = vi.spyOn(path.entries[0].capable, 'runSequence');
      const short = outcome(model, () => prefixStatesOnPath(path, path.entries, x, PREFIXES), gradients);
      expect(runLayer.mock.calls[0][2], `${label}: no mask`).toBeUndefined();
      runLayer.mockRestore();
      expectSameOutcome(
        short,
        outcome(model, () => plainPrefixStates(path, x, PREFIXES), gradients),
        label,
      );
      x.dispose();
      model.dispose();
    }
  });

  it('leaves no tensor behind, with and without gradients', async () => {
    const model = stackedModel('lstm', 4, 1);
    const path = findRecurrentPath(model, 'test', undefined, 'all');
    const x = sequences(BATCH, TIME, 12);
    prefixStatesOnPath(path, path.entries, x, PREFIXES)
      .flat()
      .forEach((t) => t.dispose()); // warm caches
    await expectNoLeaks(() => prefixStatesOnPath(path, path.entries, x, PREFIXES), 'forward');
    await expectNoLeaks(() => outcome(model, () => prefixStatesOnPath(path, path.entries, x, PREFIXES)), 'gradients');
    const backwards = tf.sequential({ layers: [gru({ units: 4, goBackwards: true, inputShape: [null, 1] })] });
    const fallback = findRecurrentPath(backwards, 'test');
    prefixStatesOnPath(fallback, fallback.entries, x, PREFIXES)
      .flat()
      .forEach((t) => t.dispose());
    await expectNoLeaks(() => prefixStatesOnPath(fallback, fallback.entries, x, PREFIXES), 'plain path');
    x.dispose();
    model.dispose();
    backwards.dispose();
  });
});
