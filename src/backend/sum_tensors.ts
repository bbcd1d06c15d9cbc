import * as tf from '@tensorflow/tfjs-core';

/**
 * Most inputs one `tf.addN` call gets. Quirk `webgpuAddNBufferLimit` (see `tfjs_quirks.ts`):
 * tfjs 4.22's webgpu AddN binds one storage buffer per input (plus the output) and fails above
 * the device's per-stage limit (8 by default), so a long list is summed in groups: a few more
 * ops, still far fewer than pairwise `tf.add`.
 */
export const MAX_ADDN_INPUTS = 7;

/** The sum of same-shape tensors, as nested `addN` calls of at most {@link MAX_ADDN_INPUTS} inputs (call inside `tf.tidy`: the partial sums are not disposed here). */
export function sumTensors<T extends tf.Tensor>(tensors: readonly T[]): T {
  if (tensors.length === 0) throw new Error('sumTensors: no tensors to sum.');
  let level: T[] = [...tensors];
  while (level.length > 1) {
    const next: T[] = [];
    for (let i = 0; i < level.length; i += MAX_ADDN_INPUTS) {
      const group = level.slice(i, i + MAX_ADDN_INPUTS);
      next.push(group.length === 1 ? group[0] : tf.addN(group));
    }
    level = next;
  }
  return level[0];
}
