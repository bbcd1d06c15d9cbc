import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { SequenceInputs } from '../multistability/sequence_inputs';
import { drawVaaSample } from '../multistability/vaa_draws';
import { SeededRandom } from '../utils/seeded_random';
import type { ResolvedFixedPointOptions } from './fixed_point_options';
import type { RecurrentSystem } from './recurrent_system';

/** Where the search starts: the starting states and the constant input. */
export interface StartingPoints {
  /** `[n, dimension]`; owned by the caller of {@link drawStartingPoints}. */
  states: tf.Tensor2D;
  /** The constant input u, `[inputSize]`. */
  input: Float32Array;
}

/**
 * Checks the data against the system, then draws the starting states (as warmup and
 * `measureVaa` draw them, plus optional Gaussian noise) and the constant input. Everything is
 * validated before any layer runs.
 */
export async function drawStartingPoints(
  system: RecurrentSystem,
  o: ResolvedFixedPointOptions,
  fn: string,
): Promise<StartingPoints> {
  if (o.input instanceof Float32Array && o.input.length !== system.inputSize) {
    throw new ShapeError(
      `${fn}: option 'input' has ${o.input.length} values; the first recurrent layer takes ${system.inputSize} features.`,
    );
  }
  const random = new SeededRandom(o.seed);
  let states: tf.Tensor2D;
  let drawn: Float32Array;
  if (o.startingStates != null) {
    const given = o.startingStates;
    if (o.samples != null)
      throw new InvalidArgumentError(
        `${fn}: option 'samples' applies to 'inputs' only; 'startingStates' are all used.`,
      );
    if (given.shape[1] !== system.dimension || given.shape[0] < 1) {
      throw new ShapeError(
        `${fn}: option 'startingStates' must be [n ≥ 1, ${system.dimension}] (${describeBlocks(system)}), got [${given.shape}].`,
      );
    }
    const finite = tf.tidy(() => tf.all(tf.isFinite(tf.cast(given, 'float32'))));
    const ok = (await finite.data())[0] === 1;
    finite.dispose();
    if (!ok) throw new NonFiniteError(`${fn}: option 'startingStates' contains NaN or ±Infinity.`);
    drawn = drawVaaSample(random, [], 0, system.inputSize).input;
    states = tf.cast(given, 'float32') as tf.Tensor2D;
    if (states === given) states = tf.clone(given);
  } else {
    const data = await SequenceInputs.create(o.inputs, fn);
    const samples = o.samples ?? Math.min(32, data.count);
    if (samples > data.count) {
      throw new InvalidArgumentError(
        `${fn}: samples ${samples} is larger than the number of input sequences (${data.count}).`,
      );
    }
    if (system.features != null && system.features !== data.features) {
      throw new ShapeError(
        `${fn}: inputs have ${data.features} features per step but '${system.name}' expects ${system.features}.`,
      );
    }
    if (data.variableLength && system.runsBackwards) {
      throw new InvalidArgumentError(
        `${fn}: layers running backwards (goBackwards) are not supported with variable-length inputs.`,
      );
    }
    const draws = drawVaaSample(random, data.lengths, samples, system.inputSize);
    drawn = draws.input;
    const { x } = data.batch(draws.indices);
    try {
      states = system.statesAfterPrefixes(x, draws.prefixLengths);
    } finally {
      x.dispose();
    }
  }
  if (o.noise > 0) {
    const noiseRandom = random.child('noise');
    const values = new Float32Array(states.size);
    for (let i = 0; i < values.length; i++) values[i] = o.noise * noiseRandom.normal();
    const noisy = tf.tidy(() => tf.add(states, tf.tensor2d(values, states.shape)) as tf.Tensor2D);
    states.dispose();
    states = noisy;
  }
  const input = o.input === 'random' ? drawn : o.input === 'zero' ? new Float32Array(system.inputSize) : o.input;
  return { states, input };
}

/** `h of 'gru_1' (8), c of …` for messages. */
export function describeBlocks(system: RecurrentSystem): string {
  return system.blocks.map((b) => `${b.state} of '${b.layer}' (${b.size})`).join(', ');
}
