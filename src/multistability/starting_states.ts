import * as tf from '@tensorflow/tfjs-core';
import { pickTimeSteps } from '../backend/tfjs_quirks';
import { engineRunsRecurrences } from '../engine/engine_dispatch';
import { ShapeError } from '../errors';
import { actsPerStep, applyChain, type PathEntry, type RecurrentPath } from './recurrent_path';

/**
 * Runs every recurrent layer of the path once over the batch `x` (each layer's input computed
 * as the model computes it) and returns every layer's full states at every step,
 * `states[entry][state]` of shape `[batch, time, size]`. Differentiable: gradients reach the
 * recurrent layers and the layers before them, as in the reference implementation.
 *
 * `mask` (`[batch, time]`, optional) is passed to every recurrent layer: where it is 0 the
 * layer skips the step and keeps its states.
 */
export function runPathOverSequence(path: RecurrentPath, x: tf.Tensor3D, mask?: tf.Tensor2D): tf.Tensor3D[][] {
  const states: tf.Tensor3D[][] = [];
  const outputs: tf.Tensor[] = [];
  path.entries.forEach((entry, k) => {
    const s = entry.source;
    let input: tf.Tensor;
    if (s.kind === 'modelInput') input = applyChain(s.layers, x);
    else if (s.kind === 'previous') input = applyChain(s.layers, outputs[s.from]);
    else input = s.model.apply(x) as tf.Tensor;
    if (input.rank !== 3) {
      throw new ShapeError(
        `The input reaching recurrent layer '${entry.layer.name}' has rank ${input.rank}; expected a [batch, time, features] sequence.`,
      );
    }
    const layerStates = entry.capable.runSequence(input as tf.Tensor3D, undefined, mask);
    states.push(layerStates);
    const sequence = entry.capable.outputSequence(layerStates);
    if (entry.capable.returnSequences) {
      outputs[k] = sequence;
    } else {
      const [batch, time, size] = sequence.shape;
      outputs[k] = tf.reshape(tf.slice(sequence, [0, time - 1, 0], [batch, 1, size]), [batch, size]);
    }
  });
  return states;
}

/**
 * Picks each sample's state after its own prefix: `prefixLengths[i]` steps (1-based) of sample
 * i, from `[batch, time, size]` sequences. Differentiable on every backend (see `pickTimeSteps`).
 */
export function statesAtPrefix(sequences: tf.Tensor3D[], prefixLengths: number[]): tf.Tensor2D[] {
  return pickTimeSteps(
    sequences,
    prefixLengths.map((c) => c - 1),
  );
}

/**
 * Whether masking every step past a sample's prefix leaves each recurrent layer's states at
 * that prefix unchanged: every layer runs forwards (a backward layer's prefix states depend on
 * the steps after it), every layer's input comes from the model input or an earlier layer's
 * output sequence through layers acting on each step alone (so no input step before the prefix
 * depends on one after it), never through a sub-model of the user's graph.
 */
export function prefixesSurviveMasking(path: RecurrentPath): boolean {
  return path.entries.every((entry) => {
    const s = entry.source;
    if (entry.capable.goBackwards || s.kind === 'subModel' || !s.layers.every(actsPerStep)) return false;
    return s.kind === 'modelInput' || path.entries[s.from].capable.returnSequences;
  });
}

let maskingOverride: boolean | null = null;

/**
 * Forces (true / false) or, with null, restores the default choice of the masked way in
 * {@link prefixStatesOnPath} (internal: the benchmarks time both ways of one warmup step in one
 * process; not exported from the package).
 */
export function setPrefixMaskingForBench(masked: boolean | null): void {
  maskingOverride = masked;
}

/**
 * Every `entries` layer's full states after each sample's own prefix (`prefixLengths[i]` steps
 * of sample i, 1-based), `[entry][state]` each `[batch, size]` in the batch's order: the same
 * values as {@link runPathOverSequence} then {@link statesAtPrefix}, and differentiable in the
 * same way. When `masked` (default: where the recurrences run on the engine) and
 * {@link prefixesSurviveMasking} holds, it does about half the arithmetic: the batch runs sorted
 * by decreasing prefix length, cut to the longest prefix (for a model built for any length),
 * with every step past a sample's prefix masked, and the engine, which skips fully masked rows at the end of the batch, computes only
 * the prefixes. The picked states
 * are put back in the batch's order with a one-hot product (a differentiable gather on every
 * backend). On the tfjs-op path masks only add ops per step, so by default it runs the plain way.
 */
export function prefixStatesOnPath(
  path: RecurrentPath,
  entries: PathEntry[],
  x: tf.Tensor3D,
  prefixLengths: number[],
  masked: boolean = maskingOverride ?? engineRunsRecurrences(),
): tf.Tensor2D[][] {
  const [batch, time, features] = x.shape;
  const longest = Math.max(...prefixLengths);
  if (!masked || !prefixesSurviveMasking(path) || prefixLengths.length !== batch || longest > time) {
    return tf.tidy(() => {
      const all = runPathOverSequence(path, x);
      return entries.map((entry) => statesAtPrefix(all[path.entries.indexOf(entry)], prefixLengths));
    });
  }
  return tf.tidy(() => {
    const order = prefixLengths.map((_, i) => i).sort((a, b) => prefixLengths[b] - prefixLengths[a] || a - b);
    const rank = new Array<number>(batch);
    order.forEach((i, k) => (rank[i] = k));
    // Cut to the longest prefix, unless the model was built for a fixed length (its layers
    // would refuse a shorter sequence); the engine skips the fully masked steps either way.
    const steps = path.inputTime == null ? longest : time;
    const mask = tf.tensor2d(
      order.flatMap((i) => Array.from({ length: steps }, (_, t) => (t < prefixLengths[i] ? 1 : 0))),
      [batch, steps],
    );
    // x is data (not differentiated), so a plain gather reorders it.
    const cut = steps < time ? tf.slice(x, [0, 0, 0], [batch, steps, features]) : x;
    const sorted = tf.gather(cut, tf.tensor1d(order, 'int32')) as tf.Tensor3D;
    const all = runPathOverSequence(path, sorted, mask);
    // Picked at each prefix's own step, not at the last step the mask holds them to: a layer
    // that ignores the mask (the mask only saves arithmetic) still gives the right states.
    const sortedLengths = order.map((i) => prefixLengths[i]);
    // Row i of the batch is row rank[i] of the sorted run.
    const restore = batch > 1 ? tf.cast(tf.oneHot(tf.tensor1d(rank, 'int32'), batch), 'float32') : null;
    return entries.map((entry) =>
      statesAtPrefix(all[path.entries.indexOf(entry)], sortedLengths).map(
        (picked) => (restore == null ? picked : tf.matMul(restore, picked)) as tf.Tensor2D,
      ),
    );
  });
}
