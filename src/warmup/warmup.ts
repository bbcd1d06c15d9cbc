import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, NonFiniteError } from '../errors';
import { checkDataAgainstModel } from '../multistability/check_data_against_model';
import { findRecurrentPath, type PathEntry, type RecurrentPath } from '../multistability/recurrent_path';
import { SequenceInputs, type SequenceInput } from '../multistability/sequence_inputs';
import { warnIfLowPrecision } from '../multistability/precision';
import { releaseAbandonedTape } from '../utils/abandoned_tape';
import { lockModel } from '../utils/model_lock';
import { now } from '../utils/now';
import { SeededRandom } from '../utils/seeded_random';
import { DefaultAdam } from './default_adam';
import { finalStatesVaaStar, warmedLayersFinalStates, warmedLayersVaaStar, type StepDraws } from './layer_vaa_star';
import { expansionRate } from './expansion_rate';
import { OptimizerState } from './optimizer_state';
import { BatchSchedule, drawStep, maxStabilisationAt } from './step_draws';
import { warmupVariables } from './warmup_variables';
import { resolveWarmupOptions, type WarmupOptions } from './warmup_options';
import type { WarmupReport, WarmupStepInfo } from './warmup_report';
import { BestWeights } from './best_weights';
import { AdaptiveHorizon } from './adaptive_horizon';
import { CollapseEscape, ESCAPE_STEPS, ESCAPE_TARGET_RATE, isCollapsed } from './collapse_escape';
import { drawEvaluationSet, evaluateLayers } from './evaluation_set';
import { firstFullStep, layerProgress, layerVerdicts, verdictThreshold } from './verdict';
import { burnedInStarts, finalStatesAfterBurnIn } from './burn_in';
import { PROBE_HORIZON, SlowPointRemedy } from './slow_points';

/**
 * Warms up a recurrent model: a short, label-free pre-training that maximises the reachable
 * multistability of each recurrent layer on the user's own input sequences (Lambrechts,
 * De Geeter, Vecoven, Ernst & Drion, *Neural Networks* 2023, arXiv 2106.01001). Call it once
 * before `model.fit`.
 *
 * Each step (see the [method guide](../../docs/method.md#warmup-algorithm)): draw a batch of
 * `batchSize` sequences; run the model's recurrent layers once over them and keep, for each
 * layer, its state after a random prefix `c_i ~ Uniform{1 … length_i}`; feed each warmed layer
 * alone a constant random input `u_l ~ N(0, I)` for `T ~ Uniform{1 … T_max}` steps from those
 * states, with `T_max = min(1 + stabilisationIncrement·k, stabilisationMax)`; measure `VAA*_l`
 * of the final states; take one optimizer step on
 *
 *     loss = mean_l (VAA*_l − target)²
 *
 * with gradients through the prefix run and the stabilisation steps. Layers before and
 * between the recurrent layers are trained too (as in the reference implementation); dense
 * heads after the last warmed layer are untouched, and so are the second halves of double
 * layers (partial warmup), recurrent layers not listed in `layers`, and recurrent layers
 * warmup cannot drive (`tf.layers.bidirectional`, `tf.layers.rnn` with any cell or a list of
 * cells, wrappers and nested models around a recurrent layer): those run as the model runs
 * them, and keep their exact weights.
 *
 * Works on `tf.Sequential` and functional models with this library's layers or tfjs-layers'
 * `gru`, `lstm` and `simpleRNN` at any depth. Layers run in inference mode (no dropout) and
 * input masks are not applied.
 *
 * Safety: inputs and options are validated before any weight is touched. If the loss becomes
 * NaN or infinite, or anything throws mid-way (including `onStep`), the weights warmup can
 * change are restored exactly to their values before warmup, a user-supplied `optimizer`'s
 * state too (see {@link WarmupOptions.optimizer}), no tensor is left behind, and the error is
 * rethrown ({@link NonFiniteError} for a non-finite loss). An aborted warmup (`signal`) keeps
 * the weights of the last completed step (with `restoreBest`, the best weights seen so far).
 *
 * Verdict: the report says, per warmed layer, whether VAA\* reached and held
 * `target − verdictTolerance` and whether the layer is still multistable after
 * `verdictHorizon` (2 000) steps of constant input, and `report.ok` sums it up in one field
 * (see `WarmupLayerVerdict`). `mode: 'robust'` adds remedies for layers that collapse to a single
 * equilibrium, where the paper's warmup has no gradient, and for slow points (see
 * {@link WarmupOptions.mode}; made 2-layer LSTM, GRU and nBRC stacks multistable on 90–100 % of
 * the seeds measured where the paper's did on 0–57 %).
 * `restoreBest: true` keeps the weights that scored best at
 * the full stabilisation length instead of the last ones (see the guide
 * docs/warmup-on-your-model.md for when to use it).
 *
 * One call at a time per model: a second `warmup` or `measureVaa` on a model still being warmed
 * up rejects at once with {@link ConcurrentUseError} (and `onStep` must not call them on the
 * same model). Do not run `model.fit` or change the model's weights while warmup runs: a
 * rollback after an error would overwrite those changes.
 *
 * @param model a built model (its first layer has an `inputShape`).
 * @param inputs `[n, time, features]`, or an array of `[time_i, features]` sequences of any
 *   lengths ≥ 1 (reinforcement-learning histories), right-padded with zeros per batch. A
 *   length-1 sequence contributes the state after its only step.
 * @returns per-step history, per-layer VAA\* before and after, the verdict (`ok`, `verdict`),
 *   duration, and whether aborted.
 *
 * @example
 * ```ts
 * const report = await warmup(model, trainInputs, { seed: 1 });
 * console.log(report.vaaStarBefore, '→', report.vaaStarAfter);
 * if (!report.ok) console.warn('warmup did not make every layer multistable:', report.verdict);
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * await model.fit(trainInputs, trainTargets, { epochs: 10 });
 * ```
 */
export async function warmup(
  model: LayersModel,
  inputs: SequenceInput,
  options: WarmupOptions = {},
): Promise<WarmupReport> {
  const release = lockModel(model, 'warmup');
  try {
    return await runWarmup(model, inputs, options);
  } finally {
    release();
  }
}

async function runWarmup(model: LayersModel, inputs: SequenceInput, options: WarmupOptions): Promise<WarmupReport> {
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
  const variables = warmupVariables(model, path);
  if (variables.length === 0) {
    throw new InvalidArgumentError(
      'warmup: none of the warmed layers has trainable weights (is the model or layer trainable: false?).',
    );
  }

  const random = new SeededRandom(opts.seed);
  const schedule = new BatchSchedule(data.count, opts.batchSize, random.child('batches'));
  const stepRandom = random.child('steps');
  const optimizerState = opts.optimizer == null ? null : await OptimizerState.save(opts.optimizer);
  const evaluationDraws = drawStep(
    random.child('evaluation'),
    Array.from(random.child('evaluation-batch').permutation(data.count).subarray(0, opts.batchSize)),
    data,
    warmed,
    opts.stabilisationMax,
  );
  const evaluationSet = drawEvaluationSet(random.child('verdict'), data, warmed, opts.batchSize, opts.stabilisationMax);
  const snapshot = variables.map((v) => tf.keep(tf.clone(v)));
  const optimizer = opts.optimizer ?? new DefaultAdam(opts.learningRate);
  const history: WarmupStepInfo[] = [];
  const names = warmed.map((e) => e.layer.name);
  const criteria = {
    target: opts.target,
    tolerance: opts.verdictTolerance,
    holdSteps: 10,
    fullFrom: firstFullStep(opts.stabilisationIncrement, opts.stabilisationMax),
  };
  const best = opts.restoreBest ? new BestWeights(variables) : null;
  const adaptive =
    opts.mode === 'robust'
      ? new AdaptiveHorizon(
          warmed.length,
          opts.stabilisationMax,
          opts.stabilisationIncrement,
          verdictThreshold(criteria),
        )
      : null;
  const escape = opts.mode === 'robust' ? new CollapseEscape(warmed.length, random.child('escape')) : null;
  const escapes = warmed.map((e) => opts.collapseEscape ?? e.capable.warmupCollapseEscape ?? true);
  let verdictMs = 0;
  const judge = async (horizon: number): Promise<{ vaaStar: number[]; vaa: number[] | null }> => {
    const t = now();
    const out = await evaluateLayers(path, warmed, data, evaluationSet, horizon, opts.epsilon);
    verdictMs += now() - t;
    return out;
  };
  const slowPoints =
    opts.mode === 'robust'
      ? new SlowPointRemedy(warmed.length, opts.stabilisationMax, criteria.fullFrom, verdictThreshold(criteria))
      : null;
  let aborted = false;
  try {
    const vaaStarBefore = await evaluateVaaStar(path, warmed, data, evaluationDraws, opts.epsilon);
    const judgedBefore = await judge(opts.verdictHorizon);
    best?.offer(-1, BestWeights.loss(judgedBefore.vaaStar, opts.target));
    for (let step = 0; step < opts.steps; step++) {
      if (opts.signal?.aborted === true) {
        aborted = true;
        break;
      }
      const t0 = now();
      const tMax = maxStabilisationAt(step, opts.stabilisationIncrement, opts.stabilisationMax);
      const draws = drawStep(stepRandom, schedule.next(), data, warmed, stepRandom.int(1, tMax + 1));
      if (adaptive != null) draws.layerStabilisationSteps = adaptive.lengths(draws.stabilisationSteps, tMax);
      const kept: tf.Scalar[] = [];
      // This step's burn-in per layer (the remedy updates its own after the step).
      const burnIn = slowPoints == null ? names.map(() => 0) : [...slowPoints.burnIn];
      let starts: (tf.Tensor2D[] | null)[] | null = null;
      try {
        if (burnIn.some((b) => b > 0)) starts = burnedInStarts(path, warmed, data, draws, burnIn);
        let computed: { value: tf.Scalar; grads: tf.NamedTensorMap };
        try {
          computed = optimizer.computeGradients(() => {
            const { x } = data.batch(draws.indices);
            const finals =
              starts == null
                ? warmedLayersFinalStates(path, warmed, x, draws, true)
                : finalStatesAfterBurnIn(path, warmed, x, draws, starts);
            const losses = finals.map((final, l) => {
              const v = finalStatesVaaStar(final, opts.epsilon);
              kept.push(tf.keep(v));
              const loss = tf.square(tf.sub(v, opts.target));
              if (escape == null || !escapes[l] || !escape.collapsed[l]) return loss;
              const rate = expansionRate(
                warmed[l],
                draws.constantInputs[l],
                final,
                escape.perturbations(final),
                ESCAPE_STEPS,
              );
              // Pushes the rate up to ESCAPE_TARGET_RATE (nearby states merge more slowly);
              // nothing once there.
              return tf.add(loss, tf.square(tf.minimum(tf.sub(rate, ESCAPE_TARGET_RATE), 0)));
            });
            return tf.mean(tf.stack(losses)) as tf.Scalar;
          }, variables);
        } catch (error) {
          releaseAbandonedTape();
          throw error;
        }
        const { value, grads } = computed;
        let loss: number;
        let vaaStar: number[];
        try {
          loss = (await value.data())[0];
          vaaStar = await Promise.all(kept.map(async (v) => (await v.data())[0]));
          if (!Number.isFinite(loss)) {
            throw new NonFiniteError(
              `warmup: the loss became ${loss} at step ${step} (VAA* per layer: ${vaaStar.join(', ')}); the model's weights were restored to their values before warmup.`,
            );
          }
          optimizer.applyGradients(grads);
        } finally {
          tf.dispose([value, ...Object.values(grads)]);
        }
        const collapsed = vaaStar.map((v) => isCollapsed(v, opts.batchSize));
        adaptive?.update(vaaStar, collapsed, draws.layerStabilisationSteps!);
        escape?.update(collapsed);
        if (slowPoints != null) {
          slowPoints.collapsed(collapsed);
          if (slowPoints.probeDue(step, opts.steps)) {
            const probe = await evaluateLayers(path, warmed, data, evaluationSet, PROBE_HORIZON, opts.epsilon);
            slowPoints.probed(probe.vaaStar, probe.vaa!);
          }
        }
        if (best != null && tMax >= opts.stabilisationMax) {
          best.offer(
            step,
            BestWeights.loss(
              (await evaluateLayers(path, warmed, data, evaluationSet, 0, opts.epsilon)).vaaStar,
              opts.target,
            ),
          );
        }
        const lengths = draws.layerStabilisationSteps ?? names.map(() => draws.stabilisationSteps);
        const perLayer = layerProgress(names, history, vaaStar, lengths, burnIn, criteria);
        const info: WarmupStepInfo = {
          step,
          stabilisationSteps: draws.stabilisationSteps,
          vaaStar,
          loss,
          ms: now() - t0,
          perLayer,
        };
        history.push(info);
        if (opts.onStep != null) await opts.onStep(info);
      } finally {
        tf.dispose(kept);
        tf.dispose(draws.constantInputs);
        if (starts != null) tf.dispose(starts.flatMap((st) => st ?? []));
      }
    }
    best?.restore();
    await assertFinite(variables);
    const vaaStarAfter = await evaluateVaaStar(path, warmed, data, evaluationDraws, opts.epsilon);
    const judgedAfter = await judge(opts.verdictHorizon);
    const verdict = layerVerdicts(
      names,
      history,
      judgedBefore.vaaStar,
      judgedAfter.vaaStar,
      judgedBefore.vaa,
      judgedAfter.vaa,
      criteria,
    );
    return {
      layers: names,
      history,
      vaaStarBefore,
      vaaStarAfter,
      stepsCompleted: history.length,
      aborted,
      durationMs: now() - started,
      ok: verdict.every((v) => v.ok),
      verdict,
      verdictHorizon: opts.verdictHorizon,
      verdictMs,
      restoredStep: best?.step ?? null,
    };
  } catch (error) {
    variables.forEach((v, i) => v.assign(snapshot[i]));
    if (opts.optimizer != null && optimizerState != null) await optimizerState.restore(opts.optimizer);
    throw error;
  } finally {
    best?.dispose();
    tf.dispose(snapshot);
    optimizerState?.dispose();
    tf.dispose(evaluationDraws.constantInputs);
    tf.dispose(evaluationSet.flatMap((d) => d.constantInputs));
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
  const stacked = tf.tidy(() => {
    const { x } = data.batch(draws.indices);
    return tf.stack(warmedLayersVaaStar(path, warmed, x, draws, epsilon, false));
  });
  // One asynchronous read (GPU backends: no blocking readback).
  const out = Array.from(await stacked.data());
  stacked.dispose();
  return out;
}

async function assertFinite(variables: tf.Variable[]): Promise<void> {
  const flag = tf.tidy(() => tf.all(tf.stack(variables.map((v) => tf.all(tf.isFinite(v))))));
  const finite = (await flag.data())[0];
  flag.dispose();
  if (finite !== 1) {
    throw new NonFiniteError(
      "warmup: a weight became NaN or infinite; the model's weights were restored to their values before warmup.",
    );
  }
}
