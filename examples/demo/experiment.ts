/**
 * One demo run: build a 2-layer model, measure its VAA and attractors, warm it up (variants
 * `warmup` and `double`), measure again, train it on copy-first-input and test it on held-out data.
 */
import * as tf from '@tensorflow/tfjs';
import { warmup } from '../../src/index';
import { copyFirstInput } from '../../src/tasks/index';
import type { CellKind, DemoOptions, Variant } from './args';
import { measureLandscape, type Landscape } from './landscape';
import { buildModel } from './model';
import { hashSeed } from '../common/random';
import { evaluateMse, train } from './train';

/**
 * Adam's learning rate for training (the paper's reference setting,
 * docs/method.md#copy-first-input).
 */
export const LEARNING_RATE = 1e-3;
/** Sequences drawn by each VAA measurement (measureVaa's `samples`), when there are enough. */
export const VAA_SAMPLES = 32;

/** Everything one run depends on. */
export interface RunSpec {
  cell: CellKind;
  variant: Variant;
  seed: number;
  length: number;
  units: number;
  warmupSteps: number;
  epochs: number;
  trainSamples: number;
  validSamples: number;
  testSamples: number;
  batchSize: number;
  vaaSteps: number;
}

/** The measurements of one run. */
export interface RunResult {
  cell: CellKind;
  variant: Variant;
  seed: number;
  /** Trainable parameters of the model. */
  parameters: number;
  /** VAA of the whole recurrent stack at initialisation (1/n = monostable, n = `vaaSamples`). */
  vaaInit: number;
  /** VAA after warmup; `null` for the `none` variant. */
  vaaAfterWarmup: number | null;
  /** Fixed points, attractors reached and pictures at initialisation (same draws as `vaaInit`). */
  landscapeInit: Landscape;
  /** The same after warmup; `null` for the `none` variant. */
  landscapeAfterWarmup: Landscape | null;
  /** n of the VAA measurements. */
  vaaSamples: number;
  /** VAA\* of each warmed layer after warmup (at the maximum stabilisation length); `null` without warmup. */
  vaaStarAfterWarmup: number[] | null;
  /** Mean VAA\* over the warmed layers at each warmup step; empty without warmup. */
  warmupVaaStar: number[];
  /** Validation MSE before training (index 0) and after each epoch. */
  valMse: number[];
  /** MSE on the held-out test set after training. */
  testMse: number;
  /** Wall time of warmup alone (0 without warmup), of training (all epochs with their validations), and of the whole run, in ms. */
  warmupMs: number;
  trainMs: number;
  totalMs: number;
  /**
   * CPU time of this process during the run, in ms (user + system, all threads). On a machine
   * shared with other jobs it tells what the run would take alone better than wall time does.
   */
  cpuMs: number;
}

/** The phases a run goes through, for progress display. */
export type RunProgress =
  | { phase: 'vaa-init' | 'vaa-after' | 'test'; elapsedMs: number }
  | { phase: 'warmup'; step: number; steps: number; vaaStar: number; elapsedMs: number }
  | {
      phase: 'train';
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
      /** The latest validation MSE (of this epoch when `epochEnd`). */
      valMse: number | null;
      /** Whether this epoch has just ended and been validated. */
      epochEnd: boolean;
      elapsedMs: number;
    };

/** The runs of a demo configuration, seeds outermost so that partial results cover every cell. */
export function runSpecs(options: DemoOptions): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const seed of options.seeds) {
    for (const cell of options.cells) {
      for (const variant of options.variants) {
        specs.push({
          cell,
          variant,
          seed,
          length: options.length,
          units: options.units,
          warmupSteps: options.warmupSteps,
          epochs: options.epochs,
          trainSamples: options.trainSamples,
          validSamples: options.validSamples,
          testSamples: options.testSamples,
          batchSize: options.batchSize,
          vaaSteps: options.vaaSteps,
        });
      }
    }
  }
  return specs;
}

/**
 * Performs one run. Data depend only on the seed (training, validation and test sets from
 * three different seeds), so every cell and variant of one seed sees the same sequences; the
 * initial weights of the `none` and `warmup` variants of one cell and seed are the same.
 * Disposes every tensor it makes.
 */
export async function runExperiment(spec: RunSpec, onProgress?: (p: RunProgress) => void): Promise<RunResult> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const elapsed = (): number => performance.now() - started;
  const dataSeed = (split: string): string => `copy-first-input/${split}/${spec.seed}`;
  const trainSet = copyFirstInput({ samples: spec.trainSamples, length: spec.length, seed: dataSeed('train') });
  const validSet = copyFirstInput({ samples: spec.validSamples, length: spec.length, seed: dataSeed('valid') });
  const testSet = copyFirstInput({ samples: spec.testSamples, length: spec.length, seed: dataSeed('test') });
  const model = buildModel(spec.cell, spec.variant, spec.units, spec.seed);
  try {
    const vaaSamples = Math.min(VAA_SAMPLES, spec.trainSamples);
    const vaaOptions = { samples: vaaSamples, steps: spec.vaaSteps, seed: hashSeed(`vaa/${spec.seed}`) };
    onProgress?.({ phase: 'vaa-init', elapsedMs: elapsed() });
    const landscapeInit = await measureLandscape(model, trainSet.inputs, vaaOptions, 'before warmup');
    const vaaInit = landscapeInit.vaa;

    let vaaAfterWarmup: number | null = null;
    let landscapeAfterWarmup: Landscape | null = null;
    let vaaStarAfterWarmup: number[] | null = null;
    const warmupVaaStar: number[] = [];
    let warmupMs = 0;
    if (spec.variant !== 'none') {
      const warmupStarted = performance.now();
      const report = await warmup(model, trainSet.inputs, {
        steps: spec.warmupSteps,
        batchSize: Math.min(32, spec.trainSamples),
        seed: hashSeed(`warmup/${spec.cell}/${spec.variant}/${spec.seed}`),
        onStep: (info) => {
          const mean = info.vaaStar.reduce((s, v) => s + v, 0) / info.vaaStar.length;
          warmupVaaStar.push(mean);
          onProgress?.({
            phase: 'warmup',
            step: info.step + 1,
            steps: spec.warmupSteps,
            vaaStar: mean,
            elapsedMs: elapsed(),
          });
        },
      });
      warmupMs = performance.now() - warmupStarted;
      vaaStarAfterWarmup = report.vaaStarAfter;
      onProgress?.({ phase: 'vaa-after', elapsedMs: elapsed() });
      landscapeAfterWarmup = await measureLandscape(model, trainSet.inputs, vaaOptions, 'after warmup');
      vaaAfterWarmup = landscapeAfterWarmup.vaa;
    }

    let lastVal: number | null = null;
    const trained = await train(
      model,
      { x: trainSet.inputs, y: trainSet.targets, validX: validSet.inputs, validY: validSet.targets },
      {
        epochs: spec.epochs,
        batchSize: spec.batchSize,
        learningRate: LEARNING_RATE,
        seed: hashSeed(`shuffle/${spec.seed}`),
        onBatch: (epoch, batch, batches) =>
          onProgress?.({
            phase: 'train',
            epoch,
            epochs: spec.epochs,
            batch,
            batches,
            valMse: lastVal,
            epochEnd: false,
            elapsedMs: elapsed(),
          }),
        onEpoch: (epoch, valMse) => {
          lastVal = valMse;
          const batches = Math.ceil(spec.trainSamples / spec.batchSize);
          onProgress?.({
            phase: 'train',
            epoch,
            epochs: spec.epochs,
            batch: batches,
            batches,
            valMse,
            epochEnd: true,
            elapsedMs: elapsed(),
          });
        },
      },
    );
    onProgress?.({ phase: 'test', elapsedMs: elapsed() });
    const testMse = await evaluateMse(model, testSet.inputs, testSet.targets);
    return {
      cell: spec.cell,
      variant: spec.variant,
      seed: spec.seed,
      parameters: model.countParams(),
      vaaInit,
      vaaAfterWarmup,
      landscapeInit,
      landscapeAfterWarmup,
      vaaSamples,
      vaaStarAfterWarmup,
      warmupVaaStar,
      valMse: trained.valMse,
      testMse,
      warmupMs,
      trainMs: trained.ms,
      totalMs: elapsed(),
      cpuMs: cpuMsSince(cpuStarted),
    };
  } finally {
    model.dispose();
    tf.dispose([trainSet, validSet, testSet]);
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
