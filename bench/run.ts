/**
 * `npm run bench [-- --backend wasm|cpu|both] [--quick] [--out docs/benchmarks.md] [--no-profile]`
 *
 * Times our GRU and LSTM on the whole-sequence WebAssembly engine, on the tfjs-op path and
 * against tf.layers.gru / tf.layers.lstm (identical weights), and BRC / nBRC against our GRU,
 * forward and forward+backward, on the wasm and cpu backends in this one process, with the
 * GFLOP/s of a large tf.matMul as the machine's limit; then whole jobs (a sequential-MNIST
 * training step, a warmup step) engine vs ops; profiles where the time goes; writes the
 * markdown report.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from './args';
import { backendDetails, useBackend, type BenchBackend } from './backend';
import { caseJobs, caseLabel, isEngineRow, makeCase, MODES, type Column } from './cases';
import { engineMemoryMiB, requireEngine } from './engine';
import { layerFlops } from './flops';
import { loadAverage, machineInfo } from './machine';
import { renderReport, type BackendResult, type BenchReport, type CaseResult, type ModeResult } from './markdown';
import { measureMatMulPeak, mergePeaks } from './matmul_peak';
import { benchPlan, type BenchPlan } from './plan';
import { profileEngineSplit, profileJob, type EngineSplit, type OpProfile } from './profile';
import { checksFor } from './targets';
import { codeRevision } from './revision';
import { median, timeJobs } from './timing';
import { renderWarmupSection, runWarmupBench } from './warmup_bench';
import { renderWholeJobs, runWholeJobs, wholeJobChecks } from './whole_jobs';
import { markedSections } from './sections';

const t0 = performance.now();
const log = (msg: string): void => {
  console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}`);
};

async function runBackend(backend: BenchBackend, plan: BenchPlan, only: RegExp | null): Promise<BackendResult> {
  await useBackend(backend);
  const details = await backendDetails(backend);
  log(`backend ${backend}: ${details}`);
  const peakStart = await measureMatMulPeak(backend);
  log(`${backend} tf.matMul ${peakStart.n}³: ${peakStart.gflops.toFixed(1)} GFLOP/s`);
  const cases: CaseResult[] = [];
  const pending: { result: CaseResult; mode: ModeResult }[] = [];
  for (const spec of plan.cases) {
    if (only && !only.test(`${caseLabel(spec)} L${spec.time}`)) continue;
    const before = tf.memory().numTensors;
    const c = makeCase(spec, plan.batch, plan.withBuiltin(backend, spec));
    const reps = plan.repetitions(backend, spec);
    const result: CaseResult = {
      spec,
      columns: c.columns.map(({ column, label }) => ({ column, label })),
      agreement: c.agreement,
      plan: reps,
      modes: [],
    };
    for (const mode of MODES) {
      const times = await timeJobs(caseJobs(c, mode, reps), reps);
      const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Partial<
        Record<Column, number>
      >;
      const flops = isEngineRow(spec)
        ? layerFlops(spec.family as 'GRU' | 'LSTM', spec.units, plan.batch, spec.time, spec.features, mode)
        : null;
      const m: ModeResult = {
        mode,
        times: times as Partial<Record<Column, number[]>>,
        medians,
        engineGflops: flops != null && medians.engine != null ? flops / medians.engine / 1e6 : null,
        checks: [],
      };
      result.modes.push(m);
      pending.push({ result, mode: m });
      log(
        `${backend} ${caseLabel(spec)} L${spec.time} ${mode}: ` +
          Object.entries(medians)
            .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
            .join(', ') +
          (m.engineGflops != null ? `, engine ${m.engineGflops.toFixed(1)} GFLOP/s` : ''),
      );
    }
    cases.push(result);
    c.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) log(`warning: ${leaked} tensors left behind by ${caseLabel(spec)} on ${backend}`);
  }
  const peakEnd = await measureMatMulPeak(backend);
  const matMul = mergePeaks(peakStart, peakEnd);
  log(`${backend} tf.matMul ${matMul.n}³ (start and end): ${matMul.gflops.toFixed(1)} GFLOP/s`);
  // Targets need the matMul figure of the whole backend run, so they are checked last.
  for (const { result, mode } of pending) {
    const md = mode.medians;
    mode.checks = checksFor(result.spec, mode.mode, backend, {
      opsOverEngine: md.engine != null && md.ops != null ? md.ops / md.engine : undefined,
      builtinOverEngine: md.engine != null && md.builtin != null ? md.builtin / md.engine : undefined,
      fractionOfMatMul: mode.engineGflops != null ? mode.engineGflops / matMul.gflops : undefined,
      gruOverOurs: md.ours != null && md.gru != null ? md.gru / md.ours : undefined,
    });
    for (const check of mode.checks) {
      if (!check.met)
        log(`MISSED ${backend} ${caseLabel(result.spec)} L${result.spec.time} ${mode.mode}: ${check.text}`);
    }
  }
  return { backend, details, matMul, cases, engineMemoryMiB: engineMemoryMiB() };
}

async function runProfiles(backend: BenchBackend, plan: BenchPlan): Promise<BenchReport['profiles']> {
  await useBackend(backend);
  const items: OpProfile[] = [];
  const splits: EngineSplit[] = [];
  for (const units of plan.profileUnits) {
    const spec = { family: 'GRU' as const, units, time: plan.cases[0].time, features: plan.cases[0].features };
    const c = makeCase(spec, plan.batch, units === Math.max(...plan.profileUnits));
    const jobs = caseJobs(c, 'forward+backward', { warmup: 1, warmupSteps: null, reps: 1 });
    const labels = Object.fromEntries(c.columns.map((col) => [col.column, col.label]));
    for (const column of Object.keys(jobs)) {
      await jobs[column].warmup();
      const label = `${labels[column]} (${units} units)`;
      if (column === 'engine') {
        const split = await profileEngineSplit(label, jobs[column].run, 5);
        log(
          `profile ${label}: ${split.wallMs.toFixed(1)} ms wall, ${split.kernelMs.toFixed(1)} ms in tfjs kernels, ${split.engineMs.toFixed(1)} ms in the engine`,
        );
        splits.push(split);
      }
      if (column === 'engine' && units !== Math.max(...plan.profileUnits)) continue;
      const profile = await profileJob(label, jobs[column].run);
      log(
        `profile ${label}: ${profile.wallMs.toFixed(0)} ms wall, ${profile.kernelMs.toFixed(0)} ms in ${profile.kernelCalls} kernels`,
      );
      items.push(profile);
    }
    c.dispose();
  }
  return { backend, time: plan.cases[0].time, items, splits };
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
  const engine = await requireEngine();
  log(`engine: ${engine}`);

  const backends: BackendResult[] = [];
  for (const backend of args.backends) backends.push(await runBackend(backend, plan, args.only));

  let profiles: BenchReport['profiles'] = null;
  if (!args.noProfile) {
    const backend: BenchBackend = args.backends.includes('wasm') ? 'wasm' : args.backends[0];
    profiles = await runProfiles(backend, plan);
  }

  let wholeJobs: BenchReport['wholeJobs'];
  let warmupSection: string | undefined;
  if (args.backends.includes('wasm') && (!args.only || args.only.test('whole jobs'))) {
    await useBackend('wasm');
    log('whole jobs, engine vs ops (wasm)');
    const jobs = await runWholeJobs(args.quick, log);
    wholeJobs = { body: renderWholeJobs(jobs, args.quick), checks: wholeJobChecks(jobs) };
    log('warmup benchmark (wasm)');
    warmupSection = renderWarmupSection(await runWarmupBench(args.quick, log), args.quick);
  }

  const report: BenchReport = {
    date,
    command,
    revision,
    quick: args.quick,
    machine,
    engine,
    loadAverageEnd: loadAverage(),
    totalSeconds: (performance.now() - t0) / 1000,
    batch: plan.batch,
    backends,
    profiles,
    wholeJobs,
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
