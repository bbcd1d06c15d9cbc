/** Command-line options of `npm run example:tmaze` (examples/tmaze/main.ts): a pure parser. */
import * as cli from '../common/cli';
import { TMAZE_CELLS, type DrqnConfig, type TMazeCell } from './drqn';

export const TMAZE_VARIANTS = ['none', 'warmup'] as const;
export type TMazeVariant = (typeof TMAZE_VARIANTS)[number];

export interface TMazeOptions extends Omit<DrqnConfig, 'cell' | 'seed'> {
  cells: TMazeCell[];
  variants: TMazeVariant[];
  seeds: number[];
  backend: cli.ExampleBackend;
  /** Folder of report.html and results.json. */
  out: string;
  quick: boolean;
}

/**
 * The default: GRU (whose warmup raises VAA on these histories; nBRC's does not at long
 * horizons, see docs/results.md), L = 40, two seeds, at most 600 training episodes; about
 * 25 minutes on 2 CPU cores with the wasm backend (examples/tmaze/README.md).
 */
export const DEFAULT_OPTIONS: Readonly<TMazeOptions> = Object.freeze({
  cells: ['gru'],
  variants: ['none', 'warmup'],
  seeds: [0, 1],
  length: 40,
  units: 32,
  explorationEpisodes: 100,
  warmupSteps: 100,
  maxEpisodes: 600,
  trainStepsPerEpisode: 4,
  batchSize: 16,
  learningRate: 3e-3,
  bufferSize: 2000,
  targetUpdate: 5,
  epsilonStart: 0.5,
  epsilonEnd: 0.05,
  epsilonDecay: 500,
  evalEvery: 10,
  vaaSteps: 1000,
  backend: 'wasm',
  out: 'example-reports/tmaze',
  quick: false,
}) as Readonly<TMazeOptions>;

/** `--quick`: a smoke configuration (seconds; numbers mean nothing). */
export const QUICK_OPTIONS: Readonly<TMazeOptions> = Object.freeze({
  ...DEFAULT_OPTIONS,
  cells: ['gru'],
  seeds: [0],
  length: 4,
  units: 4,
  explorationEpisodes: 4,
  warmupSteps: 2,
  maxEpisodes: 4,
  batchSize: 2,
  evalEvery: 2,
  epsilonDecay: 4,
  vaaSteps: 20,
  out: 'example-reports/tmaze-quick',
  quick: true,
}) as Readonly<TMazeOptions>;

const d = DEFAULT_OPTIONS;
export const USAGE = `Usage: npm run example:tmaze -- [options]

T-Maze (docs/method.md#t-maze) with a DRQN agent: training episodes until the greedy policy is optimal
(cue up and cue down both reach +4 in L + 1 steps), with and without warmup of the recurrent
Q-network on the exploration histories of the replay buffer. The runs of one seed share the
initial weights and the exploration histories.

  --cells LIST              of ${TMAZE_CELLS.join(', ')} (default ${d.cells.join(',')})
  --variants LIST           of none, warmup (default ${d.variants.join(',')})
  --seeds LIST              e.g. 0,1 or 0-4 (default ${d.seeds.join(',')})
  --length N                corridor length L ≥ 2 (default ${d.length})
  --units N                 recurrent units (default ${d.units})
  --exploration-episodes N  pure-exploration episodes before training; the warmup data (default ${d.explorationEpisodes})
  --warmup-steps N          warmup gradient steps (default ${d.warmupSteps})
  --max-episodes N          give up after N training episodes (default ${d.maxEpisodes})
  --train-steps N           gradient steps per training episode (default ${d.trainStepsPerEpisode})
  --batch-size N            histories per gradient step (default ${d.batchSize})
  --learning-rate X         Adam learning rate (default ${d.learningRate})
  --buffer-size N           replay buffer capacity in episodes (default ${d.bufferSize})
  --target-update N         copy weights to the target network every N episodes (default ${d.targetUpdate})
  --epsilon-start X         ε of the first training episode (default ${d.epsilonStart})
  --epsilon-end X           final ε (default ${d.epsilonEnd})
  --epsilon-decay N         episodes of the linear ε decay (default ${d.epsilonDecay})
  --eval-every N            test the greedy policy every N episodes (default ${d.evalEvery})
  --vaa-steps N             stabilisation steps T of the VAA measurements, 0 = skip (default ${d.vaaSteps})
  --backend NAME            wasm or cpu (default ${d.backend})
  --out DIR                 report folder: report.html + results.json (default ${d.out})
  --quick                   tiny configuration for smoke tests; other flags still apply on top
  --help, -h                this text

Run times are documented in examples/tmaze/README.md.`;

type O = TMazeOptions;
const SETTERS: Record<string, cli.Setter<O>> = {
  '--cells': (o, v, f) => {
    o.cells = cli.choices(f, v, TMAZE_CELLS);
  },
  '--variants': (o, v, f) => {
    o.variants = cli.choices(f, v, TMAZE_VARIANTS);
  },
  '--seeds': (o, v, f) => {
    o.seeds = cli.seeds(f, v);
  },
  '--length': (o, v, f) => {
    o.length = cli.integer(f, v, 2);
  },
  '--units': (o, v, f) => {
    o.units = cli.integer(f, v, 1);
  },
  '--exploration-episodes': (o, v, f) => {
    o.explorationEpisodes = cli.integer(f, v, 2);
  },
  '--warmup-steps': (o, v, f) => {
    o.warmupSteps = cli.integer(f, v, 1);
  },
  '--max-episodes': (o, v, f) => {
    o.maxEpisodes = cli.integer(f, v, 1);
  },
  '--train-steps': (o, v, f) => {
    o.trainStepsPerEpisode = cli.integer(f, v, 0);
  },
  '--batch-size': (o, v, f) => {
    o.batchSize = cli.integer(f, v, 1);
  },
  '--learning-rate': (o, v, f) => {
    o.learningRate = cli.number(f, v, Number.MIN_VALUE);
  },
  '--buffer-size': (o, v, f) => {
    o.bufferSize = cli.integer(f, v, 2);
  },
  '--target-update': (o, v, f) => {
    o.targetUpdate = cli.integer(f, v, 1);
  },
  '--epsilon-start': (o, v, f) => {
    o.epsilonStart = cli.number(f, v, 0, 1);
  },
  '--epsilon-end': (o, v, f) => {
    o.epsilonEnd = cli.number(f, v, 0, 1);
  },
  '--epsilon-decay': (o, v, f) => {
    o.epsilonDecay = cli.integer(f, v, 1);
  },
  '--eval-every': (o, v, f) => {
    o.evalEvery = cli.integer(f, v, 1);
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

export function parseTMazeArgs(argv: readonly string[]): { help: true } | { help: false; options: TMazeOptions } {
  const parsed = cli.parseArgv<O>(argv, { usage: USAGE, setters: SETTERS });
  if (parsed.help) return parsed;
  const base = parsed.quick ? QUICK_OPTIONS : DEFAULT_OPTIONS;
  const options: TMazeOptions = {
    ...base,
    cells: [...base.cells],
    variants: [...base.variants],
    seeds: [...base.seeds],
    ...parsed.explicit,
    quick: parsed.quick,
  };
  if (options.bufferSize < options.explorationEpisodes) {
    cli.inconsistent(
      `--buffer-size (${options.bufferSize}) is smaller than --exploration-episodes (${options.explorationEpisodes}).`,
      USAGE,
    );
  }
  return { help: false, options };
}
