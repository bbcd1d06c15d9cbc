/**
 * The page's experiment, free of DOM code: copy-first-input (docs/method.md#copy-first-input),
 * one 2-layer recurrent model built twice with identical initial weights; one copy is warmed
 * up, then both are trained side by side (the same minibatches, interleaved batch by batch)
 * with Adam 1e-3 on the MSE. Progress is reported through callbacks; every tensor made here is
 * disposed.
 */
import * as tf from '@tensorflow/tfjs';
import { brc, gru, lstm, nbrc, warmup, type WarmupReport, type WarmupStepInfo } from '../../src/index';
import { copyFirstInput } from '../../src/tasks/index';
import { hashSeed, mulberry32, shuffledIndices, withSeededMathRandom } from '../common/random';
import { drawLandscapes, type LandscapeView } from './landscapes';

export const CELLS = ['gru', 'lstm', 'nbrc', 'brc'] as const;
export type CellKind = (typeof CELLS)[number];

/** The two models of a run. */
export const MODEL_KEYS = ['plain', 'warmed'] as const;
export type ModelKey = (typeof MODEL_KEYS)[number];

/** Adam's learning rate for training (the paper's reference setting). */
export const LEARNING_RATE = 1e-3;
/** Minibatch size of training, and the largest warmup batch (the paper's 32). */
export const BATCH_SIZE = 32;

export interface ExperimentConfig {
  cell: CellKind;
  /** Sequence length L. */
  length: number;
  /** Units of each of the two recurrent layers. */
  units: number;
  warmupSteps: number;
  epochs: number;
  /** Training sequences; the validation set has a quarter as many (at least 32). */
  samples: number;
  seed: number;
  /** Whether to analyse the attractors before and after warmup (a few seconds each). Default false. */
  landscapes?: boolean;
}

export type Phase = 'setup' | 'attractors' | 'warmup' | 'train' | 'done';

export interface ExperimentEvents {
  /** A phase starts; `detail` is a human-readable line. */
  onPhase?: (phase: Phase, detail: string) => void;
  /** After each warmup step (awaited: the caller yields a frame there). */
  onWarmupStep?: (info: WarmupStepInfo) => void | Promise<void>;
  onWarmupDone?: (report: WarmupReport) => void;
  /** The attractor landscape of the model before (`'before'`) or after (`'after'`) warmup. */
  onLandscape?: (stage: 'before' | 'after', view: LandscapeView) => void;
  /** Training loss of one minibatch; `epoch` is fractional (1.0 = end of the first epoch). Arrives asynchronously. */
  onTrainLoss?: (model: ModelKey, epoch: number, loss: number) => void;
  /** Validation MSE after `epoch` epochs (0 = before training). */
  onValidation?: (model: ModelKey, epoch: number, mse: number) => void;
  /** Fraction of the training done (0 … 1) and a status line. */
  onTrainProgress?: (fraction: number, detail: string) => void;
}

/** What a run measured (JSON-serialisable). */
export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  /** Validation sequences. */
  validSamples: number;
  /** Warmup batch size n (VAA* = 1/n means monostable). */
  warmupBatchSize: number;
  /** Trainable parameters of each model. */
  parameters: number;
  warmup: {
    layers: string[];
    /** VAA* of each warmed layer at each completed step (before that step's update). */
    vaaStar: number[][];
    loss: number[];
    vaaStarBefore: number[];
    vaaStarAfter: number[];
    stepsCompleted: number;
    ms: number;
  };
  /** Validation MSE before training (index 0) and after each completed epoch. */
  valMse: Record<ModelKey, number[]>;
  /** Epochs completed by both models. */
  epochsCompleted: number;
  /** Whether Stop ended the run early. */
  stopped: boolean;
  trainMs: number;
  /** Attractor landscapes before and after warmup (when `config.landscapes`), without the pictures. */
  landscapes: Partial<Record<'before' | 'after', Omit<LandscapeView, 'pictures'>>>;
}

type RecurrentFactory = (args: {
  units: number;
  returnSequences?: boolean;
  inputShape?: [null, number];
}) => tf.layers.Layer;
const FACTORIES: Record<CellKind, RecurrentFactory> = { gru, lstm, nbrc, brc };

/** `recurrent(units, sequences) → recurrent(units) → dense(1)`, seeded initial weights. */
export function buildModel(cell: CellKind, units: number, seed: number): tf.Sequential {
  const make = FACTORIES[cell];
  return withSeededMathRandom(hashSeed(`page/model/${cell}/${units}/${seed}`), () =>
    tf.sequential({
      layers: [
        make({ units, returnSequences: true, inputShape: [null, 1] }),
        make({ units }),
        tf.layers.dense({ units: 1 }),
      ],
    }),
  );
}

/** Mean squared error of `model` on `(x, y)`, in batches, without gradients. */
export async function evaluateMse(
  model: tf.LayersModel,
  x: tf.Tensor3D,
  y: tf.Tensor2D,
  batchSize = 256,
): Promise<number> {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const squared = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0, 0], [size, -1, -1]);
      const yb = tf.slice(y, [start, 0], [size, -1]);
      return tf.sum(tf.squaredDifference(model.predict(xb) as tf.Tensor, yb));
    });
    try {
      sum += (await squared.data())[0];
    } finally {
      squared.dispose();
    }
  }
  return sum / (n * y.shape[1]);
}

const nextFrame = (): Promise<void> => tf.nextFrame();

/**
 * Runs one experiment on the active tfjs backend. `signal` stops it: warmup after the current
 * step (then training is skipped), training after the current minibatch. Resolves with what
 * was measured so far; rejects on errors (for example a diverging, non-finite loss).
 */
export async function runExperiment(
  config: ExperimentConfig,
  events: ExperimentEvents,
  signal: AbortSignal,
): Promise<ExperimentResult> {
  const { cell, length, units, seed } = config;
  const validSamples = Math.max(32, Math.floor(config.samples / 4));
  const warmupBatchSize = Math.min(BATCH_SIZE, config.samples);
  events.onPhase?.('setup', `Generating data and building two ${cell.toUpperCase()} models…`);
  await nextFrame();

  const trainSet = copyFirstInput({ samples: config.samples, length, seed: `page/train/${seed}` });
  const validSet = copyFirstInput({ samples: validSamples, length, seed: `page/valid/${seed}` });
  const models: Record<ModelKey, tf.Sequential> = {
    plain: buildModel(cell, units, seed),
    warmed: buildModel(cell, units, seed),
  };
  const optimizers: tf.Optimizer[] = [];
  const pendingLosses: Promise<void>[] = [];
  try {
    // Same seed, so the same weights already; copy them anyway so that only warmup differs.
    models.warmed.setWeights(models.plain.getWeights());

    const result: ExperimentResult = {
      config: { ...config },
      backend: tf.getBackend(),
      validSamples,
      warmupBatchSize,
      parameters: models.plain.countParams(),
      warmup: { layers: [], vaaStar: [], loss: [], vaaStarBefore: [], vaaStarAfter: [], stepsCompleted: 0, ms: 0 },
      valMse: { plain: [], warmed: [] },
      epochsCompleted: 0,
      stopped: false,
      trainMs: 0,
      landscapes: {},
    };
    const landscape = async (stage: 'before' | 'after', model: tf.LayersModel): Promise<void> => {
      if (config.landscapes !== true || signal.aborted) return;
      events.onPhase?.('attractors', `Finding the fixed points ${stage} warmup…`);
      await nextFrame();
      const view = await drawLandscapes(model, trainSet.inputs, `${stage} warmup`, hashSeed(`page/attractors/${seed}`));
      const { pictures: _pictures, ...numbers } = view;
      result.landscapes[stage] = numbers;
      events.onLandscape?.(stage, view);
    };
    await landscape('before', models.plain);

    // ---- warmup (the "warmed" model only) ----
    events.onPhase?.('warmup', `Warming up (${config.warmupSteps} steps, batch ${warmupBatchSize})…`);
    await nextFrame();
    const report = await warmup(models.warmed, trainSet.inputs, {
      steps: config.warmupSteps,
      batchSize: warmupBatchSize,
      seed: `page/warmup/${seed}`,
      signal,
      onStep: async (info) => {
        result.warmup.vaaStar.push([...info.vaaStar]);
        result.warmup.loss.push(info.loss);
        await events.onWarmupStep?.(info);
        await nextFrame();
      },
    });
    result.warmup.layers = report.layers;
    result.warmup.vaaStarBefore = report.vaaStarBefore;
    result.warmup.vaaStarAfter = report.vaaStarAfter;
    result.warmup.stepsCompleted = report.stepsCompleted;
    result.warmup.ms = report.durationMs;
    events.onWarmupDone?.(report);
    await landscape('after', models.warmed);
    if (signal.aborted) {
      result.stopped = true;
      return result;
    }

    // ---- training, both models on the same minibatches ----
    const trainStarted = performance.now();
    events.onPhase?.(
      'train',
      `Training both models (Adam ${LEARNING_RATE}, batch ${BATCH_SIZE}, ${config.epochs} epochs)…`,
    );
    const variables: Record<ModelKey, tf.Variable[]> = { plain: [], warmed: [] };
    const adam: Record<ModelKey, tf.Optimizer> = {
      plain: tf.train.adam(LEARNING_RATE),
      warmed: tf.train.adam(LEARNING_RATE),
    };
    for (const key of MODEL_KEYS) {
      optimizers.push(adam[key]);
      variables[key] = models[key].trainableWeights.map((w) => w.read() as tf.Variable);
    }
    const validate = async (epoch: number): Promise<void> => {
      for (const key of MODEL_KEYS) {
        const mse = await evaluateMse(models[key], validSet.inputs, validSet.targets);
        if (!Number.isFinite(mse))
          throw new Error(`training diverged: the ${key} model's validation MSE is ${mse} after epoch ${epoch}.`);
        result.valMse[key].push(mse);
        events.onValidation?.(key, epoch, mse);
      }
    };
    await validate(0);

    const n = config.samples;
    const batches = Math.ceil(n / BATCH_SIZE);
    const shuffle = mulberry32(hashSeed(`page/shuffle/${seed}`));
    let lastYield = performance.now();
    training: for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const order = shuffledIndices(n, shuffle);
      for (let b = 0; b < batches; b++) {
        if (signal.aborted) break training;
        const indices = order.subarray(b * BATCH_SIZE, Math.min(n, (b + 1) * BATCH_SIZE));
        const position = epoch - 1 + (b + 1) / batches;
        for (const key of MODEL_KEYS) {
          const cost = tf.tidy(() => {
            const index = tf.tensor1d(indices, 'int32');
            const xb = tf.gather(trainSet.inputs, index);
            const yb = tf.gather(trainSet.targets, index);
            return adam[key].minimize(
              () => tf.losses.meanSquaredError(yb, models[key].apply(xb, { training: true }) as tf.Tensor) as tf.Scalar,
              true,
              variables[key],
            ) as tf.Scalar;
          });
          // Read back asynchronously: never stalls the GPU pipeline.
          pendingLosses.push(
            cost.data().then(
              (v) => {
                cost.dispose();
                events.onTrainLoss?.(key, position, v[0]);
              },
              () => cost.dispose(),
            ),
          );
        }
        events.onTrainProgress?.(
          (epoch - 1 + (b + 1) / batches) / config.epochs,
          `Training: epoch ${epoch}/${config.epochs}, batch ${b + 1}/${batches}`,
        );
        if (performance.now() - lastYield > 40) {
          await nextFrame();
          lastYield = performance.now();
        }
      }
      await Promise.all(pendingLosses.splice(0));
      events.onTrainProgress?.(epoch / config.epochs, `Training: validating after epoch ${epoch}/${config.epochs}…`);
      await validate(epoch);
      result.epochsCompleted = epoch;
      await nextFrame();
      lastYield = performance.now();
    }
    result.stopped = signal.aborted;
    result.trainMs = performance.now() - trainStarted;
    return result;
  } finally {
    await Promise.allSettled(pendingLosses);
    for (const o of optimizers) o.dispose();
    for (const key of MODEL_KEYS) models[key].dispose();
    tf.dispose([trainSet, validSet]);
  }
}
