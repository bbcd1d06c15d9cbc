/**
 * Learning-rate schedules tried on top of `warmup(..., { mode: 'robust' })` (issue 11,
 * docs/results.md "Learning-rate schedules in the robust mode"). Each passes its own Adam
 * through `optimizer` — tfjs's `tf.train.adam`, the same arithmetic as warmup's default Adam —
 * and changes the learning rate from `onStep`, so until a schedule first changes a rate the run
 * is the robust mode's own, step for step.
 */
import * as tf from '@tensorflow/tfjs';
import { WARMUP_DEFAULTS, type WarmupOptions, type WarmupStepInfo } from '../../src/index';

/** The robust mode's default learning rate, where every schedule starts. */
const BASE = WARMUP_DEFAULTS.robustLearningRate;
/** Lowest rate of either schedule (a tenth of the start). */
const FLOOR = BASE / 10;

/** What a schedule adds to the warmup options, the rates it used, and how to free its optimizer. */
export interface LrSchedule {
  options: Pick<WarmupOptions, 'optimizer' | 'onStep'>;
  /** Learning rate per step and layer, as applied after that step (for traces). */
  rates: number[][];
  dispose(): void;
}

/** tfjs's Adam exposes its learning rate as a plain field, which `applyGradients` reads each call. */
function setRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/**
 * Late decay: the robust rate for the first half of the steps, then a cosine decay to a tenth
 * of it at the last step, for every layer. Why: the layers that end monostable swing between
 * collapse and the target up to the last steps at the full rate; smaller late steps should let
 * a layer that is at its target stay there.
 */
export function lateDecay(steps: number): LrSchedule {
  const optimizer = tf.train.adam(BASE);
  const rates: number[][] = [];
  const from = Math.floor(steps / 2);
  return {
    options: {
      optimizer,
      onStep: (info: WarmupStepInfo) => {
        const p = Math.max(0, (info.step + 1 - from) / (steps - 1 - from));
        const rate = p <= 0 ? BASE : FLOOR + 0.5 * (BASE - FLOOR) * (1 + Math.cos(Math.PI * Math.min(1, p)));
        setRate(optimizer, rate);
        rates.push(info.vaaStar.map(() => rate));
      },
    },
    rates,
    dispose: () => optimizer.dispose(),
  };
}

/**
 * An Adam per warmed layer (Adam's step ignores the gradient's scale, so a per-layer rate needs
 * its own optimizer): each variable goes to the layer whose name prefixes it.
 */
class PerLayerAdam extends tf.Optimizer {
  static className = 'ExamplePerLayerAdam';
  readonly optimizers: tf.Optimizer[];

  constructor(private readonly layerNames: string[]) {
    super();
    this.optimizers = layerNames.map(() => tf.train.adam(BASE));
  }

  applyGradients(variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients);
    const groups: tf.NamedTensorMap[] = this.layerNames.map(() => ({}));
    for (const [name, tensor] of entries) {
      const l = this.layerNames.findIndex((layer) => name.startsWith(`${layer}/`));
      if (l < 0) throw new Error(`PerLayerAdam: variable ${name} belongs to none of ${this.layerNames.join(', ')}`);
      groups[l][name] = tensor;
    }
    groups.forEach((g, l) => this.optimizers[l].applyGradients(g));
    this.incrementIterations();
  }

  override dispose(): void {
    this.optimizers.forEach((o) => o.dispose());
  }

  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

/**
 * Halve on falls: an Adam per layer, each at the robust rate; a layer's rate halves (down to a
 * tenth) each time it *falls*, i.e. collapses (VAA\* < 2/n) after having been at or above
 * `threshold` since its last fall. Why: a layer that oscillates across the collapse threshold
 * is taking steps too large for where it is; a layer that never falls keeps the robust rate.
 */
export function halveOnFalls(layerNames: string[], batchSize: number, threshold: number): LrSchedule {
  const optimizer = new PerLayerAdam(layerNames);
  const rate = layerNames.map((): number => BASE);
  const reachedSinceFall = layerNames.map(() => false);
  const rates: number[][] = [];
  return {
    options: {
      optimizer,
      onStep: (info: WarmupStepInfo) => {
        info.vaaStar.forEach((v, l) => {
          if (v >= threshold) reachedSinceFall[l] = true;
          else if (v < 2 / batchSize && reachedSinceFall[l]) {
            reachedSinceFall[l] = false;
            rate[l] = Math.max(FLOOR, rate[l] / 2);
            setRate(optimizer.optimizers[l], rate[l]);
          }
        });
        rates.push([...rate]);
      },
    },
    rates,
    dispose: () => optimizer.dispose(),
  };
}
