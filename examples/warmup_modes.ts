/**
 * Warmup modes compared on the same seeds and the same optimizer-step budget (issue 11): the
 * paper's default, `mode: 'robust'` (`robust`, with `restoreBest`: `robust-best`),
 * `restoreBest`, layer-by-layer, a decaying learning rate, a longer maximum stabilisation
 * length, stopping once every layer holds its target, and two learning-rate schedules on the
 * robust mode (`robust-lr-late-decay`, `robust-lr-halve-on-falls`: examples/common/lr_schedules.ts;
 * `--trace FILE` appends every step's per-layer figures of each run). `--extra JSON` merges more warmup
 * options into every mode (e.g. `--extra '{"learningRate":0.05}'`), `--init unit-forget|chrono`
 * sets the LSTM bias initialisation; both are recorded per run. Per run: per-layer VAA*
 * over the last 10 steps (min / mean), VAA* of the final weights at T = 200 on a fixed draw,
 * the warmup verdict (`report.ok`), and `measureVaa` (whole stack, n = 32) at 200, 2 000 and
 * 10 000 steps. Initial weights are seeded (tfjs initializers draw their seeds from a seeded
 * `Math.random`), so every mode of a seed starts from the same weights and data.
 *
 * Appends one JSON line per run to `--out` (default warmup-modes.jsonl) and prints a markdown
 * row; `--table FILE` prints the summary tables of a results file instead of running.
 *
 *   npm run example:warmup-modes -- --cells lstm --units 16 --seeds 0-9 --modes default,robust
 *   npm run example:warmup-modes -- --table warmup-modes.jsonl
 *
 * `--learn` measures the learning outcome instead: copy-first-input at `--length` (100), 2×`--units`
 * (32) layers + dense, `--train` (2 000) training sequences, 8 epochs, batch 32, Adam 1e-3, MSE
 * on 500 test sequences, for each of `--modes` (`plain` = no warmup; warmup on the first 256
 * training sequences):
 *
 *   npm run example:warmup-modes -- --learn --cells lstm --seeds 0-4 --modes plain,default,best
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { appendFileSync, readFileSync } from 'node:fs';
import { measureVaa, ready, warmup, WARMUP_DEFAULTS, type WarmupOptions, type WarmupReport } from '../src/index';
import { copyFirstInput } from '../src/tasks/index';
import { DRIVER_CELLS, DRIVER_INITS, driverModel, type DriverCell, type DriverInit } from './common/driver_model';
import { halveOnFalls, lateDecay, type LrSchedule } from './common/lr_schedules';

export const MODES = [
  'default',
  'best',
  'layerwise',
  'layerwise-best',
  'lr-decay',
  'long-t',
  'early-stop',
  'robust',
  'robust-best',
  'robust-lr-late-decay',
  'robust-lr-halve-on-falls',
] as const;
type Mode = (typeof MODES)[number];
const HORIZONS = [200, 2000, 10000];
const STEPS = 100;

interface RunResult {
  cell: DriverCell;
  units: number;
  seed: number;
  mode: Mode;
  /** LSTM bias initialisation (`--init`); absent: the library's default. */
  init?: DriverInit;
  /** Extra warmup options (`--extra`); absent: none. */
  extra?: string;
  /** Per layer: min and mean of VAA* over the last 10 steps (of that layer's own phase). */
  lastMin: number[];
  lastMean: number[];
  /** Per layer: VAA* of the final weights at T = stabilisationMax (the verdict's: mean over its 2 fixed draws). */
  vaaStarAfter: number[];
  /** Library verdict: ok, and per layer VAA (layer alone) at the verdict horizon after. */
  ok: boolean;
  verdictVaaAfter: (number | null)[];
  /** measureVaa (whole stack) before and after, per horizon. */
  vaaBefore: Record<number, number>;
  vaaAfter: Record<number, number>;
  stepsRun: number;
  warmupS: number;
  verdictS: number;
  restoredStep: number | null;
}

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function list(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, k) => a + k);
  });
}

/** Stops (through `signal`) once every layer's VAA* mean over the last 10 steps is ≥ 0.8. */
function earlyStop(): Pick<WarmupOptions, 'signal' | 'onStep'> {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onStep: (info) => {
      if (info.step >= 29 && info.perLayer.every((l) => l.recentMean >= 0.8)) controller.abort();
    },
  };
}

/** Adam 1e-2 decaying (cosine) to 1e-3 over the steps. */
function lrDecay(steps: number): Pick<WarmupOptions, 'optimizer' | 'onStep'> {
  const optimizer = tf.train.adam(1e-2);
  return {
    optimizer,
    onStep: (info) => {
      const p = Math.min(1, (info.step + 1) / steps);
      (optimizer as unknown as { learningRate: number }).learningRate =
        1e-3 + 0.5 * (1e-2 - 1e-3) * (1 + Math.cos(Math.PI * p));
    },
  };
}

async function runWarmup(
  model: tf.Sequential,
  inputs: tf.Tensor3D,
  mode: Mode,
  seed: number,
): Promise<{ reports: WarmupReport[]; perLayerReport: number[]; rates?: number[][] }> {
  const rnn = model.layers.slice(0, 2).map((l) => l.name);
  // `--extra JSON`: more warmup options for every mode (ablations), recorded as the run's `extra`.
  const base: WarmupOptions = { seed, steps: STEPS, ...(JSON.parse(flag('extra', '{}')) as WarmupOptions) };
  switch (mode) {
    case 'default':
      return { reports: [await warmup(model, inputs, base)], perLayerReport: [0, 0] };
    case 'best':
      return { reports: [await warmup(model, inputs, { ...base, restoreBest: true })], perLayerReport: [0, 0] };
    case 'robust':
      return { reports: [await warmup(model, inputs, { ...base, mode: 'robust' })], perLayerReport: [0, 0] };
    case 'robust-best':
      return {
        reports: [await warmup(model, inputs, { ...base, mode: 'robust', restoreBest: true })],
        perLayerReport: [0, 0],
      };
    case 'long-t':
      return { reports: [await warmup(model, inputs, { ...base, stabilisationMax: 500 })], perLayerReport: [0, 0] };
    case 'early-stop':
      return { reports: [await warmup(model, inputs, { ...base, ...earlyStop() })], perLayerReport: [0, 0] };
    case 'robust-lr-late-decay':
    case 'robust-lr-halve-on-falls': {
      const threshold = WARMUP_DEFAULTS.target - WARMUP_DEFAULTS.verdictTolerance;
      const schedule: LrSchedule =
        mode === 'robust-lr-late-decay' ? lateDecay(STEPS) : halveOnFalls(rnn, base.batchSize ?? 32, threshold);
      try {
        const report = await warmup(model, inputs, { ...base, mode: 'robust', ...schedule.options });
        return { reports: [report], perLayerReport: [0, 0], rates: schedule.rates };
      } finally {
        schedule.dispose();
      }
    }
    case 'lr-decay': {
      const o = lrDecay(STEPS);
      const report = await warmup(model, inputs, { ...base, ...o });
      o.optimizer!.dispose();
      return { reports: [report], perLayerReport: [0, 0] };
    }
    case 'layerwise':
    case 'layerwise-best': {
      const restoreBest = mode === 'layerwise-best';
      const half = { ...base, steps: STEPS / 2, restoreBest };
      const r1 = await warmup(model, inputs, { ...half, layers: [rnn[0]] });
      const r2 = await warmup(model, inputs, { ...half, seed: seed + 1000, layers: [rnn[1]] });
      return { reports: [r1, r2], perLayerReport: [0, 1] };
    }
  }
}

async function runOne(
  cell: DriverCell,
  units: number,
  seed: number,
  mode: Mode,
  samples: number,
  length: number,
): Promise<RunResult> {
  const init = flag('init', 'default') as DriverInit;
  const model = driverModel(cell, units, seed, init, length);
  const { inputs, targets } = copyFirstInput({ samples, length, seed });
  const vaaBefore: Record<number, number> = {};
  for (const h of HORIZONS) vaaBefore[h] = await measureVaa(model, inputs, { seed, steps: h });
  const { reports, perLayerReport, rates } = await runWarmup(model, inputs, mode, seed);
  const trace = flag('trace', '');
  if (trace !== '') appendFileSync(trace, `${JSON.stringify(traceOf(cell, units, seed, mode, reports, rates))}\n`);
  const vaaAfter: Record<number, number> = {};
  for (const h of HORIZONS) vaaAfter[h] = await measureVaa(model, inputs, { seed, steps: h });
  const layer = (l: number) => {
    const r = reports[perLayerReport[l]];
    const idx = reports.length === 1 ? l : 0;
    const last = r.history.slice(-10).map((s) => s.vaaStar[idx]);
    return {
      min: Math.min(...last),
      mean: last.reduce((a, b) => a + b, 0) / last.length,
      after: r.verdict[idx].vaaStarAfter,
      vaa: r.verdict[idx].vaaAfter,
    };
  };
  const layers = [layer(0), layer(1)];
  tf.dispose([inputs, targets]);
  model.dispose();
  return {
    cell,
    units,
    seed,
    mode,
    ...(init === 'default' ? {} : { init }),
    ...(flag('extra', '') === '' ? {} : { extra: flag('extra', '') }),
    lastMin: layers.map((l) => l.min),
    lastMean: layers.map((l) => l.mean),
    vaaStarAfter: layers.map((l) => l.after),
    ok: reports.every((r) => r.ok),
    verdictVaaAfter: layers.map((l) => l.vaa),
    vaaBefore,
    vaaAfter,
    stepsRun: reports.reduce((s, r) => s + r.stepsCompleted, 0),
    warmupS: reports.reduce((s, r) => s + r.durationMs, 0) / 1000,
    verdictS: reports.reduce((s, r) => s + r.verdictMs, 0) / 1000,
    restoredStep: reports[reports.length - 1].restoredStep,
  };
}

/**
 * `--trace FILE`: one JSON line per run with every step's figures per layer (VAA\*, stabilisation
 * length, burn-in, the step's loss, and the learning rate where a schedule sets it), to see how a
 * layer moves.
 */
function traceOf(
  cell: DriverCell,
  units: number,
  seed: number,
  mode: Mode,
  reports: WarmupReport[],
  rates?: number[][],
) {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    cell,
    units,
    seed,
    mode,
    steps: reports.flatMap((r) =>
      r.history.map((s) => ({
        loss: round(s.loss),
        vaaStar: s.vaaStar.map(round),
        t: s.perLayer.map((l) => l.stabilisationSteps),
        burnIn: s.perLayer.map((l) => l.burnInSteps),
        ...(rates == null ? {} : { lr: rates[s.step].map((v) => Number(v.toPrecision(3))) }),
      })),
    ),
  };
}

const f2 = (v: number) => v.toFixed(2);
/** The mode, with the initialisation when not the default. */
const label = (r: { mode: string; init?: DriverInit; extra?: string }) =>
  [r.mode, ...(r.init == null ? [] : [`${r.init} init`]), ...(r.extra == null ? [] : [r.extra])].join(', ');
const f3 = (v: number) => v.toFixed(3);

function row(r: RunResult): string {
  return `| ${r.cell} 2×${r.units} | ${label(r)} | ${r.seed} | ${r.lastMin.map(f2).join('–')} / ${r.lastMean.map(f2).join(', ')} | ${r.vaaStarAfter.map(f2).join(' / ')} | ${HORIZONS.map((h) => f3(r.vaaAfter[h])).join(' / ')} | ${r.ok ? 'yes' : 'no'} | ${r.stepsRun} | ${r.warmupS.toFixed(1)} |`;
}

/**
 * Summary per cell, size and mode: seeds multistable (the stack's VAA ≥ 0.5 at 2 000 and
 * 10 000 steps: the criterion of docs/results.md), VAA ≥ 0.5 at each horizon, verdict ok,
 * layer-mean VAA* ≥ 0.8.
 */
function summary(results: RunResult[]): string {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const key = `${r.cell} 2×${r.units} | ${label(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [
    '| cell | mode | seeds | multistable (VAA ≥ 0.5 at 2 000 and 10 000) | VAA* last-10 mean ≥ 0.8 (layer 1 / 2) | VAA* after ≥ 0.8 (layer 1 / 2) | VAA ≥ 0.5 at T = 200 / 2 000 / 10 000 | VAA = 1/n at 10 000 | verdict ok | mean warmup s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [key, rs] of groups) {
    const n = rs.length;
    const count = (p: (r: RunResult) => boolean) => rs.filter(p).length;
    lines.push(
      `| ${key} | ${n} | **${count((r) => r.vaaAfter[2000] >= 0.5 && r.vaaAfter[10000] >= 0.5)}** | ${[0, 1].map((l) => count((r) => r.lastMean[l] >= 0.8)).join(' / ')} | ${[0, 1].map((l) => count((r) => r.vaaStarAfter[l] >= 0.8)).join(' / ')} | ${HORIZONS.map((h) => count((r) => r.vaaAfter[h] >= 0.5)).join(' / ')} | ${count((r) => r.vaaAfter[10000] < 1.5 / 32)} | ${count((r) => r.ok)} | ${(rs.reduce((s, r) => s + r.warmupS, 0) / n).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

interface LearnResult {
  cell: DriverCell;
  units: number;
  seed: number;
  mode: Mode | 'plain';
  init?: DriverInit;
  extra?: string;
  length: number;
  ok: boolean | null;
  vaaAfter: number | null;
  testMse: number;
  epochMse: number[];
  warmupS: number;
  trainS: number;
}

const LEARN_HEADER = [
  '| cell | mode | seed | verdict ok | VAA after (T = 2 000) | train MSE per epoch | test MSE | warmup s | training s |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
].join('\n');

/** One learning run as a table row. */
function learnRow(r: LearnResult): string {
  return `| ${r.cell} 2×${r.units} | ${label(r)} | ${r.seed} | ${r.ok ?? '–'} | ${r.vaaAfter == null ? '–' : f3(r.vaaAfter)} | ${r.epochMse.map(f3).join(' → ')} | ${f3(r.testMse)} | ${r.warmupS.toFixed(1)} | ${r.trainS.toFixed(1)} |`;
}

/** Per cell and mode, how many learning runs reached test MSE < 0.1 and < 0.2. */
function learnSummary(results: LearnResult[]): string {
  const groups = new Map<string, LearnResult[]>();
  for (const r of results) {
    const key = `${r.cell} 2×${r.units} | ${label(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = ['| cell | mode | seeds | test MSE < 0.1 | test MSE < 0.2 |', '| --- | --- | --- | --- | --- |'];
  for (const [key, rs] of groups) {
    const below = (x: number) => rs.filter((r) => r.testMse < x).length;
    lines.push(`| ${key} | ${rs.length} | **${below(0.1)}** | ${below(0.2)} |`);
  }
  return lines.join('\n');
}

async function learnOne(
  cell: DriverCell,
  units: number,
  seed: number,
  mode: Mode | 'plain',
  length: number,
  train: number,
): Promise<LearnResult> {
  const init = flag('init', 'default') as DriverInit;
  const model = driverModel(cell, units, seed, init, length);
  const data = copyFirstInput({ samples: train, length, seed });
  const test = copyFirstInput({ samples: 500, length, seed: seed + 100000 });
  const warmInputs = tf.slice(data.inputs, [0, 0, 0], [Math.min(256, train), length, 1]) as tf.Tensor3D;
  let ok: boolean | null = null;
  let vaaAfter: number | null = null;
  const t0 = Date.now();
  if (mode !== 'plain') {
    const { reports } = await runWarmup(model, warmInputs, mode, seed);
    ok = reports.every((r) => r.ok);
    vaaAfter = await measureVaa(model, warmInputs, { seed, steps: 2000 });
  }
  const warmupS = (Date.now() - t0) / 1000;
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const epochMse: number[] = [];
  const t1 = Date.now();
  await model.fit(data.inputs, data.targets, {
    epochs: 8,
    batchSize: 32,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async (_e, logs) => {
        epochMse.push(logs?.loss ?? NaN);
      },
    },
  });
  const trainS = (Date.now() - t1) / 1000;
  const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(model.predict(test.inputs) as tf.Tensor, test.targets))));
  const testMse = (await mse.data())[0];
  tf.dispose([mse, warmInputs, data.inputs, data.targets, test.inputs, test.targets]);
  model.dispose();
  return {
    cell,
    units,
    seed,
    mode,
    ...(init === 'default' ? {} : { init }),
    ...(flag('extra', '') === '' ? {} : { extra: flag('extra', '') }),
    length,
    ok,
    vaaAfter,
    testMse,
    epochMse,
    warmupS,
    trainS,
  };
}

const HEADER =
  '| cell | mode | seed | VAA* last 10 steps: min (l1–l2) / mean (l1, l2) | VAA* after, T=200 (l1 / l2) | VAA after, T = 200 / 2 000 / 10 000 | ok | steps | warmup s |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |';

async function main(): Promise<void> {
  const table = flag('table', '');
  if (table !== '') {
    const results = readFileSync(table, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RunResult | LearnResult);
    // Learning runs (`--learn`) carry a test MSE; warmup runs do not.
    const learned = results.filter((r): r is LearnResult => 'testMse' in r);
    if (learned.length > 0) {
      console.log(learnSummary(learned));
      console.log();
      console.log(LEARN_HEADER);
      for (const r of learned) console.log(learnRow(r));
      return;
    }
    console.log(summary(results as RunResult[]));
    console.log();
    console.log(HEADER);
    for (const r of results as RunResult[]) console.log(row(r));
    return;
  }
  await tf.setBackend(flag('backend', 'wasm'));
  await ready();
  const learn = process.argv.includes('--learn');
  const cells = flag('cells', 'lstm').split(',') as DriverCell[];
  const modes = flag('modes', learn ? 'plain,default,best' : 'default,best').split(',') as Mode[];
  for (const m of modes)
    if (!MODES.includes(m) && !(learn && (m as string) === 'plain'))
      throw new Error(`unknown mode ${m}; one of ${MODES.join(', ')}`);
  if (!DRIVER_INITS.includes(flag('init', 'default') as DriverInit))
    throw new Error(`unknown init; one of ${DRIVER_INITS.join(', ')}`);
  for (const c of cells)
    if (!(c in DRIVER_CELLS)) throw new Error(`unknown cell ${c}; one of ${Object.keys(DRIVER_CELLS).join(', ')}`);
  const out = flag('out', learn ? 'warmup-learn.jsonl' : 'warmup-modes.jsonl');
  if (learn) {
    console.log(LEARN_HEADER);
    for (const cell of cells) {
      for (const seed of list(flag('seeds', '0-4'))) {
        for (const mode of modes) {
          const r = await learnOne(
            cell,
            Number(flag('units', '32')),
            seed,
            mode,
            Number(flag('length', '100')),
            Number(flag('train', '2000')),
          );
          appendFileSync(out, `${JSON.stringify(r)}\n`);
          console.log(learnRow(r));
        }
      }
    }
    return;
  }
  console.log(HEADER);
  for (const cell of cells) {
    for (const units of list(flag('units', '16'))) {
      for (const seed of list(flag('seeds', '0-4'))) {
        for (const mode of modes) {
          const r = await runOne(cell, units, seed, mode, Number(flag('samples', '64')), Number(flag('length', '30')));
          appendFileSync(out, `${JSON.stringify(r)}\n`);
          console.log(row(r));
        }
      }
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
