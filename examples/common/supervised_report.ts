/** The report of a supervised example run (denoising, MNIST): tables, learning curves, configuration. */
import type { MachineInfo } from '../demo/machine';
import type { ChartSeries, LineChartOptions } from '../demo/svg_chart';
import { VARIANT_COLORS, seedDash, type ExampleReport } from './html_report';
import {
  resultHeaders,
  resultRows,
  summaryHeaders,
  summaryRows,
  type SupervisedResult,
  type SupervisedTask,
} from './supervised';
import type { SupervisedOptions } from './supervised_args';

const VARIANT_NAMES: Record<string, string> = {
  none: 'no warmup',
  warmup: 'warmup',
  double: 'double + partial warmup',
};
const CELL_NAMES: Record<string, string> = { gru: 'GRU', lstm: 'LSTM', nbrc: 'nBRC', brc: 'BRC' };

export interface SupervisedReportInput {
  task: SupervisedTask;
  options: SupervisedOptions;
  title: string;
  explanation: string;
  /** Task-specific configuration rows (sequence length, permutation, …). */
  taskConfiguration: Record<string, string>;
  command: string;
  startedAt: string;
  wallMs: number;
  plannedRuns: number;
  machine: MachineInfo;
  results: readonly SupervisedResult[];
}

/** One chart per cell: the validation metric per epoch, one line per variant × seed. */
function learningCurves(input: SupervisedReportInput): LineChartOptions[] {
  const { task, options, results } = input;
  const cells = [...new Set(results.map((r) => r.cell))];
  return cells.map((cell) => {
    const series: ChartSeries[] = results
      .filter((r) => r.cell === cell)
      .map((r) => ({
        label: `${VARIANT_NAMES[r.variant] ?? r.variant}, seed ${r.seed}`,
        color: VARIANT_COLORS[r.variant] ?? '#555',
        dash: seedDash(options.seeds, r.seed),
        values: r.valMetric,
      }));
    return {
      title: `${CELL_NAMES[cell] ?? cell}: validation ${task.metricName}, ${input.title}`,
      xLabel: 'epoch (0 = before training)',
      yLabel: `validation ${task.metricName}${task.metricScale === 'log' ? ' (log scale)' : ''}`,
      yScale: task.metricScale,
      series,
      reference: { y: input.task.chanceLevel.value, label: input.task.chanceLevel.label },
    };
  });
}

export function supervisedReport(input: SupervisedReportInput): ExampleReport<SupervisedResult> {
  const { task, options: o, results } = input;
  const n = Math.min(32, o.trainSamples);
  return {
    title: input.title,
    intro: [
      input.explanation,
      `Each run trains a two-layer recurrent network (${o.units} units per layer, then a dense output) with Adam ` +
        `(learning rate ${o.learningRate}, batch ${o.batchSize}) for ${o.epochs} epochs of ${o.trainSamples} sequences. ` +
        `Variants: no warmup; warmup (${o.warmupSteps} label-free steps with the library defaults, before training); ` +
        `double + partial warmup (each recurrent layer is two halves of ${o.units / 2} units, only the first half warmed up). ` +
        'The no-warmup and warmup variants of a cell and seed start from the same initial weights; all variants see the same data in the same order.',
    ],
    command: input.command,
    startedAt: input.startedAt,
    wallMs: input.wallMs,
    plannedRuns: input.plannedRuns,
    completedRuns: results.length,
    summary: { headers: summaryHeaders(task), rows: summaryRows(task, results) },
    charts: learningCurves(input),
    runs: { headers: resultHeaders(task), rows: resultRows(task, results) },
    notes: [
      `VAA (variability amongst attractors) of the whole recurrent stack, from n = ${n} training sequences after ` +
        `${o.vaaSteps} steps of one constant random input: 1/n = ${(1 / n).toFixed(3)} means one equilibrium ` +
        '(monostable), 1 means every trajectory ended in its own attractor.',
      '“warmup” and “training” are wall times of the warmup phase and of all training epochs (with their validations); ' +
        'the VAA measurements are in neither.',
    ],
    configuration: {
      ...input.taskConfiguration,
      cells: o.cells.join(', '),
      variants: o.variants.join(', '),
      seeds: o.seeds.join(', '),
      'units per recurrent layer': String(o.units),
      'warmup steps': String(o.warmupSteps),
      epochs: String(o.epochs),
      'train / validation / test sequences': `${o.trainSamples} / ${o.validSamples} / ${o.testSamples}`,
      'batch size': String(o.batchSize),
      'learning rate (Adam)': String(o.learningRate),
      'VAA stabilisation steps T': String(o.vaaSteps),
      'quick configuration': o.quick ? 'yes (numbers mean nothing)' : 'no',
    },
    machine: input.machine,
    results,
  };
}
