import * as tf from '@tensorflow/tfjs-core';
import type { layers, LayerVariable } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors';
import { isWarmupCapable, type ConstantInputOptions, type WarmupCapable } from './warmup_capable';
import { getRecurrentActivation, type RecurrentActivation } from '../recurrence/activation';
import { gruResetBeforeKernel } from '../recurrence/kernels/gru_reset_before';
import { lstmKernel } from '../recurrence/kernels/lstm';
import { simpleRnnKernel } from '../recurrence/kernels/simple_rnn';
import type { StepEquations } from '../recurrence/step_equations';
import { RecurrentRunner } from './recurrent_runner';

/** The fields of a tfjs-layers `GRUCell`, `LSTMCell` or `SimpleRNNCell` the adapter reads. */
interface BuiltinCell {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  readonly units: number;
  readonly kernel?: LayerVariable | null;
  readonly recurrentKernel?: LayerVariable | null;
  readonly bias?: LayerVariable | null;
}

/** The tfjs-layers `RNN` subclasses the adapter supports, with their cell's class name. */
const SUPPORTED = { GRU: 'GRUCell', LSTM: 'LSTMCell', SimpleRNN: 'SimpleRNNCell' } as const;
type SupportedKind = keyof typeof SUPPORTED;

/**
 * Makes a built tfjs-layers `tf.layers.gru`, `tf.layers.lstm` or `tf.layers.simpleRNN` layer
 * warmup-capable without changing the user's model: the returned adapter reads the layer's own
 * weight variables (`cell.kernel`, `cell.recurrentKernel`, `cell.bias`) at every call, so
 * gradients of warmup land in those variables, and runs the library's fused recurrence (hoisted
 * input projection, hand-written backward through time) with exactly the built-in's equations:
 * GRU with the reset gate before the recurrent product (z, r, h; tfjs 4.22 has no `resetAfter`),
 * LSTM (i, f, c, o), simple RNN `h' = f(x·W + b + h·U)`.
 *
 * What warmup ignores, on purpose: `dropout` and `recurrentDropout` (warmup runs the layer in
 * inference mode, where tfjs applies no dropout either), `stateful` (warmup passes its own
 * initial states and never touches the layer's stored states), masks computed by the model
 * (a `Masking` layer's; `runSequence` takes an explicit mask instead) and initialisation-only options (`unitForgetBias`, initializers). Regularizers and
 * constraints are not applied by warmup (as for the library's own layers).
 *
 * @param layer Any layer; only tfjs-layers' own `GRU`, `LSTM` and `SimpleRNN` are adapted.
 * @returns The adapter, or `null` when `layer` is not one of those three.
 * @throws InvalidArgumentError when the layer is not built yet, uses an activation the fused
 *   backward pass cannot express (for example `'elu'`), or a GRU with `resetAfter`.
 * @example
 * ```ts
 * const layer = tf.layers.gru({ units: 8, returnSequences: true });
 * tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [null, 2] }), layer] });
 * const adapter = adaptBuiltinRecurrentLayer(layer)!;
 * const [h] = adapter.runSequence(tf.randomNormal([4, 10, 2]));   // [4, 10, 8]
 * ```
 */
export function adaptBuiltinRecurrentLayer(layer: layers.Layer): WarmupCapable | null {
  const kind = layer.getClassName();
  if (!Object.prototype.hasOwnProperty.call(SUPPORTED, kind)) return null;
  const cell = (layer as unknown as { cell?: BuiltinCell }).cell;
  if (cell == null || typeof cell.getClassName !== 'function') return null;
  if (cell.getClassName() !== SUPPORTED[kind as SupportedKind]) return null;
  return new BuiltinRecurrentAdapter(layer, kind as SupportedKind, cell);
}

/** {@link WarmupCapable} over a tfjs-layers built-in recurrent layer (see {@link adaptBuiltinRecurrentLayer}). */
class BuiltinRecurrentAdapter implements WarmupCapable {
  readonly warmupCapable = true as const;
  readonly name: string;
  readonly stateSizes: number[];
  readonly warmupStateIndices: number[];
  readonly warmupInputSize: number;
  /** On, as for this library's GRU and LSTM (SimpleRNN: not measured; the robust mode's default). */
  readonly warmupCollapseEscape = true;
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  private readonly units: number;
  private readonly kernel: LayerVariable;
  private readonly recurrentKernel: LayerVariable;
  private readonly bias: LayerVariable | null;
  private readonly recurrence: StepEquations<unknown>;
  private readonly runner: RecurrentRunner;

  constructor(
    private readonly layer: layers.Layer,
    kind: SupportedKind,
    cell: BuiltinCell,
  ) {
    this.name = layer.name;
    if (cell.kernel == null || cell.recurrentKernel == null) {
      throw new InvalidArgumentError(
        `${this.name}: the ${kind} layer is not built yet; call it on an input (or build its model) before warmup.`,
      );
    }
    const config = cell.getConfig();
    if (kind === 'GRU' && config.resetAfter === true) {
      throw new InvalidArgumentError(
        `${this.name}: GRU with resetAfter: true is not supported for a tfjs built-in layer.`,
      );
    }
    this.units = cell.units;
    this.kernel = cell.kernel;
    this.recurrentKernel = cell.recurrentKernel;
    this.bias = cell.bias ?? null;
    this.warmupInputSize = cell.kernel.shape[0] as number;
    const rnn = layer as unknown as { goBackwards?: boolean; returnSequences?: boolean };
    this.goBackwards = rnn.goBackwards === true;
    this.returnSequences = rnn.returnSequences === true;
    const stateCount = kind === 'LSTM' ? 2 : 1;
    this.stateSizes = Array.from({ length: stateCount }, () => this.units);
    this.warmupStateIndices = Array.from({ length: stateCount }, (_, i) => i);
    const activation = activationOf(config, 'activation', kind, this.name);
    if (kind === 'SimpleRNN') {
      this.recurrence = simpleRnnKernel(this.units, activation) as StepEquations<unknown>;
    } else {
      const recurrentActivation = activationOf(config, 'recurrentActivation', kind, this.name);
      const make = kind === 'GRU' ? gruResetBeforeKernel : lstmKernel;
      this.recurrence = make(this.units, activation, recurrentActivation) as StepEquations<unknown>;
    }
    this.runner = new RecurrentRunner({
      name: this.name,
      recurrence: this.recurrence,
      stateSizes: this.stateSizes,
      goBackwards: this.goBackwards,
      inputSize: () => this.warmupInputSize,
      projectionWeights: () => ({
        kernel: this.kernel.read() as tf.Tensor2D,
        bias: this.bias == null ? null : (this.bias.read() as tf.Tensor1D),
      }),
      recurrenceParameters: () => [this.recurrentKernel.read()],
    });
  }

  /** The built-in layer's trainable weights (empty when the layer is not trainable). */
  get warmupWeights(): LayerVariable[] {
    return this.layer.trainableWeights;
  }

  runSequence(inputs: tf.Tensor3D, initialStates?: tf.Tensor2D[], mask?: tf.Tensor2D): tf.Tensor3D[] {
    return this.runner.runSequence(inputs, initialStates, mask);
  }

  outputSequence(states: tf.Tensor3D[]): tf.Tensor3D {
    return this.runner.outputSequence(states);
  }

  runConstantInput(
    input: tf.Tensor2D,
    initialStates: tf.Tensor2D[],
    steps: number,
    options: ConstantInputOptions = {},
  ): tf.Tensor2D[] {
    return this.runner.runConstantInput(input, initialStates, steps, options);
  }
}

/**
 * The cell's activation `option` (`'activation'` or `'recurrentActivation'`) as one of ours.
 * tfjs-layers serializes activations in `getConfig()` as their identifier (`'tanh'`,
 * `'hardSigmoid'`, …).
 * @throws InvalidArgumentError naming the layer and the activation when it is not supported.
 */
function activationOf(
  config: Record<string, unknown>,
  option: 'activation' | 'recurrentActivation',
  kind: SupportedKind,
  name: string,
): RecurrentActivation {
  const identifier = config[option];
  try {
    return getRecurrentActivation(identifier, option);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new InvalidArgumentError(
      `${name}: the built-in ${kind} layer uses ${option} ${JSON.stringify(identifier)}, which warmup cannot run ` +
        `(${error.message})`,
    );
  }
}

/**
 * The warmup-capable view of `layer`: the layer itself when it is one of this library's, the
 * adapter when it is tfjs-layers' gru, lstm or simpleRNN, otherwise null. The one rule for
 * which recurrent layers warmup, measureVaa and the attractor analysis can drive.
 */
export function warmupCapableOf(layer: layers.Layer): WarmupCapable | null {
  return isWarmupCapable(layer) ? layer : adaptBuiltinRecurrentLayer(layer);
}
