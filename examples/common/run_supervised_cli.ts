/** The shared main loop of the supervised examples: runs every seed × cell × variant and prints the table. */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../demo/backend';
import { formatDuration } from '../demo/format';
import { textTable } from '../demo/table';
import { ExampleArgsError } from './cli';
import { resultHeaders, resultRows, runSupervised, type SupervisedData, type SupervisedResult, type SupervisedTask } from './supervised';
import type { SupervisedOptions } from './supervised_args';

export async function runSupervisedCli<O extends SupervisedOptions>(
  parse: () => { help: true } | { help: false; options: O },
  usage: string,
  task: SupervisedTask,
  describe: (options: O) => string,
  loadData: (options: O, seed: number) => SupervisedData | Promise<SupervisedData>,
): Promise<void> {
  try {
    const parsed = parse();
    if (parsed.help) {
      console.log(usage);
      return;
    }
    const o = parsed.options;
    await useBackend(o.backend);
    const started = performance.now();
    console.log(`${describe(o)}; cells ${o.cells.join(', ')}, variants ${o.variants.join(', ')}, seeds ${o.seeds.join(', ')}, ` +
      `${o.units} units × 2 layers, ${o.epochs} epochs of ${o.trainSamples} sequences, backend ${tf.getBackend()}` +
      `${o.quick ? ' (--quick: numbers mean nothing)' : ''}.`);
    const results: SupervisedResult[] = [];
    for (const seed of o.seeds) {
      const data = await loadData(o, seed);
      try {
        for (const cell of o.cells) {
          for (const variant of o.variants) {
            const label = `${cell} · ${variant} · seed ${seed}`;
            const result = await runSupervised(task, data, {
              cell, variant, seed, units: o.units, warmupSteps: o.warmupSteps, epochs: o.epochs,
              batchSize: o.batchSize, learningRate: o.learningRate, vaaSteps: o.vaaSteps,
            }, (p) => {
              console.log(p.phase === 'train'
                ? `${label}: epoch ${p.epoch}, val ${task.metricName} ${task.formatMetric(p.metric ?? NaN)}`
                : `${label}: ${p.phase}…`);
            });
            results.push(result);
            console.log(`${label} done: test ${task.metricName} ${task.formatMetric(result.testMetric)}.`);
          }
        }
      } finally {
        tf.dispose(data as unknown as tf.TensorContainer);
      }
    }
    console.log(`\nAll runs (VAA over n = min(32, train samples) sequences, T = ${o.vaaSteps}):\n`);
    console.log(textTable(resultHeaders(task), resultRows(task, results)));
    console.log(`\nWall time ${formatDuration(performance.now() - started)}.`);
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
