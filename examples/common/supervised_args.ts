/** Flags shared by the supervised task examples (denoising, MNIST). */
import * as cli from './cli';
import { SUPERVISED_CELLS, SUPERVISED_VARIANTS, type SupervisedCell, type SupervisedVariant } from './supervised';

export interface SupervisedOptions {
  cells: SupervisedCell[];
  variants: SupervisedVariant[];
  seeds: number[];
  units: number;
  warmupSteps: number;
  epochs: number;
  trainSamples: number;
  validSamples: number;
  testSamples: number;
  batchSize: number;
  learningRate: number;
  vaaSteps: number;
  backend: cli.ExampleBackend;
  /** Folder of report.html and results.json. */
  out: string;
  quick: boolean;
}

export function supervisedUsage(d: SupervisedOptions): string {
  return `  --cells LIST          of ${SUPERVISED_CELLS.join(', ')} (default ${d.cells.join(',')})
  --variants LIST       of ${SUPERVISED_VARIANTS.join(', ')} (default ${d.variants.join(',')})
  --seeds LIST          e.g. 0,1 or 0-4 (default ${d.seeds.join(',')})
  --units N             units per recurrent layer (2 layers) (default ${d.units})
  --warmup-steps N      warmup gradient steps (default ${d.warmupSteps}, the paper's)
  --epochs N            training epochs (default ${d.epochs})
  --train-samples N     training sequences (default ${d.trainSamples})
  --valid-samples N     validation sequences (default ${d.validSamples})
  --test-samples N      test sequences (default ${d.testSamples})
  --batch-size N        training batch size (default ${d.batchSize})
  --learning-rate X     Adam learning rate (default ${d.learningRate})
  --vaa-steps N         stabilisation steps T of the VAA measurements, 0 = skip (default ${d.vaaSteps})
  --backend NAME        wasm or cpu (default ${d.backend})
  --out DIR             report folder: report.html + results.json (default ${d.out})
  --quick               tiny configuration for smoke tests; other flags still apply on top
  --help, -h            this text`;
}

export function supervisedSetters<O extends SupervisedOptions>(): Record<string, cli.Setter<O>> {
  return {
    '--cells': (o, v, f) => {
      o.cells = cli.choices(f, v, SUPERVISED_CELLS);
    },
    '--variants': (o, v, f) => {
      o.variants = cli.choices(f, v, SUPERVISED_VARIANTS);
    },
    '--seeds': (o, v, f) => {
      o.seeds = cli.seeds(f, v);
    },
    '--units': (o, v, f) => {
      o.units = cli.integer(f, v, 1);
    },
    '--warmup-steps': (o, v, f) => {
      o.warmupSteps = cli.integer(f, v, 1);
    },
    '--epochs': (o, v, f) => {
      o.epochs = cli.integer(f, v, 1);
    },
    '--train-samples': (o, v, f) => {
      o.trainSamples = cli.integer(f, v, 2);
    },
    '--valid-samples': (o, v, f) => {
      o.validSamples = cli.integer(f, v, 1);
    },
    '--test-samples': (o, v, f) => {
      o.testSamples = cli.integer(f, v, 1);
    },
    '--batch-size': (o, v, f) => {
      o.batchSize = cli.integer(f, v, 1);
    },
    '--learning-rate': (o, v, f) => {
      o.learningRate = cli.number(f, v, Number.MIN_VALUE);
    },
    '--vaa-steps': (o, v, f) => {
      o.vaaSteps = cli.integer(f, v, 0);
    },
    '--backend': (o, v, f) => {
      o.backend = cli.backend(f, v);
    },
    '--out': (o, v) => {
      o.out = v;
    },
  };
}

/** Base (default or quick) + explicit flags, with the shared consistency checks. */
export function resolveSupervised<O extends SupervisedOptions>(
  base: Readonly<O>,
  explicit: Partial<O>,
  quick: boolean,
  usage: string,
): O {
  const options: O = {
    ...base,
    cells: [...base.cells],
    variants: [...base.variants],
    seeds: [...base.seeds],
    ...explicit,
    quick,
  };
  if (options.variants.includes('double') && options.units % 2 !== 0) {
    cli.inconsistent(
      `--units must be even with the 'double' variant (two halves of units / 2), got ${options.units}.`,
      usage,
    );
  }
  if (options.batchSize > options.trainSamples) {
    cli.inconsistent(
      `--batch-size (${options.batchSize}) is larger than --train-samples (${options.trainSamples}).`,
      usage,
    );
  }
  return options;
}
