import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, NonFiniteError, ShapeError } from '../errors';
import { findRecurrentPath, type PathEntry, type RecurrentPath } from '../multistability/recurrent_path';
import { SequenceInputs, type SequenceInput } from '../multistability/sequence_inputs';
import { runPathOverSequence, statesAtPrefix } from '../multistability/starting_states';
import { warnIfLowPrecision } from '../multistability/precision';
import { SeededRandom } from '../utils/seeded_random';
import { layerVaaStar, type StepDraws } from './layer_vaa_star';
import { BatchSchedule, drawStep, maxStabilisationAt } from './step_draws';
import { resolveWarmupOptions, type WarmupOptions } from './warmup_options';
import type { WarmupReport, WarmupStepInfo } from './warmup_report';

/**
 * Warms up a recurrent model: a short, label-free pre-training that maximises the reachable
 * multistability of each recurrent layer on the user's own input sequences (Lambrechts,
 * De Geeter, Vecoven, Ernst & Drion, *Neural Networks* 2023, arXiv 2106.01001). Call it once
 * before `model.fit`.
 *
 * Each step (see the [method guide](../../docs/method.md#warmup-algorithm)): draw a batch of `batchSize` sequences; run the model's recurrent
 * layers once over them and keep, for each layer, its state after a random prefix
 * `c_i ~ Uniform{1 … length_i}`; feed each warmed layer alone a constant random input
 * `u_l ~ N(0, I)` for `T ~ Uniform{1 … T_max}` steps from those states, with
 * `T_max = min(1 + stabilisationIncrement·k, stabilisationMax)`; measure
 * `VAA*_l` of the final states; take one optimizer step on
 *
 *     loss = mean_l (VAA*_l − target)²
 *
 * with gradients through the prefix run and the stabilisation steps. Layers before and
 * between the recurrent layers are trained too (as in the reference implementation); dense
 * heads after the last warmed layer are untouched, and so are the second halves of double
 * layers (partial warmup) and recurrent layers not listed in `layers`.
 *
 * Works on `tf.Sequential` and functional models with this library's layers or tfjs-layers'
 * `gru`, `lstm` and `simpleRNN` at any depth. Layers run in inference mode (no dropout) and
 * input masks are not applied.
 *
 * Safety: inputs and options are validated before any weight is touched. If the loss becomes
 * NaN or infinite, or anything throws mid-way (including `onStep`), the weights the model had
 * before warmup are restored exactly and the error is rethrown ({@link NonFiniteError} for a
 * non-finite loss). An aborted warmup (`signal`) keeps the weights of the last completed step.
 *
 * @param model a built model (its first layer has an `inputShape`).
 * @param inputs `[n, time, features]`, or an array of `[time_i, features]` sequences of any
 *   lengths (reinforcement-learning histories), right-padded with zeros per batch.
 * @returns per-step history, per-layer VAA\* before and after, duration, and whether aborted.
 *
 * @example
 * ```ts
 * const report = await warmup(model, trainInputs, { seed: 1 });
 * console.log(report.vaaStarBefore, '→', report.vaaStarAfter);
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * await model.fit(trainInputs, trainTargets, { epochs: 10 });
 * ```
 */
export async function warmup(
  model: LayersModel,
  inputs: SequenceInput,
  options: WarmupOptions = {},
): Promise<WarmupReport> {
  const started = now();
  const opts = resolveWarmupOptions(options);
  warnIfLowPrecision('warmup');
  const data = await SequenceInputs.create(inputs, 'warmup');
  const path = findRecurrentPath(model, 'warmup', opts.layers);
  checkDataAgainstModel(path, data, 'warmup');
  if (opts.batchSize > data.count) {
    throw new InvalidArgumentError(
      `warmup: batchSize ${opts.batchSize} is larger than the number of input sequences (${data.count}); pass more sequences or a smaller batchSize.`,
    );
  }
  const warmed = path.entries.filter((e) => e.warmed);
  const variables = variablesToTrain(model, path);
  if (variables.length === 0) {
    throw new InvalidArgumentError('warmup: none of the warmed layers has trainable weights (is the model or layer trainable: false?).');
  }

  const random = new SeededRandom(opts.seed);
  const schedule = new BatchSchedule(data.count, opts.batchSize, random.child('batches'));
  const stepRandom = random.child('steps');
  const evaluationDraws = drawStep(
    random.child('evaluation'),
    Array.from(random.child('evaluation-batch').permutation(data.count).subarray(0, opts.batchSize)),
    data,
    warmed,
    opts.stabilisationMax,
  );
  const snapshot = variables.map((v) => tf.keep(tf.clone(v)));
  const optimizer = opts.optimizer ?? tf.train.adam(opts.learningRate);
  const history: WarmupStepInfo[] = [];
  let aborted = false;
  try {
    const vaaStarBefore = await evaluateVaaStar(path, warmed, data, evaluationDraws, opts.epsilon);
    for (let step = 0; step < opts.steps; step++) {
      if (opts.signal?.aborted === true) {
        aborted = true;
        break;
      }
      const t0 = now();
      const tMax = maxStabilisationAt(step, opts.stabilisationIncrement, opts.stabilisationMax);
      const draws = drawStep(stepRandom, schedule.next(), data, warmed, stepRandom.int(1, tMax + 1));
      const kept: tf.Scalar[] = [];
      try {
        const { value, grads } = optimizer.computeGradients(() => {
          const { x } = data.batch(draws.indices);
          const all = runPathOverSequence(path, x);
          const losses = warmed.map((entry, j) => {
            const sampled = statesAtPrefix(all[path.entries.indexOf(entry)], draws.prefixLengths);
            const v = layerVaaStar(entry, sampled, draws.constantInputs[j], draws.stabilisationSteps, opts.epsilon, true);
            kept.push(tf.keep(v));
            return tf.square(tf.sub(v, opts.target));
          });
          return tf.mean(tf.stack(losses)) as tf.Scalar;
        }, variables);
        const loss = (await value.data())[0];
        const vaaStar = await Promise.all(kept.map(async (v) => (await v.data())[0]));
        if (!Number.isFinite(loss)) {
          tf.dispose([value, ...Object.values(grads)]);
          throw new NonFiniteError(
            `warmup: the loss became ${loss} at step ${step} (VAA* per layer: ${vaaStar.join(', ')}); the model's weights were restored to their values before warmup.`,
          );
        }
        optimizer.applyGradients(grads);
        tf.dispose([value, ...Object.values(grads)]);
        const info: WarmupStepInfo = { step, stabilisationSteps: draws.stabilisationSteps, vaaStar, loss, ms: now() - t0 };
        history.push(info);
        if (opts.onStep != null) await opts.onStep(info);
      } finally {
        tf.dispose(kept);
        tf.dispose(draws.constantInputs);
      }
    }
    await assertFinite(variables);
    const vaaStarAfter = await evaluateVaaStar(path, warmed, data, evaluationDraws, opts.epsilon);
    return {
      layers: warmed.map((e) => e.layer.name),
      history,
      vaaStarBefore,
      vaaStarAfter,
      stepsCompleted: history.length,
      aborted,
      durationMs: now() - started,
    };
  } catch (error) {
    variables.forEach((v, i) => v.assign(snapshot[i]));
    throw error;
  } finally {
    tf.dispose(snapshot);
    tf.dispose(evaluationDraws.constantInputs);
    if (opts.optimizer == null) optimizer.dispose();
  }
}

/** VAA\* of every warmed layer on fixed draws, without gradients. */
async function evaluateVaaStar(
  path: RecurrentPath,
  warmed: PathEntry[],
  data: SequenceInputs,
  draws: StepDraws,
  epsilon: number,
): Promise<number[]> {
  const values = tf.tidy(() => {
    const { x } = data.batch(draws.indices);
    const all = runPathOverSequence(path, x);
    return warmed.map((entry, j) => {
      const sampled = statesAtPrefix(all[path.entries.indexOf(entry)], draws.prefixLengths);
      return tf.reshape(layerVaaStar(entry, sampled, draws.constantInputs[j], draws.stabilisationSteps, epsilon, false), [1]);
    });
  });
  // One asynchronous read (GPU backends: no blocking readback).
  const stacked = tf.concat(values);
  tf.dispose(values);
  const out = Array.from(await stacked.data());
  stacked.dispose();
  return out;
}

/**
 * The variables warmup may change: the model's trainable weights, except the weights of
 * recurrent layers that are not warmed and the weights a warmed layer keeps out of warmup
 * (a double layer's second half).
 */
function variablesToTrain(model: LayersModel, path: RecurrentPath): tf.Variable[] {
  const frozen = new Set<unknown>();
  for (const entry of path.entries) {
    const allowed = new Set(entry.warmed ? entry.capable.warmupWeights : []);
    for (const w of entry.layer.trainableWeights) if (!allowed.has(w)) frozen.add(w);
  }
  return model.trainableWeights.filter((w) => !frozen.has(w)).map((w) => w.read() as tf.Variable);
}

/** Shape checks of the data against the model, shared by warmup and measureVaa. */
export function checkDataAgainstModel(path: RecurrentPath, data: SequenceInputs, fn: string): void {
  if (path.inputFeatures != null && path.inputFeatures !== data.features) {
    throw new ShapeError(`${fn}: inputs have ${data.features} features per step but the model expects ${path.inputFeatures}.`);
  }
  if (data.variableLength) {
    const backwards = path.entries.find((e) => e.capable.goBackwards);
    if (backwards != null) {
      throw new InvalidArgumentError(
        `${fn}: layer '${backwards.layer.name}' runs backwards (goBackwards), which is not supported with variable-length inputs (padding would come first); pass equal-length sequences.`,
      );
    }
  }
}

async function assertFinite(variables: tf.Variable[]): Promise<void> {
  const flag = tf.tidy(() => tf.all(tf.stack(variables.map((v) => tf.all(tf.isFinite(v))))));
  const finite = (await flag.data())[0];
  flag.dispose();
  if (finite !== 1) {
    throw new NonFiniteError('warmup: a weight became NaN or infinite; the model\'s weights were restored to their values before warmup.');
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
