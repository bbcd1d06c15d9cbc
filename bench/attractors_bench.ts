/**
 * `npm run bench:attractors [-- --quick] [--markdown docs/benchmarks.md]`
 *
 * Times the attractor analysis on the wasm backend: `findFixedPoints` on a 2×64 GRU (this
 * library's, reset-after) from 256 starting states drawn from copy-first-input sequences, against
 * one `measureVaa` at T = 10 000 (its default n = 32) on the same model, both in this process,
 * before and after a short warmup. Sets the `attractors` section of docs/benchmarks.md with
 * `--markdown`; prints the table either way.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  findFixedPoints,
  gru,
  measureVaa,
  warmup,
  type FixedPointAnalysis,
  type FindFixedPointsOptions,
} from '../src/index';
import { copyFirstInput } from '../src/tasks/index';
import { loadAverage, machineInfo } from './machine';
import { codeRevision } from './revision';
import { replaceSection } from './sections';

interface Row {
  model: string;
  setting: string;
  ms: number;
  analysis: FixedPointAnalysis;
}

const UNITS = 64;
const STARTS = 256;
const LENGTH = 50;

function buildModel(): tf.Sequential {
  const seeded = (seed: number) => ({
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
  });
  return tf.sequential({
    layers: [
      gru({ units: UNITS, returnSequences: true, inputShape: [null, 1], ...seeded(1) }),
      gru({ units: UNITS, returnSequences: true, ...seeded(3) }),
      tf.layers.dense({ units: 1 }),
    ],
  });
}

function phases(a: FixedPointAnalysis): string {
  const p = a.phaseMs;
  return [p.search, p.trajectories, p.refine, p.spectra].map((v) => `${(v / 1000).toFixed(1)}`).join(' / ') + ' s';
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const markdownAt = process.argv.indexOf('--markdown');
  const markdown = markdownAt >= 0 ? process.argv[markdownAt + 1] : undefined;
  await tf.setBackend('wasm');
  await tf.ready();
  const loadStart = loadAverage();
  const data = copyFirstInput({ samples: STARTS, length: LENGTH, seed: 'bench-attractors' });
  const model = buildModel();
  const vaaSteps = quick ? 500 : 10000;
  // The fresh model converges in a few hundred iterations with the defaults; the warmed one
  // would run all 5 000, so it is timed with 1 000.
  const settingsOf = (stage: string): Array<[string, FindFixedPointsOptions]> =>
    quick
      ? [['maxIterations 200', { maxIterations: 200 }]]
      : stage === 'fresh'
        ? [['defaults', {}]]
        : [['maxIterations 1 000', { maxIterations: 1000 }]];
  const warmupSteps = quick ? 5 : 30;
  const rows: Row[] = [];
  const vaaMs: Record<string, number> = {};
  for (const stage of ['fresh', `warmed (${warmupSteps} steps)`]) {
    if (stage !== 'fresh') await warmup(model, data.inputs, { steps: warmupSteps, seed: 1 });
    const vaa = await timed(() => measureVaa(model, data.inputs, { steps: vaaSteps, seed: 2 }));
    vaaMs[stage] = vaa.ms;
    console.log(`${stage}: measureVaa T = ${vaaSteps}: ${(vaa.ms / 1000).toFixed(1)} s (VAA ${vaa.value.toFixed(3)})`);
    for (const [setting, options] of settingsOf(stage)) {
      const run = await timed(() =>
        findFixedPoints(model, { inputs: data.inputs, samples: STARTS, seed: 2, ...options }),
      );
      rows.push({ model: stage, setting, ms: run.ms, analysis: run.value });
      const c = run.value.counts;
      console.log(
        `${stage}, ${setting}: ${(run.ms / 1000).toFixed(1)} s, ${run.value.iterations} iterations (${run.value.stoppedBy}), ` +
          `stable ${c.stable}, unstable ${c.unstable}, slow ${c.slow}, discarded ${c.discarded}; phases ${phases(run.value)}`,
      );
    }
  }
  const machine = machineInfo();
  const lines = [
    '## Attractor analysis (findFixedPoints)',
    '',
    `- Date: ${new Date().toISOString()}; command: \`npm run bench:attractors${quick ? ' -- --quick' : ''}${markdown ? ` -- --markdown ${markdown}` : ''}\`; ${codeRevision()}`,
    `- Machine: ${machine.cpu} × ${machine.cores} cores, load average ${loadStart.join(', ')} at start, ${loadAverage().join(', ')} at end; backend wasm`,
    `- Model: 2 × ${UNITS} GRU (reset-after) + dense, state dimension ${2 * UNITS}; ${STARTS} starting states from copy-first-input (L = ${LENGTH}), random constant input; ` +
      `baseline: one \`measureVaa\` at T = ${vaaSteps} (n = 32) on the same model, in the same process. "warmed": after \`warmup\` (${warmupSteps} steps).`,
    '',
    '| model | setting | findFixedPoints | phases: Adam / trajectories / refine / spectra | Adam iterations (stop) | stable / unstable / slow / discarded | measureVaa | ratio |',
    '|---|---|---:|---|---|---|---:|---:|',
    ...rows.map((r) => {
      const c = r.analysis.counts;
      return (
        `| ${r.model} | ${r.setting} | ${(r.ms / 1000).toFixed(1)} s | ${phases(r.analysis)} | ${r.analysis.iterations} (${r.analysis.stoppedBy}) | ` +
        `${c.stable} / ${c.unstable} / ${c.slow} / ${c.discarded} | ${(vaaMs[r.model] / 1000).toFixed(1)} s | ${(r.ms / vaaMs[r.model]).toFixed(1)}× |`
      );
    }),
    '',
    'Ratio: findFixedPoints time / measureVaa time. Each Adam iteration runs one step of both layers forward and backward on all 256 states; ' +
      'the Jacobians, Newton refinement and eigen-decompositions (dimension 128, in JavaScript) add a cost per unique candidate. See docs/attractors.md.',
  ];
  const body = lines.join('\n');
  console.log(`\n${body}`);
  if (markdown != null) {
    const text = existsSync(markdown) ? readFileSync(markdown, 'utf8') : '';
    writeFileSync(markdown, replaceSection(text, 'attractors', body));
    console.log(`\nSection 'attractors' of ${markdown} updated.`);
  }
  model.dispose();
  tf.dispose(data);
}

await main();
