import type { SeededRandom } from '../utils/seeded_random';

/** The random draws of one VAA measurement: which sequences, where they stop, the constant input. */
export interface VaaDraws {
  /** Indices of the sampled sequences. */
  indices: number[];
  /** Each sample's prefix length c_i ∈ {1 … length_i}. */
  prefixLengths: number[];
  /** The constant input u ~ N(0, I) of the first recurrent layer. */
  input: Float32Array;
}

/**
 * Draws, in this order, `samples` distinct sequences, one prefix length per sequence and one
 * constant input of `inputSize` values: the one place that fixes the order, so that every
 * analysis given the same seed (measureVaa, the attractor analysis) starts from the same states
 * under the same input.
 */
export function drawVaaSample(
  random: SeededRandom,
  lengths: readonly number[],
  samples: number,
  inputSize: number,
): VaaDraws {
  const indices = Array.from(random.permutation(lengths.length).subarray(0, samples));
  const prefixLengths = indices.map((i) => random.int(1, lengths[i] + 1));
  const input = new Float32Array(inputSize);
  for (let k = 0; k < inputSize; k++) input[k] = random.normal();
  return { indices, prefixLengths, input };
}
