import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor, layers } from '@tensorflow/tfjs-layers';
import { model as functionalModel } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors';
import { warmupCapableOf } from '../layers/builtin_adapter';
import { innerLayersOf } from '../layers/inner_layers';
import type { WarmupCapable } from '../layers/warmup_capable';

type Layer = layers.Layer;

/** How the input sequence of one recurrent layer of the path is computed. */
export type PathInputSource =
  /** Apply `layers` in order to the model input. */
  | { kind: 'modelInput'; layers: Layer[] }
  /** Apply `layers` in order to the output of path entry `from`. */
  | { kind: 'previous'; from: number; layers: Layer[] }
  /** Run the model's own graph from its input up to this layer's input. */
  | { kind: 'subModel'; model: LayersModel };

/** One recurrent layer of the model, in model order, with what warmup needs of it. */
export interface PathEntry {
  layer: Layer;
  capable: WarmupCapable;
  /** Whether warmup maximises this layer's multistability. */
  warmed: boolean;
  source: PathInputSource;
}

/** The recurrent layers of a model, in order, up to the last one that matters. */
export interface RecurrentPath {
  entries: PathEntry[];
  /** Features the model's input has per step. */
  inputFeatures: number | null;
  /** Time steps the model's input was built for (`null`: any length). */
  inputTime: number | null;
}

// Layers that act on each time step independently (in inference mode), so a sequence can be
// pushed through them in chunks of steps with the same result as all at once.
const PER_STEP_LAYERS = new Set([
  'Dense',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'LayerNormalization',
  'BatchNormalization',
  'TimeDistributed',
  'Masking',
]);

/** Whether `layer` acts on each time step independently (in inference mode). */
export function actsPerStep(layer: Layer): boolean {
  return PER_STEP_LAYERS.has(layer.getClassName());
}

interface NodeLike {
  inboundLayers: Layer[];
  tensorIndices: number[];
}

/**
 * Finds the model's recurrent layers (ours, and tfjs-layers' GRU/LSTM/SimpleRNN through an
 * adapter) and how each one's input sequence is computed: through the layers between it and
 * the previous recurrent layer when they form a simple chain (so each recurrent layer runs once
 * per batch), otherwise through a sub-model of the user's own graph.
 *
 * @param selection layers to warm (names or layers); all recurrent layers when omitted.
 * @param upTo `'lastWarmed'` stops after the last warmed layer; `'all'` keeps every one.
 */
export function findRecurrentPath(
  model: LayersModel,
  fn: string,
  selection?: Array<string | Layer>,
  upTo: 'lastWarmed' | 'all' = 'lastWarmed',
): RecurrentPath {
  if (model == null || typeof model !== 'object' || !Array.isArray((model as LayersModel).layers)) {
    throw new InvalidArgumentError(`${fn}: model must be a tf.LayersModel or tf.Sequential.`);
  }
  const inputs = (() => {
    try {
      return model.inputs;
    } catch {
      return undefined;
    }
  })();
  if (inputs == null || inputs.length === 0) {
    throw new InvalidArgumentError(
      `${fn}: the model is not built; give its first layer an inputShape (or call model.build).`,
    );
  }
  if (inputs.length !== 1) {
    throw new InvalidArgumentError(
      `${fn}: models with ${inputs.length} inputs are not supported; the model must take one sequence input.`,
    );
  }
  const candidates: Array<{ layer: Layer; capable: WarmupCapable }> = [];
  for (const layer of model.layers) {
    const capable = warmupCapableOf(layer);
    if (capable != null) candidates.push({ layer, capable });
  }
  if (candidates.length === 0) {
    throw new InvalidArgumentError(
      `${fn}: the model has no recurrent layer it can warm up (this library's BRC, NBRC, GRU, LSTM, DoubleRNN, or tf.layers.gru/lstm/simpleRNN).`,
    );
  }
  const warmed = new Set<Layer>();
  if (selection == null) {
    for (const c of candidates) warmed.add(c.layer);
  } else {
    for (const item of selection) {
      const found = candidates.find((c) => (typeof item === 'string' ? c.layer.name === item : c.layer === item));
      if (found == null) {
        const label = typeof item === 'string' ? `'${item}'` : `layer '${(item as Layer)?.name}'`;
        throw new InvalidArgumentError(
          `${fn}: option 'layers' names ${label}, which is not a recurrent layer of the model (recurrent layers: ${candidates.map((c) => `'${c.layer.name}'`).join(', ')}).`,
        );
      }
      warmed.add(found.layer);
    }
  }
  let last = candidates.length - 1;
  if (upTo === 'lastWarmed') while (!warmed.has(candidates[last].layer)) last--;
  const kept = candidates.slice(0, last + 1);

  const entries: PathEntry[] = kept.map((c, index) => {
    if (c.layer.inboundNodes.length !== 1) {
      throw new InvalidArgumentError(
        `${fn}: layer '${c.layer.name}' is called ${c.layer.inboundNodes.length} times in the graph; each recurrent layer must be called exactly once.`,
      );
    }
    return {
      layer: c.layer,
      capable: c.capable,
      warmed: warmed.has(c.layer),
      source: inputSourceOf(
        model,
        c.layer,
        kept.slice(0, index).map((k) => k.layer),
      ),
    };
  });
  const shape = inputs[0].shape;
  return {
    entries,
    inputFeatures: shape[shape.length - 1] ?? null,
    inputTime: shape.length === 3 ? (shape[1] ?? null) : null,
  };
}

/**
 * Whether `layer` holds recurrent weights: a recurrent layer (anything with a `cell`, such as
 * `tf.layers.rnn`), or a wrapper (`bidirectional`, `timeDistributed`) or nested model around
 * one. Used to find the recurrent layers warmup cannot drive, whose weights it then freezes.
 */
export function holdsRecurrentWeights(layer: Layer): boolean {
  if ((layer as unknown as { cell?: unknown }).cell != null) return true;
  return innerLayersOf(layer).some(holdsRecurrentWeights);
}

function inputSourceOf(model: LayersModel, layer: Layer, earlier: Layer[]): PathInputSource {
  const chain: Layer[] = [];
  let node = layer.inboundNodes[0] as unknown as NodeLike;
  for (;;) {
    if (node.inboundLayers.length !== 1 || node.tensorIndices[0] !== 0) break;
    const previous = node.inboundLayers[0];
    if (previous.getClassName() === 'InputLayer') {
      return { kind: 'modelInput', layers: chain.reverse() };
    }
    const from = earlier.indexOf(previous);
    if (from >= 0) return { kind: 'previous', from, layers: chain.reverse() };
    if (previous.inboundNodes.length !== 1) break;
    chain.push(previous);
    node = previous.inboundNodes[0] as unknown as NodeLike;
  }
  // Anything else (merges, shared layers, state outputs): run the user's graph itself.
  const input = layer.input as SymbolicTensor;
  return { kind: 'subModel', model: functionalModel({ inputs: model.inputs, outputs: input }) };
}

/**
 * Throws unless every recurrent layer after the first is fed, step by step, by the previous
 * one's output sequence through per-step layers only: what running the whole stack in chunks
 * of time steps (the VAA measure) requires.
 */
export function assertSteppable(path: RecurrentPath, fn: string): void {
  path.entries.forEach((entry, k) => {
    if (k === 0) return;
    const s = entry.source;
    const previous = path.entries[k - 1];
    if (s.kind !== 'previous' || s.from !== k - 1) {
      throw new InvalidArgumentError(
        `${fn}: layer '${entry.layer.name}' is not fed by '${previous.layer.name}' through a simple chain of layers, so the recurrent stack cannot be run step by step.`,
      );
    }
    if (entry.capable.goBackwards) {
      throw new InvalidArgumentError(
        `${fn}: layer '${entry.layer.name}' runs backwards (goBackwards) on the output of '${previous.layer.name}', so the stack cannot be run step by step.`,
      );
    }
    if (!previous.capable.returnSequences) {
      throw new InvalidArgumentError(
        `${fn}: layer '${previous.layer.name}' must return sequences to feed '${entry.layer.name}' step by step.`,
      );
    }
    const bad = s.layers.find((l) => !actsPerStep(l));
    if (bad != null) {
      throw new InvalidArgumentError(
        `${fn}: layer '${bad.name}' (${bad.getClassName()}) between '${previous.layer.name}' and '${entry.layer.name}' does not act on each time step independently, so the stack cannot be run step by step.`,
      );
    }
  });
}

/** Applies `layers` in order, in inference mode. */
export function applyChain(layers: Layer[], x: tf.Tensor): tf.Tensor {
  let y = x;
  for (const l of layers) y = l.apply(y) as tf.Tensor;
  return y;
}
