/** Tables and the HTML report of the T-Maze example: episodes to an optimal policy, loss curves. */
import { formatDuration, formatMse, formatVaa } from '../demo/format';
import type { MachineInfo } from '../demo/machine';
import type { ChartSeries, LineChartOptions } from '../demo/svg_chart';
import { VARIANT_COLORS, seedDash, type ExampleReport } from '../common/html_report';
import { groupBy } from '../common/summary';
import type { TMazeOptions } from './args';
import type { DrqnResult } from './drqn';

const CELL_NAMES: Record<string, string> = { gru: 'GRU', lstm: 'LSTM', nbrc: 'nBRC', brc: 'BRC' };

export const RESULT_HEADERS = [
  'cell',
  'variant',
  'seed',
  'VAA init',
  'VAA warmed',
  'episodes to optimal',
  'loss (first → last interval)',
  'warmup',
  'training',
];

export function resultRows(results: readonly DrqnResult[], maxEpisodes: number): string[][] {
  return results.map((r) => [
    r.cell,
    r.warmup ? 'warmup' : 'none',
    String(r.seed),
    formatVaa(r.vaaInit),
    formatVaa(r.vaaAfterWarmup),
    r.episodesToOptimal === null ? `> ${maxEpisodes}` : String(r.episodesToOptimal),
    r.losses.length === 0 ? '–' : `${formatMse(r.losses[0])} → ${formatMse(r.losses[r.losses.length - 1])}`,
    r.warmup ? formatDuration(r.warmupMs) : '–',
    formatDuration(r.trainMs),
  ]);
}

export const SUMMARY_HEADERS = ['cell', 'variant', 'optimal', 'episodes to optimal per seed', 'median'];

/** Per cell × variant: the episodes to optimal per seed, and how many seeds became optimal. */
export function summaryRows(results: readonly DrqnResult[], maxEpisodes: number): string[][] {
  return groupBy(results, (r) => `${r.cell}/${r.warmup}`).map((runs) => {
    // Unsolved runs count as more than any solved one, so the median is defined while at least half are solved.
    const counts = runs.map((r) => r.episodesToOptimal ?? Infinity).sort((a, b) => a - b);
    const middle = (counts.length - 1) / 2;
    const median = (counts[Math.floor(middle)] + counts[Math.ceil(middle)]) / 2;
    return [
      runs[0].cell,
      runs[0].warmup ? 'warmup' : 'none',
      `${counts.filter(Number.isFinite).length}/${runs.length}`,
      runs.map((r) => (r.episodesToOptimal === null ? `>${maxEpisodes}` : String(r.episodesToOptimal))).join(', '),
      Number.isFinite(median) ? String(median) : `>${maxEpisodes}`,
    ];
  });
}

export interface TMazeReportInput {
  options: TMazeOptions;
  command: string;
  startedAt: string;
  wallMs: number;
  plannedRuns: number;
  machine: MachineInfo;
  results: readonly DrqnResult[];
}

/** One chart per cell: mean TD loss per evaluation interval, one line per variant × seed. */
function lossCurves(input: TMazeReportInput): LineChartOptions[] {
  const { options: o, results } = input;
  return [...new Set(results.map((r) => r.cell))].map((cell) => {
    const series: ChartSeries[] = results
      .filter((r) => r.cell === cell)
      .map((r) => ({
        label: `${r.warmup ? 'warmup' : 'no warmup'}, seed ${r.seed}${r.episodesToOptimal === null ? ' (not optimal)' : ` (optimal at ${r.episodesToOptimal})`}`,
        color: VARIANT_COLORS[r.warmup ? 'warmup' : 'none'],
        dash: seedDash(o.seeds, r.seed),
        // Index 0 is the first interval: shift by one so that x = training episodes.
        values: [NaN, ...r.losses],
      }));
    return {
      title: `${CELL_NAMES[cell] ?? cell}: DRQN loss, T-Maze L = ${o.length}`,
      xLabel: 'training episodes (a line ends when the greedy policy is optimal)',
      yLabel: 'mean TD loss per interval (log scale)',
      xStep: o.evalEvery,
      series,
    };
  });
}

export function tmazeReport(input: TMazeReportInput): ExampleReport<DrqnResult> {
  const { options: o, results } = input;
  const n = Math.min(32, o.explorationEpisodes);
  return {
    title: `T-Maze, L = ${o.length}, DRQN`,
    intro: [
      `T-Maze (docs/method.md#t-maze): a corridor of length ${o.length}; the cue (goal up or down) is visible only in the first cell; ` +
        'the agent earns +4 for the correct turn at the junction and −0.1 for a wrong turn or a bump. The policy is optimal ' +
        `when greedy episodes with the cue forced up and forced down both earn +4 in exactly ${o.length + 1} steps.`,
      `A DRQN agent (recurrent layer of ${o.units} units → dense Q-values, target network, replay buffer of full histories, ` +
        `ε-greedy) first runs ${o.explorationEpisodes} exploration episodes; variant “warmup” then warms its Q-network up on ` +
        `those histories (${o.warmupSteps} steps). Both variants of a seed share initial weights and exploration histories. ` +
        'The table counts training episodes until the greedy policy is optimal.',
    ],
    command: input.command,
    startedAt: input.startedAt,
    wallMs: input.wallMs,
    plannedRuns: input.plannedRuns,
    completedRuns: results.length,
    summary: { headers: SUMMARY_HEADERS, rows: summaryRows(results, o.maxEpisodes) },
    charts: lossCurves(input),
    runs: { headers: RESULT_HEADERS, rows: resultRows(results, o.maxEpisodes) },
    notes: [
      `VAA of the recurrent layer from n = ${n} exploration histories after ${o.vaaSteps} steps of one constant random input ` +
        `(1/n = ${(1 / n).toFixed(3)}: monostable).`,
      '“warmup” and “training” are wall times; training includes the greedy-policy tests.',
    ],
    configuration: {
      'corridor length L': String(o.length),
      cells: o.cells.join(', '),
      variants: o.variants.join(', '),
      seeds: o.seeds.join(', '),
      units: String(o.units),
      'exploration episodes': String(o.explorationEpisodes),
      'warmup steps': String(o.warmupSteps),
      'max training episodes': String(o.maxEpisodes),
      'gradient steps per episode × histories': `${o.trainStepsPerEpisode} × ${o.batchSize}`,
      'learning rate (Adam)': String(o.learningRate),
      'replay buffer (episodes)': String(o.bufferSize),
      'target update (episodes)': String(o.targetUpdate),
      ε: `${o.epsilonStart} → ${o.epsilonEnd} over ${o.epsilonDecay} episodes`,
      'greedy test every': `${o.evalEvery} episodes`,
      'VAA stabilisation steps T': String(o.vaaSteps),
      'quick configuration': o.quick ? 'yes (numbers mean nothing)' : 'no',
    },
    machine: input.machine,
    results,
  };
}
