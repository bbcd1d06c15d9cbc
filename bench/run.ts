/**
 * `npm run bench [-- --backend wasm|cpu|both] [--quick] [--out docs/benchmarks.md] [--no-profile]`
 *
 * Times our GRU and LSTM against tf.layers.gru / tf.layers.lstm (identical weights), and BRC /
 * nBRC against our GRU, forward and forward+backward, on the wasm and cpu backends in this one
 * process; profiles the GRU pair per op; writes the markdown report.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from './args';
import { backendDetails, useBackend, type BenchBackend } from './backend';
import { caseLabel, caseList, jobFor, jobPair, makePair, MODES } from './cases';
import { loadAverage, machineInfo } from './machine';
import { renderReport, type BackendResult, type BenchReport, type CaseResult, type ModeResult } from './markdown';
import { benchPlan, type BenchPlan } from './plan';
import { profileJob, type OpProfile } from './profile';
import { meets, targetFor } from './targets';
import { codeRevision } from './revision';
import { timePair } from './timing';
import { renderWarmupSection, runWarmupBench } from './warmup_bench';
import { markedSections } from './sections';

const t0 = performance.now();
const log = (msg: string): void => {
  console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
};

async function runBackend(backend: BenchBackend, plan: BenchPlan): Promise<BackendResult> {
  await useBackend(backend);
  const details = await backendDetails(backend);
  log(`backend ${backend}: ${details}`);
  const cases: CaseResult[] = [];
  for (const spec of caseList(plan.units)) {
    const before = tf.memory().numTensors;
    const pair = makePair(spec, plan.sizes);
    const reps = plan.repetitions(backend, spec.units);
    const modes: ModeResult[] = [];
    for (const mode of MODES) {
      const timing = await timePair(jobPair(pair, mode, reps), reps);
      const target = targetFor(spec, mode, backend);
      const met = meets(timing.ratio, target);
      modes.push({ mode, timing, target, met });
      log(
        `${backend} ${caseLabel(spec)} ${mode}: ours ${timing.oursMedian.toFixed(1)} ms, ` +
          `${pair.baselineName} ${timing.baselineMedian.toFixed(1)} ms, ratio ${timing.ratio.toFixed(2)}× ` +
          `(target ${target.text}: ${met ? 'met' : 'MISSED'})`,
      );
    }
    cases.push({ spec, oursName: pair.oursName, baselineName: pair.baselineName, agreement: pair.agreement, plan: reps, modes });
    pair.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) log(`warning: ${leaked} tensors left behind by ${caseLabel(spec)} on ${backend}`);
  }
  return { backend, details, cases };
}

async function runProfiles(backend: BenchBackend, plan: BenchPlan): Promise<OpProfile[]> {
  await useBackend(backend);
  const pair = makePair({ family: 'GRU', units: plan.profileUnits }, plan.sizes);
  const items: OpProfile[] = [];
  for (const [label, layer] of [
    [`ours: ${pair.oursName}`, pair.ours],
    [`baseline: ${pair.baselineName}`, pair.baseline],
  ] as const) {
    const job = jobFor('forward+backward', layer, pair.x);
    await job(); // warm-up
    const profile = await profileJob(label, job);
    log(`profile ${label}: ${profile.wallMs.toFixed(0)} ms wall, ${profile.kernelMs.toFixed(0)} ms in ${profile.kernelCalls} kernels`);
    items.push(profile);
  }
  pair.dispose();
  return items;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const plan = benchPlan(args.quick);
  const machine = machineInfo();
  const date = new Date().toISOString();
  const revision = codeRevision();
  const command =
    process.env.npm_lifecycle_event === 'bench'
      ? `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`
      : `tsx bench/run.ts ${argv.join(' ')}`.trim();
  log(`${revision}`);
  log(`${command} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, tfjs ${machine.tfjs}`);

  const backends: BackendResult[] = [];
  for (const backend of args.backends) backends.push(await runBackend(backend, plan));

  let profiles: BenchReport['profiles'] = null;
  if (!args.noProfile) {
    const backend: BenchBackend = args.backends.includes('wasm') ? 'wasm' : args.backends[0];
    profiles = { backend, units: plan.profileUnits, time: plan.sizes.time, items: await runProfiles(backend, plan) };
  }

  let warmupSection: string | undefined;
  if (args.backends.includes('wasm')) {
    await useBackend('wasm');
    log('warmup benchmark (wasm)');
    warmupSection = renderWarmupSection(await runWarmupBench(args.quick, log), args.quick);
  }

  const report: BenchReport = {
    date,
    command,
    revision,
    quick: args.quick,
    machine,
    loadAverageEnd: loadAverage(),
    totalSeconds: (performance.now() - t0) / 1000,
    sizes: plan.sizes,
    backends,
    profiles,
    warmup: warmupSection,
  };
  mkdirSync(dirname(args.out), { recursive: true });
  // Keep the sections other commands wrote (e.g. `npm run bench:page`).
  const kept = existsSync(args.out) ? markedSections(readFileSync(args.out, 'utf8')) : [];
  writeFileSync(args.out, [renderReport(report).trimEnd(), ...kept].join('\n\n').trimEnd() + '\n');
  log(`wrote ${args.out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
