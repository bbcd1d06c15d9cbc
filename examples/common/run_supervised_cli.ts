/**
 * The shared main loop of the supervised examples: runs every seed × cell × variant, prints
 * progress and the tables, and rewrites the HTML report + results.json after every run (so an
 * interrupted run still leaves a partial report).
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../demo/backend';
import { formatDuration } from '../demo/format';
import { textTable } from '../demo/table';
import { ExampleArgsError } from './cli';
import { writeExampleReport } from './html_report';
import { startRun } from './report_run';
import { runSupervised, type SupervisedData, type SupervisedResult, type SupervisedTask } from './supervised';
import type { SupervisedOptions } from './supervised_args';
import { supervisedReport } from './supervised_report';

export interface SupervisedCliSpec<O extends SupervisedOptions> {
  parse: () => { help: true } | { help: false; options: O };
  usage: string;
  task: SupervisedTask;
  /** A short title of the configuration, e.g. `Denoising, L = 100`. */
  describe: (options: O) => string;
  /** What the task is, in a sentence or two (for the report). */
  explain: (options: O) => string;
  /** Task-specific configuration rows of the report. */
  configuration: (options: O) => Record<string, string>;
  /** The npm script, for the report's command line. */
  script: string;
  loadData: (options: O, seed: number) => SupervisedData | Promise<SupervisedData>;
}

export async function runSupervisedCli<O extends SupervisedOptions>(spec: SupervisedCliSpec<O>): Promise<void> {
  const { task } = spec;
  try {
    const parsed = spec.parse();
    if (parsed.help) {
      console.log(spec.usage);
      return;
    }
    const o = parsed.options;
    await useBackend(o.backend);
    const { started, startedAt, machine, command, plannedRuns } = await startRun(spec.script, o);
    console.log(
      `${spec.describe(o)}; cells ${o.cells.join(', ')}, variants ${o.variants.join(', ')}, seeds ${o.seeds.join(', ')}, ` +
        `${o.units} units × 2 layers, ${o.epochs} epochs of ${o.trainSamples} sequences, backend ${tf.getBackend()}` +
        `${o.quick ? ' (--quick: numbers mean nothing)' : ''}.`,
    );
    const results: SupervisedResult[] = [];
    const report = () =>
      supervisedReport({
        task,
        options: o,
        title: spec.describe(o),
        explanation: spec.explain(o),
        taskConfiguration: spec.configuration(o),
        command,
        startedAt,
        wallMs: performance.now() - started,
        plannedRuns,
        machine,
        results,
      });
    let files = { html: '', json: '' };
    for (const seed of o.seeds) {
      const data = await spec.loadData(o, seed);
      try {
        for (const cell of o.cells) {
          for (const variant of o.variants) {
            const label = `[${results.length + 1}/${plannedRuns}] ${cell} · ${variant} · seed ${seed}`;
            const runStarted = performance.now();
            const result = await runSupervised(
              task,
              data,
              {
                cell,
                variant,
                seed,
                units: o.units,
                warmupSteps: o.warmupSteps,
                epochs: o.epochs,
                batchSize: o.batchSize,
                learningRate: o.learningRate,
                vaaSteps: o.vaaSteps,
              },
              (p) => {
                const at = formatDuration(performance.now() - runStarted);
                console.log(
                  p.phase === 'train'
                    ? `${label}: epoch ${p.epoch}/${o.epochs}, val ${task.metricName} ${task.formatMetric(p.metric ?? NaN)} (${at})`
                    : `${label}: ${p.phase}… (${at})`,
                );
              },
            );
            results.push(result);
            console.log(`${label} done: test ${task.metricName} ${task.formatMetric(result.testMetric)}.`);
            files = await writeExampleReport(o.out, report());
          }
        }
      } finally {
        tf.dispose(data as unknown as tf.TensorContainer);
      }
    }
    const final = report();
    files = await writeExampleReport(o.out, final);
    console.log(`\nAll runs (VAA over n = min(32, train samples) sequences, T = ${o.vaaSteps}):\n`);
    console.log(textTable(final.runs.headers, final.runs.rows));
    console.log('\nSummary over seeds:\n');
    console.log(textTable(final.summary.headers, final.summary.rows));
    console.log(
      `\nWall time ${formatDuration(final.wallMs)} (load average at start ${machine.loadAverage.join(', ')}).`,
    );
    console.log(`Report: ${files.html} (data: ${files.json}).`);
  } catch (error) {
    if (error instanceof ExampleArgsError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  }
}
