import { describe, expect, it } from 'vitest';
import { QUICK_OPTIONS } from '../../examples/demo/args';
import {
  runExperiment,
  runSpecs,
  type RunProgress,
  type RunResult,
  type RunSpec,
} from '../../examples/demo/experiment';
import { machineInfo } from '../../examples/demo/machine';
import { buildModel } from '../../examples/demo/model';
import { dispatchOrder } from '../../examples/demo/pool';
import type { DemoReport } from '../../examples/demo/report_data';
import { renderReportHtml } from '../../examples/demo/report_html';
import { chartsOf } from '../../examples/export_charts';
import { escapeXml, lineChartSvg } from '../../examples/demo/svg_chart';
import { RESULT_HEADERS, resultRows, textTable } from '../../examples/demo/table';
import { expectNoLeaks } from '../helpers';

const TINY: Omit<RunSpec, 'variant'> = {
  cell: 'gru',
  seed: 0,
  length: 6,
  units: 4,
  warmupSteps: 2,
  epochs: 1,
  trainSamples: 16,
  validSamples: 8,
  testSamples: 8,
  batchSize: 8,
  vaaSteps: 10,
};

function expectFiniteResult(r: RunResult, spec: RunSpec): void {
  expect(r.cell).toBe(spec.cell);
  expect(r.variant).toBe(spec.variant);
  expect(r.seed).toBe(spec.seed);
  expect(r.parameters).toBeGreaterThan(0);
  expect(r.vaaSamples).toBe(16);
  expect(r.vaaInit).toBeGreaterThanOrEqual(1 / 16 - 1e-9);
  expect(r.vaaInit).toBeLessThanOrEqual(1);
  expect(r.valMse).toHaveLength(spec.epochs + 1);
  for (const v of [...r.valMse, r.testMse, r.trainMs, r.totalMs, r.cpuMs]) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
  }
  expect(r.totalMs).toBeGreaterThanOrEqual(r.trainMs + r.warmupMs);
}

describe('demo experiment (smoke)', () => {
  it('runs the double variant end to end with warmup, without leaking tensors', async () => {
    const spec: RunSpec = { ...TINY, variant: 'double' };
    const phases = new Set<string>();
    const result = await expectNoLeaks(() => runExperiment(spec, (p: RunProgress) => phases.add(p.phase)));
    expectFiniteResult(result, spec);
    expect(result.vaaAfterWarmup).not.toBeNull();
    expect(result.vaaStarAfterWarmup).toHaveLength(2);
    expect(result.warmupVaaStar).toHaveLength(2);
    expect(result.warmupMs).toBeGreaterThan(0);
    expect([...phases].sort()).toEqual(['test', 'train', 'vaa-after', 'vaa-init', 'warmup']);

    // The report renders a self-contained page with an inline chart and the results table.
    const report: DemoReport = {
      options: { ...QUICK_OPTIONS, cells: ['gru'], variants: ['double'], seeds: [0] },
      settings: { 'VAA samples n': 16 },
      machine: await machineInfo(),
      startedAt: new Date(0).toISOString(),
      wallMs: result.totalMs,
      plannedRuns: 1,
      results: [result],
    };
    const html = renderReportHtml(report);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).toContain('<polyline');
    expect(html).toContain('<td>double</td>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(textTable(RESULT_HEADERS, resultRows([result]))).toContain('| gru ');

    // export_charts rebuilds the same charts from the demo's results.json (NaN-free here).
    const charts = chartsOf(JSON.parse(JSON.stringify(report)));
    expect(charts).toHaveLength(1);
    expect(charts[0].series[0].values).toEqual(result.valMse);
    expect(chartsOf({ charts: [] })).toEqual([]);
    expect(() => chartsOf({ nothing: 1 })).toThrow(/neither/);
  });

  it('the none variant skips warmup', async () => {
    const spec: RunSpec = { ...TINY, cell: 'nbrc', variant: 'none' };
    const result = await expectNoLeaks(() => runExperiment(spec));
    expectFiniteResult(result, spec);
    expect(result.vaaAfterWarmup).toBeNull();
    expect(result.vaaStarAfterWarmup).toBeNull();
    expect(result.warmupVaaStar).toEqual([]);
    expect(result.warmupMs).toBe(0);
  });

  it('seeds the initial weights: none and warmup of a cell and seed start equal', () => {
    const weights = (variant: 'none' | 'warmup', seed: number) => {
      const model = buildModel('lstm', variant, 4, seed);
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    expect(weights('none', 3)).toEqual(weights('warmup', 3));
    expect(weights('none', 3)).not.toEqual(weights('none', 4));
    // Math.random is restored afterwards.
    const original = Math.random;
    buildModel('gru', 'none', 2, 1).dispose();
    expect(Math.random).toBe(original);
  });

  it('expands the options into runs, seeds outermost', () => {
    const specs = runSpecs({ ...QUICK_OPTIONS, cells: ['gru', 'lstm'], variants: ['none', 'double'], seeds: [4, 5] });
    expect(specs.map((s) => `${s.seed}/${s.cell}/${s.variant}`)).toEqual([
      '4/gru/none',
      '4/gru/double',
      '4/lstm/none',
      '4/lstm/double',
      '5/gru/none',
      '5/gru/double',
      '5/lstm/none',
      '5/lstm/double',
    ]);
    expect(specs[0].length).toBe(QUICK_OPTIONS.length);
    // Workers get the costliest runs of a seed first, seed by seed.
    const order = dispatchOrder(specs).map((i) => `${specs[i].seed}/${specs[i].cell}/${specs[i].variant}`);
    expect(order).toEqual([
      '4/gru/double',
      '4/lstm/double',
      '4/gru/none',
      '4/lstm/none',
      '5/gru/double',
      '5/lstm/double',
      '5/gru/none',
      '5/lstm/none',
    ]);
  });

  it('charts escape their text and skip non-positive values', () => {
    const svg = lineChartSvg({
      title: 'a <b> & "c"',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ label: "s'1", color: '#000', values: [1, 0.5, 0, Number.NaN, 0.01] }],
      reference: { y: 1, label: 'ref' },
    });
    expect(svg).toContain(escapeXml('a <b> & "c"'));
    expect(svg).not.toContain('<b>');
    expect((svg.match(/<polyline[^>]*points="([^"]*)"/) ?? [])[1]?.split(' ')).toHaveLength(3);
  });

  it('linear charts keep zero and negative values and label x in steps of xStep', () => {
    const svg = lineChartSvg({
      title: 'accuracy',
      xLabel: 'episodes',
      yLabel: 'y',
      yScale: 'linear',
      xStep: 10,
      series: [{ label: 'a', color: '#000', values: [0, 0.25, -0.1, Number.NaN, 0.9] }],
      reference: { y: 0.1, label: 'chance' },
    });
    expect((svg.match(/<polyline[^>]*points="([^"]*)"/) ?? [])[1]?.split(' ')).toHaveLength(4);
    // x ticks at 0, 10, …, 40; y ticks on a 1-2-5 grid including 0 and reaching 0.9.
    for (const label of ['>0<', '>10<', '>40<', '>0.2<', '>1<']) expect(svg).toContain(label);
    expect(svg).toContain('>-0.2<');
  });
});
