import type { layers } from '@tensorflow/tfjs-layers';
import { ConcurrentUseError } from '../errors';
import { allLayersWithin } from '../layers/inner_layers';

const inUse = new WeakMap<object, string>();

/**
 * Marks `model` and every layer with weights in it (nested ones included) as in use by `fn` until the
 * returned release function is called; throws {@link ConcurrentUseError} at once when another
 * `warmup` or `measureVaa` holds the model or any of its layers.
 *
 * Why: both functions await between steps. A second call on the same model would interleave
 * its steps with the first one's (weights that match neither run), and a failing call's
 * rollback would overwrite the other's progress. Layers are locked too because one layer
 * object can be shared by several models: warming one model changes the other's weights.
 * Call it before the first `await`, so two calls made in the same tick are told apart. Values
 * that are not objects are not locked (the model check that follows rejects them).
 */
export function lockModel(model: unknown, fn: string): () => void {
  if (model === null || typeof model !== 'object') return () => undefined;
  const modelLayers = (model as { layers?: unknown }).layers;
  const held: object[] = [
    model,
    // Only layers with weights: models built from one `tf.input` share its InputLayer, which
    // warmup cannot change, so sharing it must not serialise them.
    ...(Array.isArray(modelLayers)
      ? allLayersWithin({ layers: modelLayers as layers.Layer[] }).filter((l) => l.weights.length > 0)
      : []),
  ];
  const modelHolder = inUse.get(model);
  if (modelHolder !== undefined) {
    throw new ConcurrentUseError(
      `${fn}: this model is already in use by a ${modelHolder} call that has not finished; await it before calling ${fn} on the same model (each model runs one warmup or measureVaa at a time).`,
    );
  }
  for (const layer of held.slice(1)) {
    const holder = inUse.get(layer);
    if (holder !== undefined) {
      const name = (layer as { name?: unknown }).name;
      throw new ConcurrentUseError(
        `${fn}: layer '${String(name)}' of this model is in use by a ${holder} call on another model that shares it, which has not finished; await it first (a shared layer takes part in one warmup or measureVaa at a time).`,
      );
    }
  }
  for (const object of held) inUse.set(object, fn);
  return () => {
    for (const object of held) inUse.delete(object);
  };
}
