import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { holdsRecurrentWeights, type RecurrentPath } from '../multistability/recurrent_path';

/**
 * Exactly the weights warmup can change: the trainable weights of the layers it runs (the
 * warmed layers and the layers their inputs pass through), except the weights of recurrent
 * layers that are not warmed, the weights a warmed layer keeps out of warmup (a double layer's
 * second half), and every weight of a recurrent layer warmup cannot drive (`bidirectional`,
 * `tf.layers.rnn`, wrappers and nested models around one: run as the model runs them, never
 * updated). Heads after the last warmed layer are not run, so they are not included. These are
 * the variables the optimizer updates and the rollback snapshot copies, in model order.
 */
export function warmupVariables(model: LayersModel, path: RecurrentPath): tf.Variable[] {
  const run = new Set<layers.Layer>();
  for (const entry of path.entries) {
    const s = entry.source;
    for (const l of s.kind === 'subModel' ? s.model.layers : s.layers) run.add(l);
    run.add(entry.layer);
  }
  const allowed = new Set<LayerVariable>();
  const excluded = new Set<LayerVariable>();
  for (const layer of run) {
    const entry = path.entries.find((e) => e.layer === layer);
    const trained = new Set<LayerVariable>(
      entry != null
        ? entry.warmed
          ? entry.capable.warmupWeights
          : []
        : holdsRecurrentWeights(layer)
          ? []
          : layer.trainableWeights,
    );
    for (const w of layer.trainableWeights) (trained.has(w) ? allowed : excluded).add(w);
  }
  // A weight shared with a layer that must keep its weights stays frozen.
  return model.trainableWeights.filter((w) => allowed.has(w) && !excluded.has(w)).map((w) => w.read() as tf.Variable);
}
