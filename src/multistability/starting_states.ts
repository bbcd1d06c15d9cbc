import * as tf from '@tensorflow/tfjs-core';
import { pickTimeSteps } from '../backend/tfjs_quirks';
import { ShapeError } from '../errors';
import { applyChain, type RecurrentPath } from './recurrent_path';

/**
 * Runs every recurrent layer of the path once over the batch `x` (each layer's input computed
 * as the model computes it) and returns every layer's full states at every step,
 * `states[entry][state]` of shape `[batch, time, size]`. Differentiable: gradients reach the
 * recurrent layers and the layers before them, as in the reference implementation.
 */
export function runPathOverSequence(path: RecurrentPath, x: tf.Tensor3D): tf.Tensor3D[][] {
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
    const layerStates = entry.capable.runSequence(input as tf.Tensor3D);
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
