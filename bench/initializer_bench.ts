/**
 * `npm run bench:init [-- --quick] [--out docs/benchmarks.md]`
 *
 * 1. Build time of a GRU layer (`gru({ units })`, 32 input features) at 256 … 2 048 units:
 *    dominated by the default recurrent initializer (`BlockOrthogonal`: one Haar orthogonal
 *    matrix per gate). Wall time and this process's CPU time (the machine is shared: CPU time is
 *    what an idle machine's wall time would be). Each build's gate blocks are checked for
 *    orthogonality (‖QᵀQ − I‖max in float64 over sampled columns). Baseline in the same
 *    process: `tf.layers.gru` (tfjs's own orthogonal initializer) at small sizes, and one block
 *    by the previous method (bench/householder_qr_baseline.ts) against the current one, on its
 *    JavaScript path and on the engine's kernel (the default once the engine is loaded).
 * 2. Peak tensor memory of one warmup step (`tf.profile` over `warmup(..., { steps: 1 })`) as
 *    a multiple of the model's weights, with the default optimizer and with tfjs's Adam.
 *
 * Writes the `initializer` section of docs/benchmarks.md (other sections are kept).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { gru, warmup } from '../src/index';
import { orthogonalMatrix } from '../src/cells/initializers/haar_orthogonal';
import { SeededRandom } from '../src/utils/seeded_random';
import { previousOrthogonalMatrix } from './householder_qr_baseline';
import { useBackend } from './backend';
import { loadAverage, machineInfo } from './machine';
import { codeRevision } from './revision';
import { replaceSection } from './sections';

interface BuildRow {
  layer: string;
  units: number;
  wallMs: number;
  cpuMs: number;
  orthogonality: number | null;
  target: string;
}

interface MethodRow {
  size: number;
  previousMs: number;
  /** The current method on its JavaScript path (before the engine loads, or without it). */
  javascriptMs: number;
  currentMs: number;
}

interface PeakRow {
  units: number;
  optimizer: string;
  weightMB: number;
  peakMB: number;
}

const FEATURES = 32;
const TARGETS: Record<number, number> = { 1024: 2000, 2048: 10000 };

function timeBuild(make: () => tf.layers.Layer): { layer: tf.layers.Layer; wallMs: number; cpuMs: number } {
  const layer = make();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  layer.build([null, 10, FEATURES]);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { layer, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** max |(QᵀQ − I)_ij| over every gate block, for `samples` columns against all, in float64. */
function orthogonality(recurrentKernel: tf.Tensor, units: number, samples = 32): number {
  const values = recurrentKernel.dataSync();
  const cols = recurrentKernel.shape[1] as number;
  let worst = 0;
  for (let g = 0; g < cols / units; g++) {
    const column = (j: number): Float64Array => {
      const c = new Float64Array(units);
      for (let i = 0; i < units; i++) c[i] = values[i * cols + g * units + j];
      return c;
    };
    const all = Array.from({ length: units }, (_, j) => column(j));
    for (let s = 0; s < samples; s++) {
      const a = Math.floor((s * units) / samples);
      for (let b = 0; b < units; b++) {
        let d = 0;
        for (let i = 0; i < units; i++) d += all[a][i] * all[b][i];
        worst = Math.max(worst, Math.abs(d - (a === b ? 1 : 0)));
      }
    }
  }
  return worst;
}

/** A built layer that was never called cannot be disposed; its weights can. */
function disposeWeights(layer: tf.layers.Layer): void {
  for (const w of layer.weights) w.dispose();
}

async function peakOfWarmupStep(units: number, optimizer: 'default' | 'tf.train.adam'): Promise<PeakRow> {
  const model = tf.sequential({ layers: [gru({ units, inputShape: [null, 1] })] });
  const weightBytes = model.getWeights().reduce((s, w) => s + w.size * 4, 0);
  const x = tf.randomNormal([2, 10, 1], 0, 1, 'float32', 1) as tf.Tensor3D;
  const adam = optimizer === 'default' ? undefined : tf.train.adam(1e-2);
  const info = await tf.profile(async () => {
    await warmup(model, x, {
      steps: 1,
      batchSize: 2,
      stabilisationMax: 10,
      seed: 1,
      ...(adam ? { optimizer: adam } : {}),
    });
    return [];
  });
  adam?.dispose();
  x.dispose();
  model.dispose();
  return { units, optimizer, weightMB: weightBytes / 2 ** 20, peakMB: info.peakBytes / 2 ** 20 };
}

/** CPU milliseconds of `f()`. */
function cpuTime(f: () => unknown): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function render(builds: BuildRow[], methods: MethodRow[], peaks: PeakRow[], command: string, quick: boolean): string {
  const m = machineInfo();
  const lines = [
    '## Initializer and warmup-step memory',
    '',
    `${new Date().toISOString()}, \`${command}\`, ${codeRevision().replace(/ \(".*"\)/, '')}.`,
    `${m.cpu} (${m.cores} cores), Node ${m.node}, tfjs ${m.tfjs}; load average ${loadAverage().join(' / ')} at the end` +
      ' (the machine is shared: CPU time is what the build costs; wall time includes waiting for the CPU).',
    quick ? '\n**Quick run: sizes too small for the targets.**' : '',
    '',
    'Build time of a GRU layer (32 input features): the default recurrent initializer draws one Haar orthogonal matrix per gate',
    "(Stewart's random Householder product in float64, blocked, on the engine's float64 SIMD kernel). ‖QᵀQ − I‖max: float64 over 32 sampled columns per gate block, after float32 rounding.",
    '',
    '| layer | units | wall (ms) | CPU (ms) | ‖QᵀQ − I‖max | target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...builds.map(
      (r) =>
        `| ${r.layer} | ${r.units} | ${r.wallMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.orthogonality == null ? '—' : r.orthogonality.toExponential(1)} | ${r.target} |`,
    ),
    '',
    'One square orthogonal block, previous method (Householder QR of a Gaussian matrix, then Q) against the current one, same process;',
    "the current one on its JavaScript path (browsers before the engine has compiled; bit-identical results) and on the engine's kernel:",
    '',
    '| size | previous, CPU (ms) | current JavaScript, CPU (ms) | current engine, CPU (ms) | speed-up (engine) |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...methods.map(
      (r) =>
        `| ${r.size} | ${r.previousMs.toFixed(0)} | ${r.javascriptMs.toFixed(0)} | ${r.currentMs.toFixed(0)} | ${(r.previousMs / r.currentMs).toFixed(1)}× |`,
    ),
    '',
    'Peak tensor memory of one warmup step (`tf.profile` over `warmup(model, x, { steps: 1, batchSize: 2, stabilisationMax: 10 })`,',
    "one GRU layer, 10 time steps, wasm backend), as a multiple of the model's weights:",
    '',
    '| units | optimizer | weights (MiB) | peak (MiB) | peak / weights |',
    '| ---: | --- | ---: | ---: | ---: |',
    ...peaks.map(
      (p) =>
        `| ${p.units} | ${p.optimizer} | ${p.weightMB.toFixed(1)} | ${p.peakMB.toFixed(1)} | ${(p.peakMB / p.weightMB).toFixed(1)}× |`,
    ),
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : 'docs/benchmarks.md';
  const command = `npm run bench:init${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  await useBackend('wasm');

  const builds: BuildRow[] = [];
  for (const units of quick ? [64, 128] : [256, 512, 1024, 2048]) {
    const { layer, wallMs, cpuMs } = timeBuild(() => gru({ units }) as unknown as tf.layers.Layer);
    const err = orthogonality(layer.getWeights()[1], units);
    const limit = TARGETS[units];
    const target =
      limit == null
        ? ''
        : `< ${limit / 1000} s: ${cpuMs < limit ? 'met' : 'MISSED'} (CPU), ${wallMs < limit ? 'met' : 'missed'} (wall)`;
    builds.push({ layer: 'gru (ours)', units, wallMs, cpuMs, orthogonality: err, target });
    console.log(
      `gru ${units}: wall ${wallMs.toFixed(0)} ms, CPU ${cpuMs.toFixed(0)} ms, ‖QᵀQ − I‖max ${err.toExponential(1)}`,
    );
    disposeWeights(layer);
  }
  for (const units of quick ? [32] : [128, 256]) {
    const { layer, wallMs, cpuMs } = timeBuild(() => tf.layers.gru({ units }));
    const ours = timeBuild(() => gru({ units, resetAfter: false }) as unknown as tf.layers.Layer);
    builds.push({
      layer: 'tf.layers.gru (baseline)',
      units,
      wallMs,
      cpuMs,
      orthogonality: null,
      target: `ours ${(cpuMs / ours.cpuMs).toFixed(0)}× faster (CPU)`,
    });
    console.log(
      `tf.layers.gru ${units}: wall ${wallMs.toFixed(0)} ms, CPU ${cpuMs.toFixed(0)} ms (ours ${ours.cpuMs.toFixed(0)} ms)`,
    );
    disposeWeights(layer);
    disposeWeights(ours.layer);
  }
  const methods: MethodRow[] = [];
  for (const size of quick ? [64] : [512, 1024]) {
    const previousMs = cpuTime(() => previousOrthogonalMatrix(size, size, new SeededRandom(1)));
    const javascriptMs = cpuTime(() => orthogonalMatrix(size, size, new SeededRandom(1), false));
    const currentMs = cpuTime(() => orthogonalMatrix(size, size, new SeededRandom(1)));
    methods.push({ size, previousMs, javascriptMs, currentMs });
    console.log(
      `one ${size}×${size} block: previous ${previousMs.toFixed(0)} ms, current ${javascriptMs.toFixed(0)} ms (JavaScript), ${currentMs.toFixed(0)} ms (engine) (CPU)`,
    );
  }
  const peaks: PeakRow[] = [];
  for (const units of quick ? [32] : [256, 1024]) {
    for (const optimizer of ['default', 'tf.train.adam'] as const) {
      const row = await peakOfWarmupStep(units, optimizer);
      peaks.push(row);
      console.log(
        `warmup step ${units} units, ${optimizer}: peak ${row.peakMB.toFixed(1)} MiB = ${(row.peakMB / row.weightMB).toFixed(1)}× weights`,
      );
    }
  }
  const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
  writeFileSync(out, replaceSection(text, 'initializer', render(builds, methods, peaks, command, quick)));
  console.log(`wrote the 'initializer' section of ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
