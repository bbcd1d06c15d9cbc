import type * as tf from '@tensorflow/tfjs-core';
import type { serialization } from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';

/**
 * Checks of the options and weights our layers and cells receive, shared by every cell, the
 * recurrent layers and the double layer. Internal; not exported from the package.
 */

const LAYER_ARG_NAMES = [
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'name',
  'trainable',
  'weights',
  'inputDType',
];
const FUSED_CELL_ARG_NAMES = [
  'units',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'implementation',
  'dropoutFunc',
  // Added by tfjs-layers' deserializer to every config it passes to fromConfig.
  'customObjects',
];
/** Option names of the RNN layer wrapper (also present in layer configs). */
export const RNN_LAYER_ARG_NAMES = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'inputDim',
  'inputLength',
  'cell',
  'engine',
];

/**
 * Throws {@link InvalidArgumentError} if `args` holds an option name nobody reads, so that a
 * typo (`recurrent_activation`, `untis`) fails loudly instead of being ignored.
 */
export function rejectUnknownOptions(args: object, known: readonly string[], owner: string): void {
  const allowed = new Set([...LAYER_ARG_NAMES, ...FUSED_CELL_ARG_NAMES, ...RNN_LAYER_ARG_NAMES, ...known]);
  const unknown = Object.keys(args).filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`${owner}: unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}.`);
  }
}

/** Throws unless `units` is a positive integer. */
export function validateUnits(units: unknown, owner: string): number {
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) {
    throw new InvalidArgumentError(`${owner}: units must be a positive integer, got ${String(units)}.`);
  }
  return units;
}

/** Throws unless `value` (default 0) is a rate in `[0, 1)`; returns it. */
export function validateRate(value: unknown, option: string, owner: string): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
    throw new InvalidArgumentError(`${owner}: ${option} must be a number in [0, 1), got ${String(value)}.`);
  }
  return v;
}

/**
 * Checks a `setWeights` argument against the current weights: count, shapes, finiteness.
 * @throws ShapeError or NonFiniteError naming the offending weight.
 */
export function validateWeights(owner: string, current: LayerVariable[], weights: tf.Tensor[]): void {
  if (!Array.isArray(weights) || weights.length !== current.length) {
    throw new ShapeError(
      `${owner}.setWeights: expected ${current.length} weight tensor(s) ` +
        `(${current.map((w) => w.name).join(', ')}), got ${Array.isArray(weights) ? weights.length : typeof weights}.`,
    );
  }
  weights.forEach((w, i) => {
    const expected = current[i].shape;
    if (w.shape.length !== expected.length || w.shape.some((d, k) => d !== expected[k])) {
      throw new ShapeError(
        `${owner}.setWeights: weight ${i} (${current[i].name}) must have shape [${expected}], got [${w.shape}].`,
      );
    }
    const data = w.dataSync();
    for (let k = 0; k < data.length; k++) {
      if (!Number.isFinite(data[k])) {
        throw new NonFiniteError(
          `${owner}.setWeights: weight ${i} (${current[i].name}) holds ${data[k]} at flat index ${k}; weights must be finite.`,
        );
      }
    }
  });
}

/**
 * A layer config as constructor options: tfjs-layers' deserializer adds `customObjects` to every
 * config it passes to `fromConfig`, and it is not a layer option.
 */
export function layerArgsFromConfig(config: serialization.ConfigDict): serialization.ConfigDict {
  const { customObjects: _customObjects, ...args } = config;
  return args;
}
