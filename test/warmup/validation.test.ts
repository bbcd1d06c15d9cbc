/**
 * Every validation error of `warmup` and `measureVaa`: a typed error naming the problem, thrown
 * before any weight is touched, leaving no tensor (and no byte) behind.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, gru, measureVaa, warmup } from '../../src/index';
import { expectSameMemory, memoryCount } from '../helpers';
import { sequences, stackedModel, weightValues } from './models';

type ErrorClass = new (...a: never[]) => Error;
type Case = [string, (model: tf.LayersModel, x: tf.Tensor3D) => Promise<unknown>, ErrorClass, RegExp];

function multiInputModel(): tf.LayersModel {
  const a = tf.input({ shape: [null, 1] });
  const b = tf.input({ shape: [null, 1] });
  const merged = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: gru({ units: 2 }).apply(merged) as tf.SymbolicTensor });
}

function sharedLayerModel(): tf.LayersModel {
  const input = tf.input({ shape: [null, 3] });
  const shared = gru({ units: 3, returnSequences: true });
  const twice = shared.apply(shared.apply(input)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: twice });
}

/** Bad inputs and models, made once so that each case's memory check sees only the call. */
const bad = {
  emptyTensor: tf.zeros([0, 6, 1]) as tf.Tensor3D,
  zeroLength: tf.zeros([4, 0, 1]) as tf.Tensor3D,
  zeroInList: [tf.ones([3, 1]), tf.zeros([0, 1])] as tf.Tensor2D[],
  mixedFeatures: [tf.ones([3, 1]), tf.ones([3, 2])] as tf.Tensor2D[],
  notATensor: [tf.ones([3, 1]), [[1]]] as never,
  threeFeatures: sequences(6, 5, 2, 3),
  multiInput: multiInputModel(),
  shared: sharedLayerModel(),
};

const inputCases = (fn: typeof warmup | typeof measureVaa, options: object): Case[] => [
  [
    'empty tensor inputs',
    (m) => fn(m, bad.emptyTensor, options),
    ShapeError,
    /at least one sequence, step and feature, got shape \[0,6,1\]/,
  ],
  [
    'empty list of inputs',
    (m) => fn(m, [], options),
    InvalidArgumentError,
    /non-empty array of \[time, features\] tensors/,
  ],
  [
    'zero-length tensor sequences',
    (m) => fn(m, bad.zeroLength, options),
    ShapeError,
    /at least one sequence, step and feature, got shape \[4,0,1\]/,
  ],
  [
    'a zero-length sequence in a list',
    (m) => fn(m, bad.zeroInList, options),
    ShapeError,
    /inputs\[1\] has no time steps/,
  ],
  [
    'mixed feature sizes',
    (m) => fn(m, bad.mixedFeatures, options),
    ShapeError,
    /inputs\[1\] has 2 features but inputs\[0\] has 1/,
  ],
  [
    'not a tensor in the list',
    (m) => fn(m, bad.notATensor, options),
    ShapeError,
    /inputs\[1\] must be a \[time, features\] tensor/,
  ],
  [
    'a multi-input model',
    (_m, x) => fn(bad.multiInput, x, options),
    InvalidArgumentError,
    /models with 2 inputs are not supported/,
  ],
  [
    'a recurrent layer called twice (shared)',
    (_m) => fn(bad.shared, bad.threeFeatures, options),
    InvalidArgumentError,
    /is called 2 times in the graph/,
  ],
  ['not a model', (_m, x) => fn({} as never, x, options), InvalidArgumentError, /model must be a tf.LayersModel/],
];

const warmupCases: Case[] = [
  ...inputCases(warmup, { batchSize: 2 }),
  [
    'options not an object',
    (m, x) => warmup(m, x, 5 as never),
    InvalidArgumentError,
    /expected an options object, received 5/,
  ],
  [
    'learningRate NaN',
    (m, x) => warmup(m, x, { learningRate: NaN }),
    InvalidArgumentError,
    /'learningRate' must be a finite number, received NaN/,
  ],
  [
    'learningRate Infinity',
    (m, x) => warmup(m, x, { learningRate: Infinity }),
    InvalidArgumentError,
    /'learningRate' must be a finite number, received Infinity/,
  ],
  [
    'learningRate ≤ 0',
    (m, x) => warmup(m, x, { learningRate: -0.1 }),
    InvalidArgumentError,
    /'learningRate' must be > 0/,
  ],
  [
    'epsilon NaN',
    (m, x) => warmup(m, x, { epsilon: NaN }),
    InvalidArgumentError,
    /'epsilon' must be a finite number, received NaN/,
  ],
  [
    'epsilon Infinity',
    (m, x) => warmup(m, x, { epsilon: Infinity }),
    InvalidArgumentError,
    /'epsilon' must be a finite number, received Infinity/,
  ],
  ['epsilon 0', (m, x) => warmup(m, x, { epsilon: 0 }), InvalidArgumentError, /'epsilon' must be > 0/],
  ['target NaN', (m, x) => warmup(m, x, { target: NaN }), InvalidArgumentError, /'target' must be a finite number/],
  ['target 0', (m, x) => warmup(m, x, { target: 0 }), InvalidArgumentError, /'target' must be > 0/],
  [
    'batchSize 0',
    (m, x) => warmup(m, x, { batchSize: 0 }),
    InvalidArgumentError,
    /'batchSize' must be an integer >= 2, received 0/,
  ],
  [
    'batchSize 1',
    (m, x) => warmup(m, x, { batchSize: 1 }),
    InvalidArgumentError,
    /'batchSize' must be an integer >= 2, received 1/,
  ],
  [
    'batchSize 2.5',
    (m, x) => warmup(m, x, { batchSize: 2.5 }),
    InvalidArgumentError,
    /'batchSize' must be an integer >= 2, received 2.5/,
  ],
  [
    'stabilisationMax 0',
    (m, x) => warmup(m, x, { stabilisationMax: 0 }),
    InvalidArgumentError,
    /'stabilisationMax' must be an integer >= 1/,
  ],
  [
    'stabilisationIncrement -1',
    (m, x) => warmup(m, x, { stabilisationIncrement: -1 }),
    InvalidArgumentError,
    /'stabilisationIncrement' must be an integer >= 0/,
  ],
  [
    'seed 1.5',
    (m, x) => warmup(m, x, { seed: 1.5 }),
    InvalidArgumentError,
    /'seed' must be a safe integer or a string, received 1.5/,
  ],
  [
    'seed NaN',
    (m, x) => warmup(m, x, { seed: NaN }),
    InvalidArgumentError,
    /'seed' must be a safe integer or a string, received NaN/,
  ],
  [
    'seed object',
    (m, x) => warmup(m, x, { seed: {} as never }),
    InvalidArgumentError,
    /'seed' must be a safe integer or a string, received an object/,
  ],
  [
    'signal not an AbortSignal',
    (m, x) => warmup(m, x, { signal: {} as never }),
    InvalidArgumentError,
    /'signal' must be an AbortSignal/,
  ],
  [
    'signal null',
    (m, x) => warmup(m, x, { signal: null as never }),
    InvalidArgumentError,
    /'signal' must be an AbortSignal, received null/,
  ],
  [
    'onStep not a function',
    (m, x) => warmup(m, x, { onStep: 'log' as never }),
    InvalidArgumentError,
    /'onStep' must be a function, received "log"/,
  ],
  [
    'optimizer not an optimizer',
    (m, x) => warmup(m, x, { optimizer: {} as never }),
    InvalidArgumentError,
    /'optimizer' must be a tf.Optimizer, received an object/,
  ],
  [
    'optimizer null',
    (m, x) => warmup(m, x, { optimizer: null as never }),
    InvalidArgumentError,
    /'optimizer' must be a tf.Optimizer, received null/,
  ],
  ['layers empty', (m, x) => warmup(m, x, { layers: [] }), InvalidArgumentError, /'layers' must be a non-empty array/],
  [
    'layers naming nothing',
    (m, x) => warmup(m, x, { layers: ['nope'] }),
    InvalidArgumentError,
    /names 'nope', which is not a recurrent layer of the model/,
  ],
];

const measureCases: Case[] = [
  ...inputCases(measureVaa, { samples: 2, steps: 3 }),
  [
    'options not an object',
    (m, x) => measureVaa(m, x, 'x' as never),
    InvalidArgumentError,
    /expected an options object, received "x"/,
  ],
  [
    'epsilon NaN',
    (m, x) => measureVaa(m, x, { epsilon: NaN }),
    InvalidArgumentError,
    /'epsilon' must be a positive finite number, received NaN/,
  ],
  [
    'epsilon Infinity',
    (m, x) => measureVaa(m, x, { epsilon: Infinity }),
    InvalidArgumentError,
    /'epsilon' must be a positive finite number, received Infinity/,
  ],
  [
    'samples 0',
    (m, x) => measureVaa(m, x, { samples: 0 }),
    InvalidArgumentError,
    /'samples' must be an integer >= 1, received 0/,
  ],
  [
    'chunkSize 0',
    (m, x) => measureVaa(m, x, { chunkSize: 0 }),
    InvalidArgumentError,
    /'chunkSize' must be an integer >= 1, received 0/,
  ],
  [
    'seed 1.5',
    (m, x) => measureVaa(m, x, { seed: 1.5 }),
    InvalidArgumentError,
    /'seed' must be a safe integer or a string, received 1.5/,
  ],
  [
    'details not boolean',
    (m, x) => measureVaa(m, x, { details: 'yes' } as never),
    InvalidArgumentError,
    /'details' must be true or false, received "yes"/,
  ],
];

for (const [fnName, cases] of [
  ['warmup', warmupCases],
  ['measureVaa', measureCases],
] as const) {
  describe(`${fnName} validation: a typed error before anything changes, nothing left behind`, () => {
    const model = stackedModel('gru', 3);
    const x = sequences(6, 5, 1);
    for (const [name, run, type, message] of cases) {
      it(name, async () => {
        const weights = weightValues(model);
        const before = memoryCount();
        const error = await run(model, x).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `${name}: ${String(error)}`).toBeInstanceOf(type);
        expect(String((error as Error).message)).toMatch(message);
        expect(String((error as Error).message)).toMatch(new RegExp(`^${fnName}: `));
        expect(weightValues(model)).toEqual(weights);
        expectSameMemory(before, name);
      });
    }
  });
}
