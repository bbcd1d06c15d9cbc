import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors';
import { lockModel } from '../utils/model_lock';
import { now } from '../utils/now';
import { SeededRandom, type Seed } from '../utils/seeded_random';
import { checkInteger, checkOptions, checkSeed, describeValue } from '../utils/validate_options';
import { checkDataAgainstModel } from './check_data_against_model';
import { applyChain, assertSteppable, findRecurrentPath, type RecurrentPath } from './recurrent_path';
import { SequenceInputs, type SequenceInput } from './sequence_inputs';
import { prefixStatesOnPath } from './starting_states';
import { warnIfLowPrecision } from './precision';
import { readVaa } from './vaa';
import { DEFAULT_VAA_EPSILON } from './validate_states';
import { drawVaaSample } from './vaa_draws';

/** Options of {@link measureVaa}. */
export interface MeasureVaaOptions {
  /** Number of sequences n drawn from the inputs (at most their number). Default 32. */
  samples?: number;
  /** Stabilisation length T under the constant input. Default 10 000. */
  steps?: number;
  /** ε of VAA. Default 1e-4. */
  epsilon?: number;
  /** Seed of the sample choice, prefix lengths and constant input. Default: random. */
  seed?: Seed;
  /** Steps run per chunk (memory is bounded by one chunk). Default 100. */
  chunkSize?: number;
  /** Return {@link VaaMeasurement} details instead of the number alone. Default false. */
  details?: boolean;
}

/** Detailed result of {@link measureVaa} (with `details: true`). */
export interface VaaMeasurement {
  /** VAA of the concatenated final states of all recurrent layers. */
  vaa: number;
  /** VAA of each recurrent layer's own final states. */
  perLayer: Array<{ layer: string; vaa: number }>;
  /** The n and T used. */
  samples: number;
  steps: number;
  /** Wall time in milliseconds. */
  ms: number;
}

const OPTION_NAMES: (keyof MeasureVaaOptions)[] = ['samples', 'steps', 'epsilon', 'seed', 'chunkSize', 'details'];

/**
 * Measures the reachable multistability of a model's recurrent stack with the exact VAA (see
 * the [method guide](../../docs/method.md#sampling-final-states)): draw `samples` input
 * sequences, run the recurrent layers over each one's random prefix
 * `c_i ~ Uniform{1 … length_i}` to reach a state, then run the whole stack together from those
 * states under one constant random input `u ~ N(0, I)` at the first recurrent layer for `steps`
 * steps, without gradients and in chunks (memory stays flat), and compute
 *
 *     VAA = (1/n) · Σ_i 1 / |{ j : ‖s_j − s_i‖₂ < ε }|
 *
 * over the concatenated final states of all layers (h and c for LSTM). VAA ≈ (number of
 * distinct attractors reached) / n: 1/n means monostable.
 *
 * Layers between recurrent layers must act on each time step on their own (dense, dropout,
 * normalisation, …). The model's weights are not changed. Sequences of length 1 are allowed
 * (the starting state is the one after the only step).
 *
 * One call at a time per model: `measureVaa` on a model that another `measureVaa` or a
 * `warmup` is still using rejects at once with {@link ConcurrentUseError}.
 *
 * @returns VAA, or {@link VaaMeasurement} with per-layer values when `details: true`.
 *
 * @example
 * ```ts
 * const v = await measureVaa(model, trainInputs, { seed: 0 });   // 1/32 … 1
 * ```
 */
export async function measureVaa(
  model: LayersModel,
  inputs: SequenceInput,
  options?: MeasureVaaOptions & { details?: false },
): Promise<number>;
export async function measureVaa(
  model: LayersModel,
  inputs: SequenceInput,
  options: MeasureVaaOptions & { details: true },
): Promise<VaaMeasurement>;
export async function measureVaa(
  model: LayersModel,
  inputs: SequenceInput,
  options: MeasureVaaOptions = {},
): Promise<number | VaaMeasurement> {
  const release = lockModel(model, 'measureVaa');
  try {
    return await runMeasureVaa(model, inputs, options);
  } finally {
    release();
  }
}

async function runMeasureVaa(
  model: LayersModel,
  inputs: SequenceInput,
  options: MeasureVaaOptions,
): Promise<number | VaaMeasurement> {
  const started = now();
  const fn = 'measureVaa';
  const o = checkOptions<MeasureVaaOptions>(fn, options ?? {}, OPTION_NAMES);
  const steps = o.steps === undefined ? 10000 : checkInteger(fn, 'steps', o.steps, 1);
  const chunkSize = o.chunkSize === undefined ? 100 : checkInteger(fn, 'chunkSize', o.chunkSize, 1);
  const epsilon = o.epsilon ?? DEFAULT_VAA_EPSILON;
  if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new InvalidArgumentError(
      `${fn}: option 'epsilon' must be a positive finite number, received ${describeValue(o.epsilon)}.`,
    );
  }
  if (o.details !== undefined && typeof o.details !== 'boolean') {
    throw new InvalidArgumentError(
      `${fn}: option 'details' must be true or false, received ${describeValue(o.details)}.`,
    );
  }
  const seed = checkSeed(fn, 'seed', o.seed);
  warnIfLowPrecision(fn);
  const data = await SequenceInputs.create(inputs, fn);
  const samples = o.samples === undefined ? Math.min(32, data.count) : checkInteger(fn, 'samples', o.samples, 1);
  if (samples > data.count) {
    throw new InvalidArgumentError(
      `${fn}: samples ${samples} is larger than the number of input sequences (${data.count}).`,
    );
  }
  const path = findRecurrentPath(model, fn, undefined, 'all');
  checkDataAgainstModel(path, data, fn);
  assertSteppable(path, fn);

  const firstInputSize = path.entries[0].capable.warmupInputSize;
  const {
    indices,
    prefixLengths,
    input: u,
  } = drawVaaSample(new SeededRandom(seed), data.lengths, samples, firstInputSize);

  let states = tf.tidy(() => {
    const { x } = data.batch(indices);
    return prefixStatesOnPath(path, path.entries, x, prefixLengths);
  });
  const constant = tf.tensor3d(u, [1, 1, firstInputSize]);
  try {
    for (let done = 0; done < steps; done += chunkSize) {
      const count = Math.min(chunkSize, steps - done);
      const next = stepStack(path, states, constant, samples, count);
      tf.dispose(states);
      states = next;
      // Let other work (UI, timers) run between chunks.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    const perLayer: Array<{ layer: string; vaa: number }> = [];
    for (const [k, entry] of path.entries.entries())
      perLayer.push({ layer: entry.layer.name, vaa: await vaaOf(states[k], epsilon) });
    const total = await vaaOf(states.flat(), epsilon);
    const ms = now() - started;
    return o.details === true ? { vaa: total, perLayer, samples, steps, ms } : total;
  } finally {
    tf.dispose(states);
    constant.dispose();
  }
}

/** Runs the whole recurrent stack `count` steps from `states` with the constant first input. */
function stepStack(
  path: RecurrentPath,
  states: tf.Tensor2D[][],
  constant: tf.Tensor3D,
  batch: number,
  count: number,
): tf.Tensor2D[][] {
  return tf.tidy(() => {
    let output: tf.Tensor = tf.tile(constant, [batch, count, 1]);
    return path.entries.map((entry, k) => {
      const source = entry.source;
      const input = k === 0 ? output : applyChain(source.kind === 'previous' ? source.layers : [], output);
      const sequences = entry.capable.runSequence(input as tf.Tensor3D, states[k]);
      output = entry.capable.outputSequence(sequences);
      return sequences.map((s) => {
        const [b, t, size] = s.shape;
        return tf.reshape(tf.slice(s, [0, t - 1, 0], [b, 1, size]), [b, size]) as tf.Tensor2D;
      });
    });
  });
}

async function vaaOf(states: tf.Tensor2D[], epsilon: number): Promise<number> {
  const all = tf.tidy(() => (states.length === 1 ? tf.clone(states[0]) : tf.concat(states, 1)));
  try {
    return await readVaa('measureVaa', all as tf.Tensor2D, epsilon);
  } finally {
    all.dispose();
  }
}
