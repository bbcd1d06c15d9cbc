/**
 * The demo's self-contained HTML report: results tables, validation-MSE learning curves per
 * cell (inline SVG, no external resources or scripts), configuration and machine.
 */
import type { CellKind, Variant } from './args';
import type { RunResult } from './experiment';
import type { Landscape } from './landscape';
import { formatDuration } from './format';
import type { DemoReport } from './report_data';
import {
  REPORT_CSS,
  VARIANT_COLORS,
  definitionTable,
  htmlTable,
  machineEntries,
  seedDash,
} from '../common/html_report';
import { escapeXml, lineChartSvg, type ChartSeries, type LineChartOptions } from './svg_chart';
import { RESULT_HEADERS, SUMMARY_HEADERS, resultRows, summaryRows } from './table';

const VARIANT_NAMES: Record<Variant, string> = {
  none: 'no warmup',
  warmup: 'warmup',
  double: 'double + partial warmup',
};
const CELL_NAMES: Record<CellKind, string> = { gru: 'GRU', lstm: 'LSTM', nbrc: 'nBRC', brc: 'BRC' };

/** One chart per cell: validation MSE per epoch, one line per variant × seed. */
export function demoCharts(report: Pick<DemoReport, 'options' | 'results'>): LineChartOptions[] {
  const { results } = report;
  const { seeds, length } = report.options;
  return [...new Set(results.map((r) => r.cell))].map((cell) => ({
    title: `${CELL_NAMES[cell]}: validation MSE, copy first input, L = ${length}`,
    xLabel: 'epoch (0 = before training)',
    yLabel: 'validation MSE (log scale)',
    series: results
      .filter((r) => r.cell === cell)
      .map((r): ChartSeries => ({
        label: `${VARIANT_NAMES[r.variant]}, seed ${r.seed}`,
        color: VARIANT_COLORS[r.variant],
        dash: seedDash(seeds, r.seed),
        values: r.valMse,
      })),
    reference: { y: 1, label: 'MSE 1 = predicting 0 (learned nothing)' },
  }));
}

const LANDSCAPE_HEADERS = [
  'cell',
  'variant',
  'seed',
  'points before (stable / unstable / slow)',
  'after',
  'attractors reached before → after',
  'unresolved before → after',
];

function kinds(l: Landscape): string {
  return `${l.stable} / ${l.unstable} / ${l.slow}`;
}

/** One row per run: what the fixed-point analysis found before and after warmup. */
export function landscapeRows(results: readonly RunResult[]): string[][] {
  return results.map((r) => {
    const a = r.landscapeAfterWarmup;
    const pct = (v: number) => `${Math.round(100 * v)}%`;
    return [
      r.cell,
      r.variant,
      String(r.seed),
      kinds(r.landscapeInit),
      a == null ? '–' : kinds(a),
      a == null ? String(r.landscapeInit.attractors) : `${r.landscapeInit.attractors} → ${a.attractors}`,
      a == null ? pct(r.landscapeInit.unresolved) : `${pct(r.landscapeInit.unresolved)} → ${pct(a.unresolved)}`,
    ];
  });
}

/** Pictures of the first seed's warmed runs: each recurrent layer before and after warmup. */
function landscapeFigures(results: readonly RunResult[]): string {
  const seed = results[0]?.seed;
  return results
    .filter((r) => r.seed === seed && r.landscapeAfterWarmup != null)
    .map((r) => {
      const after = r.landscapeAfterWarmup as Landscape;
      const pictures = r.landscapeInit.pictures.flatMap((before, i) => [before.svg, after.pictures[i]?.svg ?? '']);
      return `<h3>${escapeXml(CELL_NAMES[r.cell])}, ${escapeXml(VARIANT_NAMES[r.variant])}, seed ${r.seed}</h3>
<figure style="display: flex; flex-wrap: wrap; gap: 4px;">${pictures.join('')}</figure>`;
    })
    .join('\n');
}

/** Renders the whole report as one HTML document (UTF-8, inline CSS and SVG only). */
export function renderReportHtml(report: DemoReport): string {
  const o = report.options;
  const complete = report.results.length === report.plannedRuns;
  const n = report.results[0]?.vaaSamples ?? Number(report.settings['VAA samples n'] ?? 32);
  const config: Array<[string, string]> = [
    ['cells', o.cells.join(', ')],
    ['variants', o.variants.map((v) => `${v} (${VARIANT_NAMES[v]})`).join(', ')],
    ['sequence length L', String(o.length)],
    ['units per recurrent layer', String(o.units)],
    ['seeds', o.seeds.join(', ')],
    ['warmup steps', String(o.warmupSteps)],
    ['epochs', String(o.epochs)],
    ['train / validation / test sequences', `${o.trainSamples} / ${o.validSamples} / ${o.testSamples}`],
    ['batch size', String(o.batchSize)],
    ['VAA stabilisation steps T', String(o.vaaSteps)],
    ...Object.entries(report.settings).map(([k, v]): [string, string] => [k, String(v)]),
    ['quick configuration', o.quick ? 'yes (numbers mean nothing)' : 'no'],
  ];
  const machine: Array<[string, string]> = [
    ...machineEntries(report.machine, report.startedAt, report.wallMs),
    ['CPU time of the runs', formatDuration(report.results.reduce((s, r) => s + r.cpuMs, 0))],
    ['parallel runs (processes)', String(Math.min(o.jobs, report.plannedRuns))],
  ];
  const status = complete
    ? `${report.results.length} runs, ${formatDuration(report.wallMs)} in all.`
    : `Partial report: ${report.results.length} of ${report.plannedRuns} runs done (${formatDuration(report.wallMs)} so far).`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tfjs-warmup-rnn demo: copy first input, L = ${o.length}</title>
<style>
${REPORT_CSS}
</style>
</head>
<body>
<h1>Warmup demo: copy first input, L = ${o.length}</h1>
<p>Each run trains a two-layer recurrent network (${o.units} units per layer, then a dense output) to output,
at the last of ${o.length} steps, the first input <i>x</i><sub>1</sub> of a sequence of standard normal values.
A network that learned nothing predicts 0 and has MSE ≈ 1. Variants: <b>no warmup</b>; <b>warmup</b> (${o.warmupSteps}
label-free steps that maximise reachable multistability before training); <b>double + partial warmup</b> (each recurrent
layer is two halves of ${o.units / 2} units, only the first half warmed up).</p>
<p class="status">${escapeXml(status)}</p>

<h2>Summary over seeds</h2>
${htmlTable(SUMMARY_HEADERS, summaryRows(report.results))}

<h2>Learning curves</h2>
${demoCharts(report)
  .map((chart) => `<figure>${lineChartSvg(chart)}</figure>`)
  .join('\n')}

<h2>Attractor landscapes</h2>
<p>Fixed points of each recurrent stack under the constant input of its VAA measurement (<code>countAttractors</code>:
the speed q = ½‖F(h) − h‖² minimised from the same n = ${n} starting states, then the Jacobian's eigenvalues
classify each point). Pictures: the states of each layer on their two principal components; grey lines are the
trajectories from the starting states (grey dots) over ${o.vaaSteps} steps; <b style="color:#1f5fa8">discs</b>
are stable fixed points (attractors), <b style="color:#c62828">rings</b> unstable ones (saddles), <b style="color:#e08a00">triangles</b>
slow points. “Attractors reached” counts the stable points the trajectories end on at step ${o.vaaSteps};
“unresolved” trajectories ended on none of them (still moving, or on an attractor that is not a fixed point).
docs/attractors.md explains how to read them.</p>
${htmlTable(LANDSCAPE_HEADERS, landscapeRows(report.results))}
${landscapeFigures(report.results)}

<h2>All runs</h2>
${htmlTable(RESULT_HEADERS, resultRows(report.results))}
<p class="note">VAA (variability amongst attractors) of the whole recurrent stack, from n = ${n} training sequences
after ${o.vaaSteps} steps of one constant random input: 1/n = ${(1 / n).toFixed(3)} means a single equilibrium
(monostable), 1 means every trajectory ended in its own attractor. The paper logs VAA with T = 10 000; this demo uses
T = ${o.vaaSteps} to save time. “warmup” and “training” are wall times of the warmup phase and of all training epochs
(with their validations); the VAA measurements are not included in either.</p>

<h2>Configuration</h2>
${definitionTable(config)}

<h2>Machine</h2>
${definitionTable(machine)}
<p class="note">Generated by <code>npm run demo</code> (tfjs-warmup-rnn). Self-contained: no scripts, no external resources.</p>
</body>
</html>
`;
}
