/**
 * `npm run example:attractors -- [--cells gru,lstm,nbrc] [--seeds 0-2] [--units 16] [--length 30]
 *   [--samples 32] [--warmup-steps 100] [--max-iterations 1000] [--backend wasm] [--quick]`
 *
 * Attractors before and after warmup on copy-first-input: for each cell and seed, a 2-layer
 * model (the demo's, seeded weights) is analysed with countAttractors (fixed points of the whole
 * recurrent stack under VAA's random constant input, and the stable points its trajectories reach
 * by T = 10 000), beside VAA at T = 200 and T = 10 000 from the same draws; then warmed up and
 * analysed again. Prints a markdown table (the one in docs/results.md).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { countAttractors, measureVaa, warmup, type AttractorCount } from '../src/index';
import { copyFirstInput } from '../src/tasks/index';
import * as cli from './common/cli';
import { hashSeed } from './common/random';
import { buildModel } from './demo/model';
import type { CellKind } from './demo/args';

interface Options {
  cells: CellKind[];
  seeds: number[];
  units: number;
  length: number;
  samples: number;
  warmupSteps: number;
  /** Adam iterations of the fixed-point search (findFixedPoints' maxIterations). */
  maxIterations: number;
  backend: cli.ExampleBackend;
}

const CELLS = ['gru', 'lstm', 'nbrc', 'brc'] as const;
const DEFAULTS: Options = {
  cells: ['gru', 'lstm', 'nbrc'],
  seeds: [0, 1, 2],
  units: 16,
  length: 30,
  samples: 32,
  warmupSteps: 100,
  maxIterations: 1000,
  backend: 'wasm',
};
const QUICK: Partial<Options> = {
  cells: ['gru'],
  seeds: [0],
  units: 4,
  length: 8,
  samples: 8,
  warmupSteps: 3,
  maxIterations: 100,
};
const USAGE = `Usage: npm run example:attractors -- [--cells ${CELLS.join(',')}] [--seeds 0-2] [--units N] [--length N]
  [--samples N] [--warmup-steps N] [--max-iterations N] [--backend wasm|cpu] [--quick]`;
const SHORT = 200;
const LONG = 10000;

interface Measure {
  vaaShort: number;
  count: AttractorCount;
}

async function measure(
  model: tf.LayersModel,
  inputs: tf.Tensor3D,
  samples: number,
  seed: number,
  long: number,
  maxIterations: number,
): Promise<Measure> {
  const vaaShort = await measureVaa(model, inputs, { samples, steps: SHORT, seed });
  const count = await countAttractors(model, { inputs, samples, horizon: long, seed, maxIterations });
  return { vaaShort, count };
}

async function main(): Promise<void> {
  const parsed = cli.parseArgv<Options>(process.argv.slice(2), {
    usage: USAGE,
    setters: {
      '--cells': (o, v, f) => {
        o.cells = cli.choices(f, v, CELLS);
      },
      '--seeds': (o, v, f) => {
        o.seeds = cli.seeds(f, v);
      },
      '--units': (o, v, f) => {
        o.units = cli.integer(f, v, 1);
      },
      '--length': (o, v, f) => {
        o.length = cli.integer(f, v, 1);
      },
      '--samples': (o, v, f) => {
        o.samples = cli.integer(f, v, 2);
      },
      '--max-iterations': (o, v, f) => {
        o.maxIterations = cli.integer(f, v, 0);
      },
      '--warmup-steps': (o, v, f) => {
        o.warmupSteps = cli.integer(f, v, 1);
      },
      '--backend': (o, v, f) => {
        o.backend = cli.backend(f, v);
      },
    },
  });
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const o: Options = { ...DEFAULTS, ...(parsed.quick ? QUICK : {}), ...parsed.explicit };
  const long = parsed.quick ? 500 : LONG;
  await tf.setBackend(o.backend);
  await tf.ready();
  const n = o.samples;
  console.log(
    `Copy first input, L = ${o.length}, 2 × ${o.units} units, n = ${n} sampled states, warmup ${o.warmupSteps} steps, backend ${o.backend}.`,
  );
  console.log('Counts are numbers of points (VAA · n for VAA); "→" separates before and after warmup.\n');
  const header = `| cell | seed | stable points | unstable | slow | attractors reached at T = ${long} (unresolved) | VAA · n at T = ${SHORT} | VAA · n at T = ${long} |`;
  console.log(header);
  console.log('|---|---|---|---|---|---|---|---|');
  for (const cell of o.cells) {
    for (const seed of o.seeds) {
      const started = performance.now();
      const data = copyFirstInput({ samples: Math.max(n, 64), length: o.length, seed: `attractors/${seed}` });
      const model = buildModel(cell, 'none', o.units, seed);
      const drawSeed = hashSeed(`attractors/vaa/${seed}`);
      try {
        const before = await measure(model, data.inputs, n, drawSeed, long, o.maxIterations);
        await warmup(model, data.inputs, {
          steps: o.warmupSteps,
          batchSize: Math.min(32, n),
          seed: hashSeed(`attractors/warmup/${cell}/${seed}`),
        });
        const after = await measure(model, data.inputs, n, drawSeed, long, o.maxIterations);
        const arrow = (f: (m: Measure) => string) => `${f(before)} → ${f(after)}`;
        const counts = (k: 'stable' | 'unstable' | 'slow') => arrow((m) => String(m.count.analysis.counts[k]));
        console.log(
          `| ${cell} | ${seed} | ${counts('stable')} | ${counts('unstable')} | ${counts('slow')} | ` +
            `${arrow((m) => `${m.count.attractors} (${Math.round(m.count.unresolved * n)})`)} | ` +
            `${arrow((m) => (m.vaaShort * n).toFixed(1))} | ${arrow((m) => (m.count.vaa * n).toFixed(1))} |`,
        );
        console.error(`  ${cell} seed ${seed}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
      } finally {
        model.dispose();
        tf.dispose(data);
      }
    }
  }
}

await main();
