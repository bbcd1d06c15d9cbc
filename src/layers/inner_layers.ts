import type { layers } from '@tensorflow/tfjs-layers';

type Layer = layers.Layer;

/**
 * The layers directly inside `layer`: the wrapped layer of a wrapper (`timeDistributed`), both
 * directions of a `bidirectional`, or the layers of a nested model. Empty for a plain layer.
 * tfjs-layers has no public accessor for these, so the known fields are read here, once.
 */
export function innerLayersOf(layer: Layer): Layer[] {
  const l = layer as unknown as {
    layer?: unknown;
    forwardLayer?: unknown;
    backwardLayer?: unknown;
    layers?: unknown;
  };
  const inner = [l.layer, l.forwardLayer, l.backwardLayer, ...(Array.isArray(l.layers) ? (l.layers as unknown[]) : [])];
  return inner.filter((x): x is Layer => x != null && typeof x === 'object');
}

/** `root`'s layers and, recursively, every layer inside them (each once). */
export function allLayersWithin(root: { layers: Layer[] }): Layer[] {
  const found = new Set<Layer>();
  const visit = (layer: Layer): void => {
    if (found.has(layer)) return;
    found.add(layer);
    innerLayersOf(layer).forEach(visit);
  };
  root.layers.forEach(visit);
  return [...found];
}
