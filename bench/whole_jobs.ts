/**
 * Whole jobs, engine vs tfjs-op path, in one process (issue 8):
 *  - one training step of sequential MNIST: 784 steps of 1 pixel, 2 GRU layers of 32 units
 *    (reset-after, our defaults) and a softmax dense layer of 10, batch 32, Adam,
 *    `model.trainOnBatch` (random pixels and labels: the arithmetic does not depend on them);
 *  - a default warmup step: 2 × 256 GRU, copy-first-input of length 100, batch 32, the first
 *    steps of the default schedule, run from the same initial weights and seed on both paths.
 * Repetitions alternate the paths; reported: medians (training step) and the mean step time
 * (warmup), and their ratio ops/engine. Targets: MNIST step ≥ 5×, warmup step ≥ 2.5×.
 */
import * as tf from '@tensorflow/tfjs';
import { gru, warmup } from '../src/index';
import { copyFirstInput } from '../src/tasks/index';
import { onPath } from './engine';
import { median, timeJobs } from './timing';
import type { TargetCheck } from './targets';
import { gruModel } from './warmup_bench';

export interface PathTimes {
  engine: number[];
  ops: number[];
  ratio: number;
}

export interface WholeJobsResult {
  mnist: PathTimes & { units: number; time: number; batch: number };
  warmup: PathTimes & { units: number; length: number; batch: number; steps: number };
}

const ratioOf = (t: { engine: number[]; ops: number[] }): number => median(t.ops) / median(t.engine);

async function mnistStep(quick: boolean): Promise<WholeJobsResult['mnist']> {
  const units = quick ? 8 : 32;
  const time = quick ? 50 : 784;
  const batch = 32;
  const model = tf.sequential({
    layers: [
      gru({ units, returnSequences: true, inputShape: [time, 1] }),
      gru({ units }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([batch, time, 1], 0, 1, 'float32', 3);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 4) as tf.Tensor1D, 10);
  const step = async (): Promise<void> => {
    await model.trainOnBatch(x, y);
  };
  const times = await timeJobs(
    {
      engine: { run: onPath('engine', step), warmup: onPath('engine', step) },
      ops: { run: onPath('ops', step), warmup: onPath('ops', step) },
    },
    { warmup: 1, warmupSteps: null, reps: quick ? 2 : 3 },
  );
  tf.dispose([x, y]);
  model.dispose();
  return { ...times, ratio: ratioOf(times), units, time, batch };
}

async function warmupStep(quick: boolean): Promise<WholeJobsResult['warmup']> {
  const units = quick ? 16 : 256;
  const length = quick ? 20 : 100;
  const batch = 32;
  const steps = quick ? 2 : 4;
  const data = copyFirstInput({ samples: 4 * batch, length, seed: 0 });
  const model = gruModel(units);
  const initial = model.getWeights().map((w) => tf.clone(w));
  /** Mean step time of one warmup run from the initial weights. */
  const run = (path: 'engine' | 'ops') => async (): Promise<number[]> => {
    model.setWeights(initial);
    const ms: number[] = [];
    await onPath(path, async () => {
      await warmup(model, data.inputs, {
        seed: 0,
        steps,
        batchSize: batch,
        onStep: (info) => {
          ms.push(info.ms);
        },
      });
    })();
    return ms;
  };
  const engine: number[] = [];
  const ops: number[] = [];
  // Order engine, ops, ops, engine: drift hits both alike.
  for (const path of ['engine', 'ops', 'ops', 'engine'] as const)
    (path === 'engine' ? engine : ops).push(...(await run(path)()));
  tf.dispose([...initial, data.inputs, data.targets]);
  model.dispose();
  const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
  return { engine, ops, ratio: mean(ops) / mean(engine), units, length, batch, steps };
}

export async function runWholeJobs(quick: boolean, log: (s: string) => void): Promise<WholeJobsResult> {
  const mnist = await mnistStep(quick);
  log(
    `MNIST training step: engine ${median(mnist.engine).toFixed(0)} ms, ops ${median(mnist.ops).toFixed(0)} ms, ${mnist.ratio.toFixed(2)}×`,
  );
  const w = await warmupStep(quick);
  log(
    `warmup step: engine ${w.engine.map((v) => v.toFixed(0)).join(',')} ms, ops ${w.ops.map((v) => v.toFixed(0)).join(',')} ms, ${w.ratio.toFixed(2)}×`,
  );
  return { mnist, warmup: w };
}

/** The issue 8 targets of the whole jobs: MNIST step ≥ 5×, warmup step ≥ 2.5× (ops/engine). */
export function wholeJobChecks(r: WholeJobsResult): TargetCheck[] {
  return [
    { text: 'MNIST training step ops/engine ≥ 5×', met: r.mnist.ratio >= 5 },
    { text: 'warmup step ops/engine ≥ 2.5×', met: r.warmup.ratio >= 2.5 },
  ];
}

export function renderWholeJobs(r: WholeJobsResult, quick: boolean): string {
  const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const row = (what: string, e: number, o: number, ratio: number, target: number) =>
    `| ${what} | ${s(e)} | ${s(o)} | ${ratio.toFixed(2)}× | ≥ ${target}× | ${ratio >= target ? 'yes' : '**no**'} |`;
  return [
    '## Whole jobs: engine vs tfjs ops (wasm)',
    '',
    `- **Sequential MNIST training step**: ${r.mnist.time} steps of 1 pixel, 2 GRU layers of ${r.mnist.units} units + dense softmax 10, batch ${r.mnist.batch}, Adam, one \`model.trainOnBatch\` (random pixels and labels); 1 warm-up + ${r.mnist.engine.length} timed per path, alternating; medians.`,
    `- **Warmup step**: \`warmup(model, inputs, { steps: ${r.warmup.steps}, batchSize: ${r.warmup.batch} })\` on 2 × ${r.warmup.units} GRU, copy-first-input of length ${r.warmup.length}, the first ${r.warmup.steps} steps of the default schedule, twice per path from the same initial weights and seed (order engine, ops, ops, engine); mean step time.`,
    '',
    '| job | engine | tfjs ops | ops/engine | target | met? |',
    '|---|---:|---:|---:|---|:---:|',
    row('MNIST training step', median(r.mnist.engine), median(r.mnist.ops), r.mnist.ratio, 5),
    row('warmup step', mean(r.warmup.engine), mean(r.warmup.ops), r.warmup.ratio, 2.5),
    '',
    ...(quick ? ['_Quick run: smaller sizes than the targets assume; the target columns do not apply._', ''] : []),
    `Times (ms) — MNIST engine ${r.mnist.engine.map((v) => v.toFixed(0)).join(', ')}; ops ${r.mnist.ops.map((v) => v.toFixed(0)).join(', ')}. ` +
      `Warmup steps engine ${r.warmup.engine.map((v) => v.toFixed(0)).join(', ')}; ops ${r.warmup.ops.map((v) => v.toFixed(0)).join(', ')}.`,
    '',
  ].join('\n');
}
