/**
 * `npm run demo`: copy-first-input at a length where plain recurrent networks stay stuck,
 * comparing plain, warmed-up and double-layer (partial warmup) GRU, LSTM and nBRC over a few
 * seeds. Shows progress while it runs, prints a results table, and writes a self-contained
 * HTML report (learning curves, table, configuration, machine) and results.json.
 *
 *   npm run demo                         # the default: about 10 minutes on 2 CPU cores (wasm)
 *   npm run demo -- --quick              # a few seconds, for smoke testing
 *   npm run demo -- --cells gru --length 200 --seeds 0-4 --epochs 20 --backend cpu
 *   npm run demo -- --help
 */
import { ExampleArgsError, parseDemoArgs, USAGE } from './demo/args';
import { useBackend } from './demo/backend';
import { LEARNING_RATE, VAA_SAMPLES, runSpecs, type RunResult } from './demo/experiment';
import { formatDuration, formatMse } from './demo/format';
import { machineInfo } from './demo/machine';
import { runAll } from './demo/pool';
import { ProgressPrinter } from './demo/progress';
import { writeReport, type DemoReport } from './demo/report_data';
import { RESULT_HEADERS, SUMMARY_HEADERS, resultRows, summaryRows, textTable } from './demo/table';

async function main(): Promise<void> {
  const parsed = parseDemoArgs(process.argv.slice(2));
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const options = parsed.options;
  await useBackend(options.backend);
  const specs = runSpecs(options);
  const started = performance.now();
  const report: DemoReport = {
    options,
    settings: {
      'optimiser (training)': `Adam, learning rate ${LEARNING_RATE}, MSE loss`,
      warmup: 'library defaults (Adam 1e-2, batch 32, VAA* target 0.95, T_max = min(1 + 10k, 200))',
      'VAA samples n': VAA_SAMPLES,
      data: 'copyFirstInput; train, validation and test sets from different seeds, shared by all cells and variants of a seed',
    },
    machine: await machineInfo(),
    startedAt: new Date().toISOString(),
    wallMs: 0,
    plannedRuns: specs.length,
    results: [],
  };
  const progress = new ProgressPrinter();
  progress.line(
    `Copy first input, L = ${options.length}, ${options.units} units, cells ${options.cells.join(', ')}, ` +
      `variants ${options.variants.join(', ')}, seeds ${options.seeds.join(', ')}: ${specs.length} runs on ` +
      `${report.machine.backend}, ${Math.min(options.jobs, specs.length)} at a time` +
      `${options.quick ? ' (--quick: numbers mean nothing)' : ''}.`,
  );
  const label = (index: number): string => {
    const spec = specs[index];
    return `[${index + 1}/${specs.length}] ${spec.cell} · ${spec.variant} · seed ${spec.seed}`;
  };
  const done: Array<{ index: number; result: RunResult }> = [];
  const results = await runAll(specs, options.jobs, options.backend, {
    onProgress: (index, p) => progress.update(label(index), p),
    onResult: async (index, result) => {
      progress.line(`${label(index)} done: ${describeResult(result)}`, label(index));
      // Rewrite the report after every run (in spec order), so an interrupted demo still leaves one.
      done.push({ index, result });
      report.results = done.sort((a, b) => a.index - b.index).map((d) => d.result);
      report.wallMs = performance.now() - started;
      await writeReport(options.out, report);
    },
  });
  report.results = results;
  report.wallMs = performance.now() - started;
  const files = await writeReport(options.out, report);
  console.log(
    `\nAll runs (VAA over n = ${results[0]?.vaaSamples ?? VAA_SAMPLES} sequences, T = ${options.vaaSteps}):\n`,
  );
  console.log(textTable(RESULT_HEADERS, resultRows(results)));
  console.log('\nSummary over seeds:\n');
  console.log(textTable(SUMMARY_HEADERS, summaryRows(results)));
  const runCpuMs = results.reduce((sum, r) => sum + r.cpuMs, 0);
  console.log(
    `\nWall time ${formatDuration(report.wallMs)} (CPU time of the runs ${formatDuration(runCpuMs)}, ` +
      `${options.jobs > 1 ? `${Math.min(options.jobs, specs.length)} processes; ` : ''}load average at start ${report.machine.loadAverage.join(', ')}).`,
  );
  console.log(`Report: ${files.html} (data: ${files.json}).`);
}

function describeResult(r: RunResult): string {
  return (
    `VAA ${r.vaaInit.toFixed(3)}` +
    (r.vaaAfterWarmup == null ? '' : ` → ${r.vaaAfterWarmup.toFixed(3)} after warmup (${formatDuration(r.warmupMs)})`) +
    `, val MSE ${formatMse(r.valMse[0])} → ${formatMse(r.valMse[r.valMse.length - 1])}, ` +
    `test MSE ${formatMse(r.testMse)} (training ${formatDuration(r.trainMs)})`
  );
}

main().catch((e: unknown) => {
  if (e instanceof ExampleArgsError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
