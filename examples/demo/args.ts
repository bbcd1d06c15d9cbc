/**
 * Command-line options of `npm run demo` (examples/demo.ts): a pure parser, no I/O, no exit.
 */

/** Recurrent cells the demo can compare. */
export const CELLS = ['gru', 'lstm', 'nbrc', 'brc'] as const;
export type CellKind = (typeof CELLS)[number];

/**
 * How a run prepares its model: `none` (plain 2-layer network), `warmup` (the whole recurrent
 * stack warmed up), `double` (two double layers, only their first halves warmed up).
 */
export const VARIANTS = ['none', 'warmup', 'double'] as const;
export type Variant = (typeof VARIANTS)[number];

export const BACKENDS = ['wasm', 'cpu'] as const;
export type DemoBackend = (typeof BACKENDS)[number];

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

Copy-first-input (SPEC §7): plain vs warmed-up vs double-layer (partial warmup) recurrent
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

/** A bad command line; the message says what is wrong and ends with the usage text. */
export class DemoArgsError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'DemoArgsError';
  }
}

/** The parse result: either a configuration to run or a request for help. */
export type ParsedDemoArgs = { help: true } | { help: false; options: DemoOptions };

type Setter = (options: Partial<DemoOptions>, value: string, flag: string) => void;

function integer(flag: string, value: string, min: number): number {
  if (!/^[+]?\d+$/.test(value.trim())) {
    throw new DemoArgsError(`${flag} expects an integer ≥ ${min}, got '${value}'.`);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new DemoArgsError(`${flag} expects an integer ≥ ${min}, got '${value}'.`);
  }
  return n;
}

function choices<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (items.length === 0) throw new DemoArgsError(`${flag} expects a comma-separated list of ${allowed.join(', ')}, got '${value}'.`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new DemoArgsError(`${flag}: unknown value '${item}'; expected some of ${allowed.join(', ')}.`);
    }
  }
  const duplicate = items.find((item, i) => items.indexOf(item) !== i);
  if (duplicate !== undefined) throw new DemoArgsError(`${flag}: '${duplicate}' is listed twice.`);
  return items as T[];
}

/** Parses `0,1,5` and ranges `0-4` (inclusive) into a list of distinct non-negative seeds. */
export function parseSeeds(flag: string, value: string): number[] {
  const seeds: number[] = [];
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new DemoArgsError(`${flag} expects seeds such as 0,1 or 0-4, got '${value}'.`);
  for (const part of parts) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const a = integer(flag, range[1], 0);
      const b = integer(flag, range[2], 0);
      if (b < a) throw new DemoArgsError(`${flag}: empty range '${part}'.`);
      if (b - a >= 1000) throw new DemoArgsError(`${flag}: range '${part}' is too long (at most 1000 seeds).`);
      for (let s = a; s <= b; s++) seeds.push(s);
    } else {
      seeds.push(integer(flag, part, 0));
    }
  }
  const duplicate = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (duplicate !== undefined) throw new DemoArgsError(`${flag}: seed ${duplicate} is listed twice.`);
  return seeds;
}

const SETTERS: Record<string, Setter> = {
  '--cells': (o, v, f) => { o.cells = choices(f, v, CELLS); },
  '--variants': (o, v, f) => { o.variants = choices(f, v, VARIANTS); },
  '--length': (o, v, f) => { o.length = integer(f, v, 1); },
  '--units': (o, v, f) => { o.units = integer(f, v, 1); },
  '--seeds': (o, v, f) => { o.seeds = parseSeeds(f, v); },
  '--warmup-steps': (o, v, f) => { o.warmupSteps = integer(f, v, 1); },
  '--epochs': (o, v, f) => { o.epochs = integer(f, v, 1); },
  '--train-samples': (o, v, f) => { o.trainSamples = integer(f, v, 2); },
  '--valid-samples': (o, v, f) => { o.validSamples = integer(f, v, 1); },
  '--test-samples': (o, v, f) => { o.testSamples = integer(f, v, 1); },
  '--batch-size': (o, v, f) => { o.batchSize = integer(f, v, 1); },
  '--vaa-steps': (o, v, f) => { o.vaaSteps = integer(f, v, 1); },
  '--backend': (o, v, f) => {
    if (!(BACKENDS as readonly string[]).includes(v)) throw new DemoArgsError(`${f} must be ${BACKENDS.join(' or ')}, got '${v}'.`);
    o.backend = v as DemoBackend;
  },
  '--jobs': (o, v, f) => { o.jobs = integer(f, v, 1); },
  '--out': (o, v) => { o.out = v; },
};

/**
 * Parses the demo's command line (`process.argv.slice(2)`). Flags take their value as the next
 * argument or inline (`--length=200`); `--quick` picks {@link QUICK_OPTIONS} as the base and
 * every explicit flag applies on top, whatever the order. Throws {@link DemoArgsError} on an
 * unknown flag, a missing or bad value, a flag given twice, or an inconsistent combination.
 */
export function parseDemoArgs(argv: readonly string[]): ParsedDemoArgs {
  const explicit: Partial<DemoOptions> = {};
  const seen = new Set<string>();
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (flag === '--quick') {
      if (inline !== undefined) throw new DemoArgsError(`--quick takes no value, got '${arg}'.`);
      quick = true;
      continue;
    }
    const setter = Object.prototype.hasOwnProperty.call(SETTERS, flag) ? SETTERS[flag] : undefined;
    if (setter === undefined) throw new DemoArgsError(`Unknown option '${arg}'.`);
    if (seen.has(flag)) throw new DemoArgsError(`${flag} is given twice.`);
    seen.add(flag);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new DemoArgsError(`${flag} needs a value.`);
      value = next;
      i++;
    }
    if (value.trim() === '') throw new DemoArgsError(`${flag} needs a value.`);
    setter(explicit, value, flag);
  }
  const base = quick ? QUICK_OPTIONS : DEFAULT_OPTIONS;
  const options: DemoOptions = {
    ...base,
    cells: [...base.cells],
    variants: [...base.variants],
    seeds: [...base.seeds],
    ...explicit,
    quick,
  };
  checkConsistency(options);
  return { help: false, options };
}

function checkConsistency(o: DemoOptions): void {
  if (o.variants.includes('double') && o.units % 2 !== 0) {
    throw new DemoArgsError(`--units must be even with the 'double' variant (two halves of units / 2), got ${o.units}.`);
  }
  if (o.batchSize > o.trainSamples) {
    throw new DemoArgsError(`--batch-size (${o.batchSize}) is larger than --train-samples (${o.trainSamples}).`);
  }
}
