import * as tf from '@tensorflow/tfjs-core';
import type { PathEntry } from '../multistability/recurrent_path';
import type { SequenceInputs } from '../multistability/sequence_inputs';
import type { SeededRandom } from '../utils/seeded_random';
import type { StepDraws } from './layer_vaa_star';

/**
 * Serves minibatches of sequence indices: a fresh random order each pass over the inputs, only
 * full batches (the remainder of a pass is skipped, so every VAA\* is over the same n).
 */
export class BatchSchedule {
  private order: Int32Array;
  private position = 0;

  constructor(
    private readonly count: number,
    private readonly batchSize: number,
    private readonly random: SeededRandom,
  ) {
    this.order = random.permutation(count);
  }

  next(): number[] {
    if (this.position + this.batchSize > this.count) {
      this.order = this.random.permutation(this.count);
      this.position = 0;
    }
    const batch = Array.from(this.order.subarray(this.position, this.position + this.batchSize));
    this.position += this.batchSize;
    return batch;
  }
}

/**
 * Draws one step's randomness (see the [method guide](../../docs/method.md#warmup-algorithm)):
 * prefix lengths `c_i ~ Uniform{1 … length_i}`, the constant inputs `u_l ~ N(0, I)` of the
 * warmed layers, and the given stabilisation length. The caller disposes `constantInputs`.
 */
export function drawStep(
  random: SeededRandom,
  indices: number[],
  data: SequenceInputs,
  warmed: PathEntry[],
  stabilisationSteps: number,
): StepDraws {
  const prefixLengths = indices.map((i) => random.int(1, data.lengths[i] + 1));
  const constantInputs = warmed.map((entry) => {
    const size = entry.capable.warmupInputSize;
    const u = new Float32Array(size);
    for (let k = 0; k < size; k++) u[k] = random.normal();
    return tf.tensor2d(u, [1, size]);
  });
  return { indices, prefixLengths, stabilisationSteps, constantInputs };
}

/**
 * `T_max = min(1 + increment·k, max)` (see the
 * [method guide](../../docs/method.md#warmup-algorithm)).
 */
export function maxStabilisationAt(step: number, increment: number, max: number): number {
  return Math.min(1 + increment * step, max);
}
