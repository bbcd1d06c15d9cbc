import * as tf from '@tensorflow/tfjs-core';
import { LayersModel, type layers } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors';
import { warmupCapableOf } from '../layers/builtin_adapter';
import { DoubleRNN } from '../layers/double_rnn';
import type { WarmupCapable } from '../layers/warmup_capable';
import { applyChain, assertSteppable, findRecurrentPath, type RecurrentPath } from '../multistability/recurrent_path';
import { prefixStatesOnPath } from '../multistability/starting_states';

/** Where one recurrent state sits inside the analysed state vector. */
export interface StateBlock {
  /** Name of the recurrent layer the state belongs to. */
  layer: string;
  /** `'h'` or `'c'` (LSTM); for a double layer `'h (first half)'`, `'c (second half)'`, …. */
  state: string;
  /** First index of the block in the state vector. */
  offset: number;
  /** Number of values. */
  size: number;
}

/**
 * The discrete-time dynamical system `h ↦ F(h, u)` of a recurrent layer or of a model's whole
 * recurrent stack under a constant input, with h the concatenation of every full recurrent
 * state (h, then c for LSTM; layer after layer). Internal.
 */
export class RecurrentSystem {
  readonly dimension: number;
  readonly blocks: StateBlock[];
  /** Features of the constant input (the first recurrent layer's input size). */
  readonly inputSize: number;

  private constructor(
    readonly name: string,
    private readonly path: RecurrentPath,
  ) {
    const blocks: StateBlock[] = [];
    let offset = 0;
    for (const entry of path.entries) {
      const names = stateNames(entry.layer, entry.capable);
      entry.capable.stateSizes.forEach((size, i) => {
        blocks.push({ layer: entry.layer.name, state: names[i], offset, size });
        offset += size;
      });
    }
    this.blocks = blocks;
    this.dimension = offset;
    this.inputSize = path.entries[0].capable.warmupInputSize;
  }

  /**
   * The system of `target`: a model (its whole recurrent stack, as `measureVaa` runs it) or one
   * recurrent layer (this library's, a double layer or one of its halves, or tfjs-layers' gru,
   * lstm, simpleRNN). Throws {@link InvalidArgumentError} for anything else.
   */
  static of(target: unknown, fn: string): RecurrentSystem {
    if (target instanceof LayersModel) {
      const path = findRecurrentPath(target, fn, undefined, 'all');
      assertSteppable(path, fn);
      return new RecurrentSystem(target.name, path);
    }
    if (target == null || typeof target !== 'object' || typeof (target as layers.Layer).getClassName !== 'function') {
      throw new InvalidArgumentError(
        `${fn}: expected a tf.LayersModel or a recurrent layer (BRC, NBRC, GRU, LSTM, DoubleRNN or its halves, tf.layers.gru/lstm/simpleRNN).`,
      );
    }
    const layer = target as layers.Layer;
    const capable = warmupCapableOf(layer);
    if (capable == null) {
      throw new InvalidArgumentError(
        `${fn}: layer '${layer.name}' (${layer.getClassName()}) is not a recurrent layer it can analyse (BRC, NBRC, GRU, LSTM, DoubleRNN, tf.layers.gru/lstm/simpleRNN).`,
      );
    }
    if (!layer.built) {
      throw new InvalidArgumentError(`${fn}: layer '${layer.name}' is not built yet; build it (or its model) first.`);
    }
    const path: RecurrentPath = {
      entries: [{ layer, capable, warmed: true, source: { kind: 'modelInput', layers: [] } }],
      inputFeatures: capable.warmupInputSize,
      inputTime: null,
    };
    return new RecurrentSystem(layer.name, path);
  }

  /** Features per step of the sequences the system starts from (null when unknown). */
  get features(): number | null {
    return this.path.inputFeatures;
  }

  /** Names of the recurrent layers, in order. */
  get layerNames(): string[] {
    return this.path.entries.map((e) => e.layer.name);
  }

  /** Whether some layer processes sequences backwards. */
  get runsBackwards(): boolean {
    return this.path.entries.some((e) => e.capable.goBackwards);
  }

  /**
   * The states reached after each sequence's prefix (`prefixLengths[i]` steps of `x[i]`), from
   * the zero state, concatenated `[n, dimension]`: the starting states warmup and VAA use.
   */
  statesAfterPrefixes(x: tf.Tensor3D, prefixLengths: number[]): tf.Tensor2D {
    return tf.tidy(() => {
      const perLayer = prefixStatesOnPath(this.path, this.path.entries, x, prefixLengths);
      return this.join(perLayer.flat());
    });
  }

  /**
   * `steps` steps of the whole stack from `states` `[n, dimension]` with `input` `[1, inputSize]`
   * held constant at the first layer. With `steps = 1` this is F(h, u); differentiable.
   */
  advance(states: tf.Tensor2D, input: tf.Tensor2D, steps: number): tf.Tensor2D {
    return tf.tidy(() => {
      const n = states.shape[0];
      const split = this.split(states);
      let output: tf.Tensor = tf.tile(tf.reshape(input, [1, 1, this.inputSize]), [n, steps, 1]);
      const finals: tf.Tensor2D[] = [];
      let k = 0;
      this.path.entries.forEach((entry, e) => {
        const source = entry.source;
        const layerInput = e === 0 ? output : applyChain(source.kind === 'previous' ? source.layers : [], output);
        const own = split.slice(k, k + entry.capable.stateSizes.length);
        k += own.length;
        const sequences = entry.capable.runSequence(layerInput as tf.Tensor3D, own);
        output = entry.capable.outputSequence(sequences);
        for (const s of sequences) {
          const [b, t, size] = s.shape;
          finals.push(tf.reshape(tf.slice(s, [0, t - 1, 0], [b, 1, size]), [b, size]) as tf.Tensor2D);
        }
      });
      return this.join(finals);
    });
  }

  private split(states: tf.Tensor2D): tf.Tensor2D[] {
    if (this.blocks.length === 1) return [states];
    return tf.split(
      states,
      this.blocks.map((b) => b.size),
      1,
    ) as tf.Tensor2D[];
  }

  private join(parts: tf.Tensor2D[]): tf.Tensor2D {
    return (parts.length === 1 ? tf.clone(parts[0]) : tf.concat(parts, 1)) as tf.Tensor2D;
  }
}

function stateNames(layer: layers.Layer, capable: WarmupCapable): string[] {
  const count = capable.stateSizes.length;
  if (layer instanceof DoubleRNN) {
    const half = count / 2;
    const base = half === 1 ? ['h'] : ['h', 'c'];
    return [...base.map((s) => `${s} (first half)`), ...base.map((s) => `${s} (second half)`)];
  }
  return count === 1 ? ['h'] : ['h', 'c'];
}
