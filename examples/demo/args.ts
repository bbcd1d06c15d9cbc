/**
 * Command-line options of `npm run demo` (examples/demo.ts): a pure parser, no I/O, no exit.
 */
import * as cli from '../common/cli';

export { ExampleArgsError } from '../common/cli';

/** Recurrent cells the demo can compare. */
export const CELLS = ['gru', 'lstm', 'nbrc', 'brc'] as const;
export type CellKind = (typeof CELLS)[number];

/**
 * How a run prepares its model: `none` (plain 2-layer network), `warmup` (the whole recurrent
 * stack warmed up), `double` (two double layers, only their first halves warmed up).
 */
export const VARIANTS = ['none', 'warmup', 'double'] as const;
export type Variant = (typeof VARIANTS)[number];

export type DemoBackend = cli.ExampleBackend;

/** Everything a demo run is configured by. */
export interface DemoOptions {
  cells: CellKind[];
  variants: Variant[];
  /** Sequence length L of copy-first-input. */
  length: number;
  /** Units per recurrent layer (a double layer splits them into two halves). */
  units: number;
  seeds: number[];
  /** Warmup gradient steps (the paper's 100). */
  warmupSteps: number;
  epochs: number;
  trainSamples: number;
  validSamples: number;
  testSamples: number;
  batchSize: number;
  /** Stabilisation length T of the VAA measurements (measureVaa's `steps`). */
  vaaSteps: number;
  backend: DemoBackend;
  /** Runs performed at the same time, each in its own process (one CPU core each). */
  jobs: number;
  /** Folder the HTML report and results.json are written to. */
  out: string;
  /** Whether `--quick` chose the base configuration. */
  quick: boolean;
}

/**
 * The embedded default: about 10 minutes on a 2-core x86 CPU with the wasm backend, two runs at
 * a time (more when other jobs share the cores). L = 50 is where, in calibration, plain GRU
 * and LSTM stayed at MSE ≈ 1 over the whole training budget while warmed-up ones learned;
 * L = 100 only leaves room for one seed and a few epochs. Each seed costs about half the time.
 * examples/demo/README.md has the measurements behind these numbers.
 */
export const DEFAULT_OPTIONS: Readonly<DemoOptions> = Object.freeze({
  cells: ['gru', 'lstm', 'nbrc'],
  variants: ['none', 'warmup', 'double'],
  length: 50,
  units: 32,
  seeds: [0, 1],
  warmupSteps: 100,
  epochs: 10,
  trainSamples: 1024,
  validSamples: 256,
  testSamples: 512,
  batchSize: 32,
  vaaSteps: 2000,
  backend: 'wasm',
  jobs: 2,
  out: 'demo-report',
  quick: false,
}) as Readonly<DemoOptions>;

/** `--quick`: a tiny configuration for smoke tests (numbers mean nothing). */
export const QUICK_OPTIONS: Readonly<DemoOptions> = Object.freeze({
  ...DEFAULT_OPTIONS,
  cells: ['gru'],
  variants: ['none', 'warmup', 'double'],
  length: 10,
  units: 4,
  seeds: [0],
  warmupSteps: 3,
  epochs: 2,
  trainSamples: 64,
  validSamples: 32,
  testSamples: 32,
  vaaSteps: 50,
  jobs: 1,
  quick: true,
}) as Readonly<DemoOptions>;

export const USAGE = `Usage: npm run demo -- [options]

Copy-first-input (docs/method.md#copy-first-input): plain vs warmed-up vs double-layer (partial warmup) recurrent
networks. Prints progress and a results table, and writes <out>/report.html + results.json.

  --cells LIST          cells to compare, of ${CELLS.join(', ')} (default ${DEFAULT_OPTIONS.cells.join(',')})
  --variants LIST       of none, warmup, double (default ${DEFAULT_OPTIONS.variants.join(',')})
  --length N            sequence length L (default ${DEFAULT_OPTIONS.length})
  --units N             units per recurrent layer; even when 'double' is used (default ${DEFAULT_OPTIONS.units})
  --seeds LIST          seeds, e.g. 0,1 or 0-4 (default ${DEFAULT_OPTIONS.seeds.join(',')})
  --warmup-steps N      warmup gradient steps (default ${DEFAULT_OPTIONS.warmupSteps}, the paper's)
  --epochs N            training epochs (default ${DEFAULT_OPTIONS.epochs})
  --train-samples N     training sequences (default ${DEFAULT_OPTIONS.trainSamples})
  --valid-samples N     validation sequences (default ${DEFAULT_OPTIONS.validSamples})
  --test-samples N      held-out test sequences (default ${DEFAULT_OPTIONS.testSamples})
  --batch-size N        training batch size (default ${DEFAULT_OPTIONS.batchSize})
  --vaa-steps N         stabilisation steps T of the VAA measurements (default ${DEFAULT_OPTIONS.vaaSteps})
  --backend NAME        wasm or cpu (default ${DEFAULT_OPTIONS.backend})
  --jobs N              runs at the same time, one process and CPU core each (default ${DEFAULT_OPTIONS.jobs})
  --out DIR             report folder (default ${DEFAULT_OPTIONS.out})
  --quick               tiny configuration for smoke tests; other flags still apply on top
  --help, -h            this text

The default takes about 10 minutes on a 2-core CPU with the wasm backend (longer when
other jobs share the cores); each seed is about half of it.`;

/** The parse result: either a configuration to run or a request for help. */
export type ParsedDemoArgs = { help: true } | { help: false; options: DemoOptions };

const SETTERS: Record<string, cli.Setter<DemoOptions>> = {
  '--cells': (o, v, f) => {
    o.cells = cli.choices(f, v, CELLS);
  },
  '--variants': (o, v, f) => {
    o.variants = cli.choices(f, v, VARIANTS);
  },
  '--length': (o, v, f) => {
    o.length = cli.integer(f, v, 1);
  },
  '--units': (o, v, f) => {
    o.units = cli.integer(f, v, 1);
  },
  '--seeds': (o, v, f) => {
    o.seeds = cli.seeds(f, v);
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
  '--vaa-steps': (o, v, f) => {
    o.vaaSteps = cli.integer(f, v, 1);
  },
  '--backend': (o, v, f) => {
    o.backend = cli.backend(f, v);
  },
  '--jobs': (o, v, f) => {
    o.jobs = cli.integer(f, v, 1);
  },
  '--out': (o, v) => {
    o.out = v;
  },
};

/**
 * Parses the demo's command line (`process.argv.slice(2)`) with the examples' shared parser
 * (examples/common/cli.ts): flags take their value as the next argument or inline
 * (`--length=200`); `--quick` picks {@link QUICK_OPTIONS} as the base and every explicit flag
 * applies on top, whatever the order. Throws {@link ExampleArgsError} on an unknown flag, a
 * missing or bad value, a flag given twice, or an inconsistent combination.
 */
export function parseDemoArgs(argv: readonly string[]): ParsedDemoArgs {
  const parsed = cli.parseArgv<DemoOptions>(argv, { usage: USAGE, setters: SETTERS });
  if (parsed.help) return parsed;
  const base = parsed.quick ? QUICK_OPTIONS : DEFAULT_OPTIONS;
  const options: DemoOptions = {
    ...base,
    cells: [...base.cells],
    variants: [...base.variants],
    seeds: [...base.seeds],
    ...parsed.explicit,
    quick: parsed.quick,
  };
  checkConsistency(options);
  return { help: false, options };
}

function checkConsistency(o: DemoOptions): void {
  if (o.variants.includes('double') && o.units % 2 !== 0) {
    cli.inconsistent(
      `--units must be even with the 'double' variant (two halves of units / 2), got ${o.units}.`,
      USAGE,
    );
  }
  if (o.batchSize > o.trainSamples) {
    cli.inconsistent(`--batch-size (${o.batchSize}) is larger than --train-samples (${o.trainSamples}).`, USAGE);
  }
}
